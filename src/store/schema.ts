// Schema as numbered migration steps. `PRAGMA user_version` records how many steps a database
// file has had; opening runs the missing ones inside one BEGIN IMMEDIATE transaction, so two
// processes opening a fresh data dir at once cannot both migrate (the second waits, re-reads the
// version and finds nothing to do), and a crash mid-migration leaves the old schema intact.
// Never edit a released step: append a new one.
import type { Sql } from './db.ts';

export const MIGRATIONS: readonly string[] = [
  // 1: initial schema
  `
  -- RD torrent summaries (GET /torrents), one row per RD torrent id; links as a JSON array.
  CREATE TABLE torrents (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    filename TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    status TEXT NOT NULL,
    progress REAL NOT NULL,
    added TEXT NOT NULL,
    ended TEXT,
    links TEXT NOT NULL
  );
  CREATE INDEX torrents_added ON torrents (added DESC);
  CREATE INDEX torrents_hash ON torrents (hash);

  -- GET /torrents/info, one compact JSON document per torrent; status kept as a column so
  -- "downloaded torrents whose stored info predates the download" is one indexed query.
  CREATE TABLE torrent_infos (
    torrent_id TEXT PRIMARY KEY REFERENCES torrents (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    doc TEXT NOT NULL
  );

  -- (Tables with large rows keep their rowid: WITHOUT ROWID suits small rows only.)

  -- The user's own data, keyed by lower-case torrent hash so it survives re-adding a torrent.
  CREATE TABLE user_data (
    hash TEXT PRIMARY KEY,
    favorite INTEGER NOT NULL DEFAULT 0,
    rating REAL NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    watched INTEGER NOT NULL DEFAULT 0,
    play_count INTEGER NOT NULL DEFAULT 0,
    resume_ms INTEGER NOT NULL DEFAULT 0,
    last_played_at TEXT
  ) WITHOUT ROWID;
  -- HereSphere .hsp blobs, apart so listing user data never reads them.
  CREATE TABLE user_hsp (
    hash TEXT PRIMARY KEY,
    bytes BLOB NOT NULL
  );

  -- ffprobe facts and failures, keyed by the file's stable identity (hash, path, bytes).
  CREATE TABLE media_probes (
    hash TEXT NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    codec TEXT NOT NULL,
    fps REAL NOT NULL,
    PRIMARY KEY (hash, path, bytes)
  ) WITHOUT ROWID;
  CREATE TABLE media_failures (
    hash TEXT NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    retry_at INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (hash, path, bytes, kind)
  ) WITHOUT ROWID;

  -- Unrestrict results by normalised restricted link; the download URL expires, filename and
  -- size do not.
  CREATE TABLE unrestricts (
    link TEXT PRIMARY KEY,
    download TEXT NOT NULL,
    filename TEXT NOT NULL,
    filesize INTEGER NOT NULL,
    mime_type TEXT,
    generated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE bad_links (
    link TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('dead', 'blocked')),
    at INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Name-matching mode results: which restricted link belongs to which file of a torrent.
  CREATE TABLE link_matches (
    torrent_id TEXT NOT NULL REFERENCES torrents (id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL,
    link TEXT NOT NULL,
    PRIMARY KEY (torrent_id, file_id)
  ) WITHOUT ROWID;

  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 2: browser sessions that were logged out, shared by every process on the data dir and kept
  // across restarts (issue 16: a revocation held only in memory came back after a restart).
  // Rows are dropped once the cookie would have expired anyway. "Log out everywhere" is a
  // generation number in meta (auth.session-generation), not a row per session.
  `
  CREATE TABLE revoked_sessions (
    id TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 3: small stable numbers for DeoVR's video `id` (DeoVR's examples and XBVR use small integers; a
  // 52-bit hash prefix fails where DeoVR reads a 32-bit int). Keyed by hash, never deleted, so a
  // restart or re-adding the same torrent keeps the number. Existing videos are numbered by age.
  `
  CREATE TABLE video_numbers (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE
  );
  INSERT INTO video_numbers (hash)
    SELECT lower(hash) FROM torrents GROUP BY lower(hash) ORDER BY min(added), lower(hash);
  `,
  // 4: nothing RD forgets is lost at once (issue 12). A torrent a trusted listing lacks gets
  // missing_since; one confirmed gone (a second listing minutes later, or a 404 on its info) gets
  // removed_at and leaves the library, but its row, info and link matches stay 30 days, so a
  // false removal or a re-add restores everything with no RD call.
  `
  ALTER TABLE torrents ADD COLUMN missing_since INTEGER;
  ALTER TABLE torrents ADD COLUMN removed_at INTEGER;
  CREATE INDEX torrents_removed ON torrents (removed_at) WHERE removed_at IS NOT NULL;
  `,
  // 5: saved views (issue 17): the browser's view (its query string) under a name, in the user's
  // order; each becomes a HereSphere section and a DeoVR scene. name_key is the name as compared
  // for duplicates (library/saved-views.ts), unique so two processes cannot both add "Top".
  `
  CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  // 6: what each funscript says (issue 17), read once per file (hash, path, bytes): the figures
  // and heat string (library/funscript.ts), or the code and words of why there are none.
  `
  CREATE TABLE script_facts (
    hash TEXT NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    code TEXT,
    reason TEXT,
    actions INTEGER NOT NULL DEFAULT 0,
    length_ms INTEGER NOT NULL DEFAULT 0,
    avg_speed INTEGER NOT NULL DEFAULT 0,
    max_speed INTEGER NOT NULL DEFAULT 0,
    heat TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    PRIMARY KEY (hash, path, bytes)
  ) WITHOUT ROWID;
  `,
  // 7 (issue 14): what the file says about its picture (stereo/spherical side data) and what its
  // thumbnail frame looks like, as JSON (NULL: not read yet); the user's projection override.
  `
  ALTER TABLE media_probes ADD COLUMN spatial TEXT;
  ALTER TABLE media_probes ADD COLUMN picture TEXT;
  -- The user's word on how to show a video (projection, layout, FOV, lens, eye swap), keyed like
  -- all user data by lower-case torrent hash (the video id is derived from it); one JSON document.
  CREATE TABLE user_projection (
    hash TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Bring the file up to SCHEMA_VERSION; returns the version found before migrating. */
export function migrate(sql: Sql): number {
  const seen = Number(sql.value('PRAGMA user_version'));
  if (seen === SCHEMA_VERSION) return seen; // common case: no write lock taken
  return sql.write(() => {
    const before = Number(sql.value('PRAGMA user_version'));
    if (before > SCHEMA_VERSION) {
      throw new Error(
        `database ${sql.file} has schema version ${before}, newer than this program's ${SCHEMA_VERSION}; upgrade the program`,
      );
    }
    for (let step = before; step < SCHEMA_VERSION; step++) sql.exec(MIGRATIONS[step] ?? '');
    if (before !== SCHEMA_VERSION) sql.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    return before;
  });
}
