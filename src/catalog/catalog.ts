// The in-memory library: every browsable torrent turned into one `Video` (src/library/video.ts),
// kept in sync with the store. Requests read from here and never wait on RD.
// Built lazily so a restart serves at once (BENCHMARKS.md): loading reads the summaries only, the
// index needs nothing more (sections()), and Videos are built in small background slices, on
// demand by get(), or all at once by list(). Summaries and torrent infos are read from the store
// when a video is built and not kept (a fingerprint per torrent remembers what it was built from),
// so 50,000 torrents cost their Videos and little else. A sync re-uses every Video whose inputs
// did not change (./reuse.ts); other processes' writes are noticed by ./store-watch.ts.
// Only the writer (./writer.ts) calls the mutators (setSummaries, setInfo, setMatches, setProbe,
// reloadUser, markLibraryWritten), after it wrote the store: routes and jobs only read here.
// `version` changes whenever any video changes, `listVersion` only when the list, its order or a
// favourite changes (all the index shows), so formatted responses can be cached per version.
import type { Store } from '../store/index.ts';
import { mediaKeyString } from '../store/index.ts';
import { EMPTY_USER_DATA } from '../library/model.ts';
import type { MediaProbe, Section, TorrentInfo, TorrentSummary, UserData, Video } from '../library/model.ts';
import { buildVideo, dedupeByHash } from '../library/video.ts';
import type { ScriptFacts } from '../library/funscript.ts';
import { buildSections, type SectionInput } from '../library/sections.ts';
import { videoIdFromHash } from '../library/ids.ts';
import { fingerprint, sameMatches, timeDependent } from './reuse.ts';
import { StoreWatch } from './store-watch.ts';

interface Entry {
  id: string;
  /** The summary's hash as stored (the key of user data and of the by-hash map). */
  hash: string;
  torrentId: string;
  added: string;
  /** Fingerprint of every summary field: tells a sync which videos it changed. */
  fp: number;
  /** null until built. */
  video: Video | null;
  /** Position in `order` (and in `ordered` once that exists). */
  pos: number;
  /** `version` when this video last changed after the list was set (0: not since). */
  stamp?: number;
}

/** Videos built per store read of their infos. */
const BATCH = 100;
/** Background building yields to requests after this long. */
const SLICE_MS = 8;
/** After a (re)load, background building waits this long: start-up and the first index come first. */
const LOAD_DELAY_MS = 1000;

export class Catalog {
  private byId = new Map<string, Entry>();
  private order: Entry[] = [];
  /** list(): every Video in order, made once all are built. */
  private ordered: Video[] | null = null;
  private byHash = new Map<string, Entry>(); // by summary hash (deduped, downloaded)
  private users = new Map<string, UserData>(); // by hash
  private probes = new Map<string, MediaProbe>();
  private scripts = new Map<string, ScriptFacts>();
  private matches = new Map<string, Map<number, string>>(); // by torrent id
  private bad = new Map<string, 'dead' | 'blocked'>(); // restricted link -> what RD said
  private numbers = new Map<string, number>(); // lower-cased hash -> small stable number
  private unbuilt = 0;
  /** Next position in `order` the builder looks at. */
  private cursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private _version = 0;
  private _listVersion = 0;
  private readonly watch: StoreWatch;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {
    this.watch = new StoreWatch(store, now);
  }

  get version(): number {
    return this._version;
  }

  /** Changes when the list, its order or a favourite changes (what sections() depends on). */
  get listVersion(): number {
    return this._listVersion;
  }

  /** Loads everything from the store (start-up, after a full sync); videos are then (re)built lazily. */
  loadAll(): void {
    this.watch.seenAll();
    this.users = this.store.user.all();
    this.probes = this.store.media.allProbes();
    this.scripts = this.store.scripts.all();
    this.bad = this.store.links.allBad();
    this.numbers = this.store.library.allNumbers();
    this.byId = new Map();
    this.setSummaries(this.store.library.all(), LOAD_DELAY_MS);
  }

