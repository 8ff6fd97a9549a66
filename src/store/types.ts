// The store's contract: what the rest of the server may ask of persistent state. Kept apart from
// the SQLite code so callers (and their tests) depend on these shapes only.
import type { ScriptFacts } from '../library/funscript.ts';
import type { MediaProbe, ProjectionOverride, TorrentInfo, TorrentSummary, UserData, UserTag } from '../library/model.ts';

export interface Store {
  readonly library: LibraryRepo;
  readonly user: UserRepo;
  readonly media: MediaRepo;
  readonly links: LinkRepo;
  readonly meta: MetaRepo;
  readonly auth: AuthRepo;
  readonly views: SavedViewRepo;
  readonly scripts: ScriptRepo;
  /** Absolute path of the database file (for logs and diagnostics). */
  readonly file: string;
  close(): void;
  /** Changes whenever ANY process committed a write (PRAGMA data_version combined with this process's own write counter): cheap, for cache invalidation. */
  changeCounter(): number;
  /** `PRAGMA integrity_check` result lines; `['ok']` when the file is sound. */
  integrityCheck(): string[];
  /** Runs `fn`'s repo writes as one transaction: all of them land or none (`fn` must only touch the store). */
  transaction<T>(fn: () => T): T;
}

/** RD torrent summaries + infos (infos immutable once downloaded: kept until the torrent leaves). */
export interface LibraryRepo {
  /** Every stored summary, in no particular order (sorting is the caller's business). */
  all(): TorrentSummary[];
  count(): number;
  get(torrentId: string): TorrentSummary | null;
  /** The stored summaries of these torrents, by torrent id (missing ones are left out). */
  summariesFor(torrentIds: readonly string[]): Map<string, TorrentSummary>;
  /** Full listing result: upsert all, delete rows (and their infos and link matches) not in the list; one transaction. Duplicate ids: the first wins. */
  replaceAll(summaries: readonly TorrentSummary[]): { added: number; removed: number; changed: number };
  /** Insert or update; returns how many rows were added or actually changed. */
  upsertMany(summaries: readonly TorrentSummary[]): number;
  /** Delete torrents with their infos and link matches (user data stays: it is keyed by hash). */
  remove(torrentIds: readonly string[]): void;
  /** Live torrents (not removed) -> when a trusted listing first lacked them (null: listed last time). */
  missingState(): Map<string, number | null>;
  /**
   * A trusted full listing: upsert all (clearing missing/removed marks); live rows not listed are
   * marked missing (first time only), or removed when in `removeIds`. Nothing is deleted: removed
   * rows keep their info and link matches until purgeRemoved. One transaction.
   */
  applyListing(summaries: readonly TorrentSummary[], removeIds: Iterable<string>, now: number): { added: number; changed: number; removed: number; missing: number };
  /** Marks torrents removed (RD answered 404 for them); returns how many were live. */
  softRemove(torrentIds: readonly string[], now: number): number;
  /** Deletes rows removed before `removedBefore` with their infos and link matches; returns rows deleted. */
  purgeRemoved(removedBefore: number): number;
  /** Hashes of every row kept (live or removed less than 30 days ago): media facts of these stay. */
  retainedHashes(): Set<string>;
  /** The latest removed torrent whose hash starts with `hashPrefix` (a video id), or null. */
  removedVideo(hashPrefix: string): { torrentId: string; removedAt: number } | null;
  /** The info of a removed torrent with this hash: a re-add under a new id reuses its file list. */
  removedInfoByHash(hash: string): TorrentInfo | null;
  getInfo(torrentId: string): TorrentInfo | null;
  /** Store the info; if the torrent has no summary row yet, one is made from the info. */
  putInfo(info: TorrentInfo): void;
  /** The stored infos of these torrents, by torrent id (missing ones are left out): batch loads without holding every info at once. */
  infosFor(torrentIds: readonly string[]): Map<string, TorrentInfo>;
  /** Ids of the torrents whose info is stored. */
  idsWithInfo(): Set<string>;
  /** Downloaded torrents without an info (or whose stored info was taken before the download finished), favorites first, then newest added (the players' order). */
  idsMissingInfo(limit: number): string[];
  /** Every video number (DeoVR ids) by lower-cased hash. */
  allNumbers(): Map<string, number>;
  /** Gives every stored hash without a number the next free ones, oldest added first (kept forever). */
  numberNewHashes(): void;
}

