// The user's own data (favourite, rating, tags, playback history, .hsp files), keyed by
// lower-case torrent hash so it outlives the RD torrent id. Every change is one SQL upsert that
// touches only its own columns (counters incremented in SQL), so two processes writing at once
// never overwrite each other's fields or lose an increment.
import { EMPTY_USER_DATA, type ProjectionOverride, type UserData, type UserTag } from '../library/model.ts';
import { cleanOverride } from '../library/projection-sources.ts';
import { bool, num, str, strOrNull, type Row, type Sql, type SqlParam } from './db.ts';
import type { UserRepo } from './types.ts';

const COLUMNS = `u.hash, u.favorite, u.rating, u.tags, u.watched, u.play_count, u.resume_ms, u.last_played_at,
  EXISTS (SELECT 1 FROM user_hsp h WHERE h.hash = u.hash),
  (SELECT p.doc FROM user_projection p WHERE p.hash = u.hash)`;

const key = (hash: string): string => hash.toLowerCase();

function parseTags(v: unknown): UserTag[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(str(v) || '[]');
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? (parsed.filter((t) => typeof t === 'object' && t !== null) as UserTag[]) : [];
}

function toUserData(r: Row): UserData {
  return {
    favorite: bool(r[1]),
    rating: num(r[2]),
    tags: parseTags(r[3]),
    hasHsp: bool(r[8]),
    playCount: num(r[5]),
    resumeMs: num(r[6]),
    watched: bool(r[4]),
    lastPlayedAt: strOrNull(r[7]),
    projection: parseOverride(r[9]),
  };
}

/** A stored override, re-checked on the way out (a hand-edited or older row never breaks a video). */
function parseOverride(v: unknown): ProjectionOverride | null {
  if (v === null || v === undefined) return null;
  try {
    return cleanOverride(JSON.parse(str(v)));
  } catch {
    return null;
  }
}

/** Keep only the fields UserTag defines, so stray properties never reach the database. */
function cleanTag(t: UserTag): UserTag {
  const out: UserTag = { name: String(t.name) };
  if (typeof t.start === 'number') out.start = t.start;
  if (typeof t.end === 'number') out.end = t.end;
  if (typeof t.track === 'number') out.track = t.track;
  if (typeof t.rating === 'number') out.rating = t.rating;
  return out;
}

export function createUserRepo(sql: Sql): UserRepo {
  /** `INSERT ... ON CONFLICT DO UPDATE` for a set of columns, as one write transaction. */
  const upsert = (hash: string, columns: readonly string[], values: readonly SqlParam[], update: string): void => {
    const names = ['hash', ...columns].join(', ');
    const marks = ['?', ...columns.map(() => '?')].join(', ');
    sql.write(() => {
      sql.run(`INSERT INTO user_data (${names}) VALUES (${marks}) ON CONFLICT (hash) DO UPDATE SET ${update}`, key(hash), ...values);
    });
  };

  return {
    get(hash) {
      const r = sql.get(`SELECT ${COLUMNS} FROM user_data u WHERE u.hash = ?`, key(hash));
      return r === undefined ? { ...EMPTY_USER_DATA, tags: [] } : toUserData(r);
    },
    all() {
      const out = new Map<string, UserData>();
      for (const r of sql.all(`SELECT ${COLUMNS} FROM user_data u`)) out.set(str(r[0]), toUserData(r));
      return out;
    },
    setFavorite(hash, favorite) {
      upsert(hash, ['favorite'], [favorite], 'favorite = excluded.favorite');
    },
    setRating(hash, rating) {
      upsert(hash, ['rating'], [rating], 'rating = excluded.rating');
    },
    setTags(hash, tags) {
      upsert(hash, ['tags'], [JSON.stringify(tags.map(cleanTag))], 'tags = excluded.tags');
    },
    setWatched(hash, watched) {
      upsert(hash, ['watched'], [watched], 'watched = excluded.watched');
    },
    putHsp(hash, bytes) {
      sql.write(() => {
        sql.run('INSERT INTO user_data (hash) VALUES (?) ON CONFLICT (hash) DO NOTHING', key(hash));
        sql.run('INSERT INTO user_hsp (hash, bytes) VALUES (?, ?) ON CONFLICT (hash) DO UPDATE SET bytes = excluded.bytes',
          key(hash), bytes);
      });
    },
    setProjection(hash, override, at) {
      const clean = override === null ? null : cleanOverride(override);
      sql.write(() => {
        if (clean === null) {
          sql.run('DELETE FROM user_projection WHERE hash = ?', key(hash));
          return;
        }
        sql.run('INSERT INTO user_data (hash) VALUES (?) ON CONFLICT (hash) DO NOTHING', key(hash));
        sql.run('INSERT INTO user_projection (hash, doc, at) VALUES (?, ?, ?) ON CONFLICT (hash) DO UPDATE SET doc = excluded.doc, at = excluded.at',
          key(hash), JSON.stringify(clean), at);
      });
    },
    getHsp(hash) {
      const r = sql.get('SELECT bytes FROM user_hsp WHERE hash = ?', key(hash));
      const v = r?.[0];
      if (v === undefined || v === null) return null;
      return Buffer.isBuffer(v) ? v : Buffer.from(v as ArrayBuffer);
    },
    recordOpen(hash, at) {
      upsert(hash, ['last_played_at'], [at], 'last_played_at = excluded.last_played_at');
    },
    recordPosition(hash, positionMs, at) {
      upsert(hash, ['resume_ms', 'last_played_at'], [Math.max(0, Math.round(positionMs)), at],
        'resume_ms = excluded.resume_ms, last_played_at = excluded.last_played_at');
    },
    recordClose(hash, positionMs, countPlay, markWatched, at) {
      upsert(hash, ['resume_ms', 'play_count', 'watched', 'last_played_at'],
        [Math.max(0, Math.round(positionMs)), countPlay ? 1 : 0, markWatched, at],
        `resume_ms = excluded.resume_ms, play_count = play_count + excluded.play_count,
         watched = max(watched, excluded.watched), last_played_at = excluded.last_played_at`);
    },
  };
}