  /** Replaces the torrent list with what the store now holds (after a sync); videos whose inputs did not change are kept. */
  setSummaries(all: readonly TorrentSummary[], buildDelayMs = 0): void {
    const browsable = dedupeByHash(all.filter((t) => t.status === 'downloaded'));
    // Numbers are given by the writer with the list; one written by another process is read here.
    if (browsable.some((s) => !this.numbers.has(s.hash.toLowerCase()))) this.numbers = this.store.library.allNumbers();
    const oldMatches = this.matches;
    this.matches = this.store.links.allMatches(); // also picks up matches written by other processes
    const previous = this.byId;
    const byId = new Map<string, Entry>();
    const byHash = new Map<string, Entry>();
    for (const summary of browsable) {
      const id = videoIdFromHash(summary.hash);
      const fp = fingerprint(summary);
      const old = previous.get(id);
      const keep =
        old?.video && old.fp === fp && old.torrentId === summary.id && !timeDependent(old.video) &&
        sameMatches(oldMatches.get(summary.id), this.matches.get(summary.id));
      const e: Entry = { id, hash: summary.hash, torrentId: summary.id, added: summary.added, fp, video: keep ? old.video : null, pos: 0 };
      byHash.set(summary.hash, e);
      byId.set(id, e);
    }
    this.byId = byId;
    this.byHash = byHash;
    this.order = [...byId.values()].sort((a, b) => (a.added < b.added ? 1 : a.added > b.added ? -1 : 0));
    this.unbuilt = 0;
    this.order.forEach((e, i) => {
      e.pos = i;
      if (!e.video) this.unbuilt++;
    });
    this.cursor = 0;
    this.ordered = null;
    this._version++;
    this._listVersion++;
    this.scheduleBuild(buildDelayMs);
  }

  private build(summary: TorrentSummary, info: TorrentInfo | null): Video {
    return buildVideo({
      summary,
      info,
      user: this.users.get(summary.hash) ?? null,
      probe: (hash, path, bytes) => this.probeOf({ hash, path, bytes }),
      script: (hash, path, bytes) => this.scripts.get(mediaKeyString({ hash, path, bytes })) ?? null,
      matched: this.matches.get(summary.id),
      badLink: (link) => this.bad.get(link) ?? null,
      number: this.numbers.get(summary.hash.toLowerCase()) ?? 0,
      now: this.now(),
    });
  }

  /** Builds up to `max` unbuilt entries from the cursor on, with one store read for their infos. */
  private buildBatch(max: number): void {
    const batch: Entry[] = [];
    while (batch.length < max && this.cursor < this.order.length) {
      const e = this.order[this.cursor++] as Entry;
      if (!e.video) batch.push(e);
    }
    if (batch.length === 0) return;
    const ids = batch.map((e) => e.torrentId);
    const summaries = this.store.library.summariesFor(ids);
    const infos = this.store.library.infosFor(ids);
    for (const e of batch) if (!e.video) this.buildEntry(e, summaries.get(e.torrentId) ?? null, infos.get(e.torrentId) ?? null);
  }

  private buildEntry(e: Entry, stored: TorrentSummary | null, info: TorrentInfo | null): Video {
    const v = this.build(stored ?? this.vanished(e), info);
    e.video = v;
    this.unbuilt--;
    return v;
  }

  /** Another process removed the torrent since the list was loaded: show what is known until the reload. */
  private vanished(e: Entry): TorrentSummary {
    return { id: e.torrentId, hash: e.hash, filename: '', bytes: 0, status: 'downloaded', progress: 100, added: e.added, ended: null, links: [] };
  }

  private buildAll(): void {
    while (this.cursor < this.order.length) this.buildBatch(BATCH * 5);
    this.unbuilt = 0;
    this.ordered = this.order.map((e) => e.video as Video);
  }

