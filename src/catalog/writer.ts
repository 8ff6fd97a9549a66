// The one writer of the library (architecture.md, "one owner per change"): every kind of change
// (user data, playback, removing a torrent, replacing or patching the RD summaries, a torrent's
// info, link matches, probes) is one method here that runs the SQLite transaction, marks what
// other processes must reload, and refreshes the in-memory catalog. Routes, sync, the resolver and
// the media pipeline call these; nothing else writes the store and the catalog side by side (the
// catalog's mutators are for this file only).
import type { MediaKey, MediaRepo, Store } from '../store/index.ts';
import type { MediaProbe, ProjectionOverride, TorrentInfo, TorrentSummary, UserTag, Video } from '../library/model.ts';
import { MAX_SESSIONS, playbackStep, SESSION_IDLE_MS, type PlaybackSession } from '../library/playback.ts';
import type { Catalog } from './catalog.ts';
import type { ScriptFacts } from '../library/funscript.ts';

/** A user's edit of one video (browser actions, HereSphere write-back); absent fields stay. */
export interface UserChange {
  favorite?: boolean;
  /** 0..5 in half steps, validated by the route; 0 clears. */
  rating?: number;
  /** Full replacement. */
  tags?: UserTag[];
  watched?: boolean;
  hsp?: Buffer;
  /** The user's projection override (issue 14); null = back to automatic. */
  projection?: ProjectionOverride | null;
}

