// The in-memory library: every browsable torrent turned into one `Video` (src/library/video.ts),
// kept in sync with the store. Requests read from here and never wait on SQLite or RD.
// `version` changes whenever any video changes, so formatted responses can be cached per version.
import type { Store } from '../store/index.ts';
import { mediaKeyString } from '../store/index.ts';
import type { MediaProbe, TorrentInfo, TorrentSummary, UserData, Video } from '../library/model.ts';
import { buildVideo, dedupeByHash } from '../library/video.ts';
import { videoIdFromHash } from '../library/ids.ts';

const LIBRARY_MARK = 'library.writtenBy';

export class Catalog {
  private byId = new Map<string, Video>();
  private ordered: Video[] = [];
  private summaries = new Map<string, TorrentSummary>(); // by hash (deduped, downloaded)
  private infos = new Map<string, TorrentInfo>(); // by torrent id
  private users = new Map<string, UserData>(); // by hash
  private probes = new Map<string, MediaProbe>();
  private matches = new Map<string, Map<number, string>>(); // by torrent id
  private _version = 0;
  private seenStoreChange = -1;
  private seenLibraryMark: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  get version(): number {
    return this._version;
  }

  /** Loads everything from the store (start-up, after a full sync). */
  loadAll(): void {
    this.seenStoreChange = this.store.changeCounter();
    this.seenLibraryMark = this.store.meta.get(LIBRARY_MARK);
    this.infos = this.store.library.allInfos();
    this.users = this.store.user.all();
    this.probes = this.store.media.allProbes();
    this.setSummaries(this.store.library.all());
  }

  /** Replaces the torrent list (after a sync) and rebuilds every video. */
  setSummaries(all: readonly TorrentSummary[]): void {
    const browsable = dedupeByHash(all.filter((t) => t.status === 'downloaded'));
    this.summaries = new Map(browsable.map((s) => [s.hash, s]));
    this.rebuildAll();
  }

  private rebuildAll(): void {
    const byId = new Map<string, Video>();
    for (const summary of this.summaries.values()) {
      const v = this.build(summary);
      byId.set(v.id, v);
    }
    this.byId = byId;
    this.reorder();
  }

  private reorder(): void {
    this.ordered = [...this.byId.values()].sort((a, b) => (a.addedAt < b.addedAt ? 1 : a.addedAt > b.addedAt ? -1 : 0));
    this._version++;
  }

  private build(summary: TorrentSummary): Video {
    return buildVideo({
      summary,
      info: this.infos.get(summary.id) ?? null,
      user: this.users.get(summary.hash) ?? null,
      probe: (hash, path, bytes) => this.probes.get(mediaKeyString({ hash, path, bytes })) ?? null,
      matched: this.matchesFor(summary.id),
      now: this.now(),
    });
  }

  private matchesFor(torrentId: string): Map<number, string> | undefined {
    let m = this.matches.get(torrentId);
    if (!m) {
      m = this.store.links.getMatches(torrentId);
      if (m.size === 0) return undefined;
      this.matches.set(torrentId, m);
    }
    return m;
  }

  /** Rebuilds one video after its info, user data, probe or link matches changed. */
  private rebuildHash(hash: string): Video | null {
    const summary = this.summaries.get(hash);
    if (!summary) return null;
    const v = this.build(summary);
    this.byId.set(v.id, v);
    const i = this.ordered.findIndex((o) => o.id === v.id);
    if (i >= 0) this.ordered[i] = v;
    this._version++;
    return v;
  }

  setInfo(info: TorrentInfo): Video | null {
    this.infos.set(info.id, info);
    return this.rebuildHash(info.hash);
  }

  setMatches(torrentId: string, hash: string, matches: ReadonlyMap<number, string>): Video | null {
    this.matches.set(torrentId, new Map(matches));
    return this.rebuildHash(hash);
  }

  setProbe(key: { hash: string; path: string; bytes: number }, probe: MediaProbe): Video | null {
    this.probes.set(mediaKeyString(key), probe);
    return this.rebuildHash(key.hash);
  }

  /** Re-reads one hash's user data from the store (after a write by this process). */
  reloadUser(hash: string): Video | null {
    this.users.set(hash, this.store.user.get(hash));
    this.seenStoreChange = this.store.changeCounter();
    return this.rebuildHash(hash);
  }

  /** Records that this process rewrote the stored torrent list, so other processes reload it. */
  markLibraryWritten(): void {
    this.seenLibraryMark = `${process.pid}-${this.now()}-${Math.random().toString(36).slice(2, 8)}`;
    this.store.meta.set(LIBRARY_MARK, this.seenLibraryMark);
  }

  /** Picks up writes made by other processes on the same data directory (cheap when nothing changed). */
  syncWithStore(): void {
    const c = this.store.changeCounter();
    if (c === this.seenStoreChange) return;
    this.seenStoreChange = c;
    const mark = this.store.meta.get(LIBRARY_MARK);
    if (mark !== this.seenLibraryMark) {
      // Another process synced the torrent list: take its result wholesale.
      this.seenLibraryMark = mark;
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
    return this.byId.get(id) ?? null;
  }

  getByHash(hash: string): Video | null {
    return this.byId.get(videoIdFromHash(hash)) ?? null;
  }

  summaryOf(video: Video): TorrentSummary | null {
    return this.summaries.get(video.hash) ?? null;
  }

  /** Every browsable video, newest added first. */
  list(): readonly Video[] {
    return this.ordered;
  }

  get size(): number {
    return this.ordered.length;
  }
}