  /** Background building in short slices (timers are unref'd: never keeps a process alive). */
  private scheduleBuild(delayMs = 0): void {
    if (this.unbuilt === 0) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer); // a sync replaced the list: no reason to wait any longer
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      const end = performance.now() + SLICE_MS;
      try {
        while (this.unbuilt > 0 && this.cursor < this.order.length && performance.now() < end) this.buildBatch(BATCH);
      } catch {
        return; // the store is closing: list() and get() build what they need
      }
      if (this.cursor >= this.order.length) this.buildAll();
      else this.scheduleBuild();
    }, delayMs);
    this.timer.unref();
  }

  private entryOf(hash: string): Entry | null {
    const e = this.byHash.get(hash);
    return e && this.byId.get(e.id) === e ? e : null;
  }

  /** Rebuilds one video after its info, user data, probe or link matches changed. */
  private rebuildHash(hash: string, info?: TorrentInfo): Video | null {
    const e = this.entryOf(hash);
    if (!e) return null;
    const favoriteBefore = e.video ? e.video.user.favorite : null;
    const summary = this.store.library.get(e.torrentId);
    if (!summary) return null; // gone from the store: the next sync or reload drops it
    const v = this.build(summary, info ?? this.store.library.getInfo(e.torrentId));
    if (!e.video) this.unbuilt--;
    e.video = v;
    if (this.ordered) this.ordered[e.pos] = v;
    if (favoriteBefore !== v.user.favorite) this._listVersion++;
    this._version++;
    e.stamp = this._version;
    return v;
  }

  setInfo(info: TorrentInfo): Video | null {
    return this.rebuildHash(info.hash, info);
  }

  setMatches(torrentId: string, hash: string, matches: ReadonlyMap<number, string>): Video | null {
    this.matches.set(torrentId, new Map(matches));
    return this.rebuildHash(hash);
  }

  /**
   * For the writer only. Real-Debrid refused a link (dead, blocked) or served it again (null): the videos with a file on
   * that link are rebuilt, so every adapter stops (or starts again) offering that file.
   */
  setLinkState(link: string, kind: 'dead' | 'blocked' | null): void {
    if ((this.bad.get(link) ?? null) === kind) return;
    if (kind) this.bad.set(link, kind);
    else this.bad.delete(link);
    for (const e of this.byId.values()) {
      if (e.video?.videos.some((f) => f.link === link) || e.video?.subtitles.some((f) => f.link === link)) this.rebuildHash(e.hash);
    }
  }

  /** The stored probe of one file (loaded with the library, kept current by setProbe). */
  probeOf(key: { hash: string; path: string; bytes: number }): MediaProbe | null {
    return this.probes.get(mediaKeyString(key)) ?? null;
  }

  setProbe(key: { hash: string; path: string; bytes: number }, probe: MediaProbe): Video | null {
    const k = mediaKeyString(key);
    const known = this.probes.get(k);
    if (known && JSON.stringify(known) === JSON.stringify(probe)) return this.getByHash(key.hash);
    this.probes.set(k, probe);
    return this.rebuildHash(key.hash);
  }

  /** A funscript was read (issue 17): its video shows the facts from now on. */
  setScript(key: { hash: string; path: string; bytes: number }, facts: ScriptFacts): Video | null {
    this.scripts.set(mediaKeyString(key), facts);
    return this.rebuildHash(key.hash);
  }

  /** Re-reads one hash's user data from the store (after a write by this process). */
  reloadUser(hash: string): Video | null {
    // The store watch is left alone on purpose: another process may have committed since the last
    // syncWithStore, and only a full pass there may claim to have seen its writes.
    this.users.set(hash, this.store.user.get(hash));
    return this.rebuildHash(hash);
  }

  /** Records that this process rewrote the stored torrent list, so other processes reload it (the writer calls it inside its transaction). */
  markLibraryWritten(): void {
    this.watch.markLibraryWritten();
  }

  /** Picks up writes made by other processes on the same data directory (cheap when nothing changed). */
  syncWithStore(): void {
    const seen = this.watch.check();
    if (seen === 'nothing') return;
    if (seen === 'library') {
      // Another process synced the torrent list: take its result wholesale.
      this.loadAll();
      return;
    }
    const fresh = this.store.user.all();
    const changed = new Set<string>();
    for (const [hash, u] of fresh) if (JSON.stringify(u) !== JSON.stringify(this.users.get(hash))) changed.add(hash);
    for (const hash of this.users.keys()) if (!fresh.has(hash)) changed.add(hash);
    this.users = fresh;
    for (const hash of changed) this.rebuildHash(hash);
  }

  get(id: string): Video | null {
    const e = this.byId.get(id);
    if (!e) return null;
    return e.video ?? this.buildEntry(e, this.store.library.get(e.torrentId), this.store.library.getInfo(e.torrentId));
  }

  getByHash(hash: string): Video | null {
    return this.get(videoIdFromHash(hash));
  }

  /** The torrent summary behind a video, as stored. */
  summaryOf(video: Video): TorrentSummary | null {
    const e = this.byHash.get(video.hash);
    if (!e) return null;
    return this.store.library.get(e.torrentId);
  }

  /** Whether every video is built (list() is then cheap). */
  isBuilt(): boolean {
    return this.ordered !== null || this.unbuilt === 0;
  }

  /** Every browsable video, newest added first (builds whatever is not built yet). */
  list(): readonly Video[] {
    if (!this.ordered) this.buildAll();
    return this.ordered as Video[];
  }

  /** The library's sections (library/sections.ts) without building any video. */
  sections(now: number): Section[] {
    const inputs: SectionInput[] = this.order.map(
      (e) => e.video ?? { id: e.id, addedAt: e.added, user: this.users.get(e.hash) ?? EMPTY_USER_DATA },
    );
    return buildSections(inputs, now);
  }

  /** Videos changed (probe, file list, user data) after `version`, as long as the list itself did not change. */
  changedSince(version: number): Video[] {
    const out: Video[] = [];
    for (const e of this.order) if ((e.stamp ?? 0) > version && e.video) out.push(e.video);
    return out;
  }

  /** Videos whose file list is not known yet (no torrent info), without building any video. */
  filesUnknownCount(): number {
    if (this.ordered) return this.ordered.reduce((n, v) => (v.filesKnown ? n : n + 1), 0);
    const stored = this.store.library.idsWithInfo();
    let n = 0;
    for (const e of this.order) if (e.video ? !e.video.filesKnown : !stored.has(e.torrentId)) n++;
    return n;
  }

  get size(): number {
    return this.order.length;
  }
}