export class LibraryWriter {
  private readonly sessions = new Map<string, PlaybackSession>();

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly now: () => number = Date.now,
    private readonly maxSessions = MAX_SESSIONS,
  ) {}

  /** Play sessions tracked right now (bounded by maxSessions). */
  get playbackSessions(): number {
    return this.sessions.size;
  }

  /** Stores a user's edit in one transaction; returns the rebuilt video (null when it left the library). */
  userData(hash: string, change: UserChange): Video | null {
    const { user } = this.store;
    this.store.transaction(() => {
      if (change.favorite !== undefined) user.setFavorite(hash, change.favorite);
      if (change.rating !== undefined) user.setRating(hash, change.rating);
      if (change.tags !== undefined) user.setTags(hash, change.tags);
      if (change.watched !== undefined) user.setWatched(hash, change.watched);
      if (change.hsp !== undefined) user.putHsp(hash, change.hsp);
      if (change.projection !== undefined) user.setProjection(hash, change.projection, new Date(this.now()).toISOString());
    });
    return this.catalog.reloadUser(hash);
  }

  /**
   * One playback event of one player (`client`) for a video (library/playback.ts decides what it
   * means); returns the rebuilt video, or null when the event changed nothing.
   */
  playback(video: Video, client: string, event: number, timeMs: number): Video | null {
    const key = `${video.id}\n${client}`;
    this.expireIdleSessions();
    const step = playbackStep(this.sessions.get(key) ?? null, event, timeMs, video.durationMs, this.now());
    // Most recently used last: beyond the cap the least recently used session is dropped, so no
    // stream of new client addresses can grow memory (issue 16 item 5).
    this.sessions.delete(key);
    if (step.session) {
      while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
      this.sessions.set(key, step.session);
    }
    const r = step.record;
    if (!r) return null;
    const { user } = this.store;
    if (r.kind === 'open') user.recordOpen(video.hash, r.at);
    else if (r.kind === 'position') user.recordPosition(video.hash, r.positionMs, r.at);
    else user.recordClose(video.hash, r.positionMs, r.countPlay, r.watched, r.at);
    return this.catalog.reloadUser(video.hash);
  }

  /** A torrent deleted on RD: gone from the store, from this catalog and (by the mark) from other processes'. */
  removeTorrent(torrentId: string): void {
    this.store.transaction(() => {
      this.store.library.remove([torrentId]);
      this.catalog.markLibraryWritten();
    });
    this.catalog.setSummaries(this.store.library.all());
  }

  /** A full RD listing: the stored list becomes exactly this; media facts of torrents that left go too. */
  replaceSummaries(summaries: readonly TorrentSummary[]): { added: number; removed: number; changed: number } {
    const diff = this.store.transaction(() => {
      const d = this.store.library.replaceAll(summaries);
      this.store.library.numberNewHashes(); // DeoVR's small ids, kept forever
      // Media facts live as long as their torrent (by hash) is in the library.
      const hashes = new Set(summaries.map((s) => s.hash));
      this.store.media.pruneHashes(hashes);
      this.store.scripts.pruneHashes(hashes); // funscript facts too (issue 17)
      this.catalog.markLibraryWritten();
      return d;
    });
    this.catalog.setSummaries(this.store.library.all());
    return diff;
  }

  /**
   * A trusted full RD listing (sync/removal-policy.ts decided `gone`): listed torrents upserted
   * (a false removal comes back), absent ones marked missing, `gone` ones removed but kept 30 days
   * with their info and link matches; rows removed before `purgeBefore` deleted with the media
   * facts no kept row needs; re-added torrents get their removed twin's file list. User data is
   * never touched (keyed by hash).
   */
  applyListing(
    summaries: readonly TorrentSummary[],
    gone: readonly string[],
    purgeBefore: number,
  ): { added: number; changed: number; removed: number; missing: number; purged: number } {
    const diff = this.store.transaction(() => {
      const library = this.store.library;
      const d = library.applyListing(summaries, gone, this.now());
      library.numberNewHashes(); // DeoVR's small ids, kept forever
      const purged = library.purgeRemoved(purgeBefore);
      this.restoreReAdded(summaries);
      this.store.media.pruneHashes(library.retainedHashes());
      this.catalog.markLibraryWritten();
      return { ...d, purged };
    });
    this.catalog.setSummaries(this.store.library.all());
    return diff;
  }

  /** RD answered 404 for this torrent's info: it leaves the library now (row, info and matches kept 30 days). Returns whether it was there. */
  torrentGone(torrentId: string, now: number): boolean {
    const n = this.store.transaction(() => {
      const removed = this.store.library.softRemove([torrentId], now);
      if (removed > 0) this.catalog.markLibraryWritten();
      return removed;
    });
    if (n > 0) this.catalog.setSummaries(this.store.library.all());
    return n > 0;
  }

  /** New or changed torrents from the newest page of the listing (nothing is deleted). */
  patchSummaries(summaries: readonly TorrentSummary[]): void {
    if (summaries.length === 0) return;
    this.store.transaction(() => {
      this.store.library.upsertMany(summaries);
      this.restoreReAdded(summaries);
      this.store.library.numberNewHashes();
      this.catalog.markLibraryWritten();
    });
    this.catalog.setSummaries(this.store.library.all());
  }

  /** A torrent re-added under a new id gets the file list its removed twin had (same hash, same link count): no RD call. */
  private restoreReAdded(summaries: readonly TorrentSummary[]): void {
    const library = this.store.library;
    for (const s of summaries) {
      if (s.status !== 'downloaded' || library.getInfo(s.id)) continue;
      const old = library.removedInfoByHash(s.hash);
      if (!old || old.links.length !== s.links.length) continue;
      library.putInfo({ ...old, ...s, originalFilename: old.originalFilename, files: old.files });
    }
  }

  /** A torrent's info fetched from RD (its file list). */
  putInfo(info: TorrentInfo): Video | null {
    this.store.library.putInfo(info);
    return this.catalog.setInfo(info);
  }

  /** An info another process stored: only this catalog needs it. */
  adoptInfo(info: TorrentInfo): Video | null {
    return this.catalog.setInfo(info);
  }

  /** Links matched to files by name (the resolver's name-matching mode). */
  putMatches(info: TorrentInfo, matches: ReadonlyMap<number, string>): Video | null {
    this.store.links.putMatches(info.id, matches);
    return this.catalog.setMatches(info.id, info.hash, matches);
  }

  /**
   * What RD said about a restricted link: dead or blocked (its file is no longer offered), or null
   * once it unrestricted again (offered again).
   */
  linkState(link: string, kind: 'dead' | 'blocked' | null, at: number): void {
    if (kind) this.store.links.markBad(link, kind, at);
    else if (this.store.links.badState(link)) this.store.links.clearBad(link);
    else return;
    this.catalog.setLinkState(link, kind);
  }

  /** A probe made by the media pipeline. */
  putProbe(key: MediaKey, probe: MediaProbe): Video | null {
    this.store.media.putProbe(key, probe);
    return this.catalog.setProbe(key, probe);
  }

  /** A probe another process stored: only this catalog needs it (no rebuild when already known). */
  adoptProbe(key: MediaKey, probe: MediaProbe): Video | null {
    return this.catalog.setProbe(key, probe);
  }

  /** What a funscript says, read once by media/scripts.ts (issue 17). */
  putScript(key: MediaKey, facts: ScriptFacts): Video | null {
    this.store.scripts.put(key, facts, this.now());
    return this.catalog.setScript(key, facts);
  }

  /** The media pipeline's facts: the store's media repo, with probes written through here. */
  mediaFacts(): MediaRepo {
    return { ...this.store.media, putProbe: (key, probe) => void this.putProbe(key, probe) };
  }

  private expireIdleSessions(): void {
    if (this.sessions.size < 256) return;
    const cutoff = this.now() - SESSION_IDLE_MS;
    for (const [k, s] of this.sessions) if (s.lastAt < cutoff) this.sessions.delete(k);
  }
}
