// What ffprobe (and friends) learned about files, and where they failed, keyed by the file's
// stable identity (hash, path, bytes): a probe is paid once per file forever, and a failing file
// is retried on a back-off instead of on every pass.
import type { MediaProbe } from '../library/model.ts';
import { mediaKeyString } from '../library/ids.ts';
import { num, str, type Row, type Sql } from './db.ts';
import type { MediaFailure, MediaKey, MediaRepo } from './types.ts';

export { mediaKeyString };

const PROBE_COLUMNS = 'duration_ms, width, height, codec, fps, spatial, picture';
const FAILURE_COLUMNS = 'kind, reason, attempts, retry_at, at';

/** JSON column: SQL NULL = never read (absent), 'null' = read and nothing found. */
function json<T>(v: unknown): T | null | undefined {
  if (v === null || v === undefined) return undefined;
  try {
    return JSON.parse(str(v)) as T | null;
  } catch {
    return undefined;
  }
}

function toProbe(r: Row, at = 0): MediaProbe {
  const p: MediaProbe = { durationMs: num(r[at]), width: num(r[at + 1]), height: num(r[at + 2]), codec: str(r[at + 3]), fps: num(r[at + 4]) };
  const spatial = json<NonNullable<MediaProbe['spatial']>>(r[at + 5]);
  const picture = json<NonNullable<MediaProbe['picture']>>(r[at + 6]);
  if (spatial !== undefined) p.spatial = spatial;
  if (picture !== undefined) p.picture = picture;
  return p;
}

const toJson = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

function toFailure(r: Row, at = 0): MediaFailure {
  return { kind: str(r[at]), reason: str(r[at + 1]), attempts: num(r[at + 2]), retryAt: num(r[at + 3]), at: num(r[at + 4]) };
}

const k = (key: MediaKey): [string, string, number] => [key.hash.toLowerCase(), key.path, key.bytes];

export function createMediaRepo(sql: Sql): MediaRepo {
  return {
    getProbe(key) {
      const r = sql.get(`SELECT ${PROBE_COLUMNS} FROM media_probes WHERE hash = ? AND path = ? AND bytes = ?`, ...k(key));
      return r === undefined ? null : toProbe(r);
    },
    putProbe(key, p) {
      sql.write(() => {
        sql.run(
          `INSERT INTO media_probes (hash, path, bytes, ${PROBE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (hash, path, bytes) DO UPDATE SET duration_ms = excluded.duration_ms, width = excluded.width,
             height = excluded.height, codec = excluded.codec, fps = excluded.fps, spatial = excluded.spatial,
             picture = excluded.picture`,
          ...k(key), Math.round(p.durationMs), Math.round(p.width), Math.round(p.height), p.codec, p.fps,
          toJson(p.spatial), toJson(p.picture),
        );
      });
    },
    allProbes() {
      const out = new Map<string, MediaProbe>();
      for (const r of sql.all(`SELECT hash, path, bytes, ${PROBE_COLUMNS} FROM media_probes`)) {
        out.set(mediaKeyString({ hash: str(r[0]), path: str(r[1]), bytes: num(r[2]) }), toProbe(r, 3));
      }
      return out;
    },
    recordFailure(key, kind, reason, retryAt, at) {
      const r = sql.write(() =>
        sql.get(
          `INSERT INTO media_failures (hash, path, bytes, ${FAILURE_COLUMNS}) VALUES (?, ?, ?, ?, ?, 1, ?, ?)
           ON CONFLICT (hash, path, bytes, kind) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1,
             retry_at = excluded.retry_at, at = excluded.at
           RETURNING ${FAILURE_COLUMNS}`,
          ...k(key), kind, reason, retryAt, at,
        ),
      );
      if (r === undefined) throw new Error('recordFailure: upsert returned no row');
      return toFailure(r);
    },
    getFailure(key, kind) {
      const r = sql.get(
        `SELECT ${FAILURE_COLUMNS} FROM media_failures WHERE hash = ? AND path = ? AND bytes = ? AND kind = ?`,
        ...k(key), kind,
      );
      return r === undefined ? null : toFailure(r);
    },
    clearFailure(key, kind) {
      sql.write(() => {
        sql.run('DELETE FROM media_failures WHERE hash = ? AND path = ? AND bytes = ? AND kind = ?', ...k(key), kind);
      });
    },
    failures() {
      return sql.all(`SELECT hash, path, bytes, ${FAILURE_COLUMNS} FROM media_failures ORDER BY at, hash, path`).map((r) => ({
        hash: str(r[0]),
        path: str(r[1]),
        bytes: num(r[2]),
        ...toFailure(r, 3),
      }));
    },
    pruneHashes(keepHashes) {
      const keep = new Set<string>();
      for (const h of keepHashes) keep.add(h.toLowerCase());
      return sql.write(() => {
        const hashes = sql.all('SELECT hash FROM media_probes UNION SELECT hash FROM media_failures').map((r) => str(r[0]));
        let n = 0;
        for (const h of hashes) {
          if (keep.has(h)) continue;
          n += sql.run('DELETE FROM media_probes WHERE hash = ?', h);
          n += sql.run('DELETE FROM media_failures WHERE hash = ?', h);
        }
        return n;
      });
    },
  };
}