/** User data keyed by torrent HASH (lower-cased here) so re-adding a torrent keeps it. */
export interface UserRepo {
  /** EMPTY_USER_DATA values when none (always a fresh object). */
  get(hash: string): UserData;
  all(): Map<string, UserData>;
  setFavorite(hash: string, favorite: boolean): void;
  /** Caller validated 0..5 half steps; 0 clears. */
  setRating(hash: string, rating: number): void;
  /** Full replacement. */
  setTags(hash: string, tags: UserTag[]): void;
  setWatched(hash: string, watched: boolean): void;
  putHsp(hash: string, bytes: Buffer): void;
  /** The user's projection override (checked again here); null = back to automatic. `at`: ISO time. */
  setProjection(hash: string, override: ProjectionOverride | null, at: string): void;
  getHsp(hash: string): Buffer | null;
  // Playback event bookkeeping is atomic in SQL (no read-modify-write in JS), so concurrent
  // processes lose nothing.
  /** Remember an open session (sets last_played_at). */
  recordOpen(hash: string, at: string): void;
  /** Resume point (also sets last_played_at). */
  recordPosition(hash: string, positionMs: number, at: string): void;
  /** Increments play_count by 1 when countPlay, sets watched when markWatched; stores the resume point. */
  recordClose(hash: string, positionMs: number, countPlay: boolean, markWatched: boolean, at: string): void;
}

/** A file's stable identity: survives RD torrent ids changing on re-add. */
export interface MediaKey {
  hash: string;
  path: string;
  bytes: number;
}
export interface MediaFailure {
  kind: string;
  reason: string;
  attempts: number;
  retryAt: number;
  at: number;
}

/** Media facts: ffprobe results and failures keyed by the file's stable identity. */
export interface MediaRepo {
  getProbe(key: MediaKey): MediaProbe | null;
  putProbe(key: MediaKey, probe: MediaProbe): void;
  /** Keyed by `mediaKeyString(key)`. */
  allProbes(): Map<string, MediaProbe>;
  /** Increments attempts; returns the stored failure. */
  recordFailure(key: MediaKey, kind: string, reason: string, retryAt: number, at: number): MediaFailure;
  getFailure(key: MediaKey, kind: string): MediaFailure | null;
  clearFailure(key: MediaKey, kind: string): void;
  failures(): Array<MediaKey & MediaFailure>;
  /** Drop facts of torrents that left the library; returns rows deleted. */
  pruneHashes(keepHashes: ReadonlySet<string>): number;
}

/** Unrestrict results cached by the NORMALISED restricted link (the caller normalises). */
export interface CachedUnrestrict {
  link: string;
  download: string;
  filename: string;
  filesize: number;
  mimeType: string | null;
  generatedAt: number;
}

/** Unrestrict cache, negative cache, and link->file metadata that stays valid after the download URL expires. */
export interface LinkRepo {
  get(link: string): CachedUnrestrict | null;
  put(u: CachedUnrestrict): void;
  /** Drop unrestrict results generated before `generatedBefore` (ms); returns rows deleted. */
  pruneUnrestricts(generatedBefore: number): number;
  markBad(link: string, kind: 'dead' | 'blocked', at: number): void;
  badState(link: string): { kind: 'dead' | 'blocked'; at: number } | null;
  clearBad(link: string): void;
  /** Every link marked dead or blocked (the catalog stops offering their files). */
  allBad(): Map<string, 'dead' | 'blocked'>;
  /** fileId -> link (name-matching mode results), merged into what is stored. Ignored when the torrent is not in the library (matches live and die with it). */
  putMatches(torrentId: string, matches: ReadonlyMap<number, string>): void;
  /** Every torrent's matches in one read: torrent id -> (file id -> link). */
  allMatches(): Map<string, Map<number, string>>;
}

export interface MetaRepo {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/** Logged-out browser sessions and "log out everywhere", shared by every process on the data dir. */
export interface AuthRepo {
  /** Remembers a logged-out session id until `expiresAtMs` (when its cookie dies anyway); forgets expired ones. */
  revokeSession(id: string, expiresAtMs: number, nowMs: number): void;
  isRevoked(id: string): boolean;
  /** 0 until "log out everywhere" was used; each use adds one. */
  sessionGeneration(): number;
  /** Voids every session issued so far; returns the new generation. */
  bumpSessionGeneration(): number;
}

/** A saved view as stored: the browser's view query under a name, at a position (issue 17). */
export interface SavedViewRow {
  id: number;
  name: string;
  query: string;
  position: number;
  createdAt: string;
}

/** Saved views; names are unique by `nameKey` (the caller computes it, library/saved-views.ts). */
export interface SavedViewRepo {
  /** Every saved view in the user's order. */
  list(): SavedViewRow[];
  /** Adds a view at the end; null when the name key is taken. */
  create(name: string, nameKey: string, query: string, at: string): SavedViewRow | null;
  /** false when the id is unknown; null when the new name key is taken by another view. */
  update(id: number, fields: { name?: string; nameKey?: string; query?: string }): boolean | null;
  /** Positions follow `ids` (ids not listed keep their relative order after them); one transaction. */
  reorder(ids: readonly number[]): void;
  /** false when the id is unknown. */
  remove(id: number): boolean;
}

/** Funscript facts per file (issue 17), read once: figures or the reason there are none. */
export interface ScriptRepo {
  /** Every stored fact, by mediaKeyString. */
  all(): Map<string, ScriptFacts>;
  put(key: MediaKey, facts: ScriptFacts, at: number): void;
  /** Drops the facts of torrents no longer in the library (like MediaRepo.pruneHashes); returns rows removed. */
  pruneHashes(keepHashes: ReadonlySet<string>): number;
}
