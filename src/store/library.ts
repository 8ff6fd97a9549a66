// The RD library as last seen: torrent summaries from the listing and the (immutable once
// downloaded) torrent infos, so a restart renders at once and never re-fetches what it knew.
// Infos are one compact JSON array per torrent: 50k of them load in one pass without a join.
import type { TorrentFile, TorrentInfo, TorrentSummary } from '../library/model.ts';
import { num, str, strOrNull, type Row, type Sql } from './db.ts';
import type { LibraryRepo } from './types.ts';

const SUMMARY_COLUMNS = 'id, hash, filename, bytes, status, progress, added, ended, links';

/** Rows still in the library (not confirmed gone from RD; those stay 30 days, see schema step 2). */
const LIVE = 'removed_at IS NULL';

// Being listed again clears "missing" and "removed": a false removal comes back with its info.
const UPSERT = `INSERT INTO torrents (${SUMMARY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, filename = excluded.filename, bytes = excluded.bytes,
    status = excluded.status, progress = excluded.progress, added = excluded.added, ended = excluded.ended,
    links = excluded.links, missing_since = NULL, removed_at = NULL
  WHERE torrents.missing_since IS NOT NULL OR torrents.removed_at IS NOT NULL OR torrents.hash IS NOT excluded.hash OR torrents.filename IS NOT excluded.filename
    OR torrents.bytes IS NOT excluded.bytes OR torrents.status IS NOT excluded.status
    OR torrents.progress IS NOT excluded.progress OR torrents.added IS NOT excluded.added
    OR torrents.ended IS NOT excluded.ended OR torrents.links IS NOT excluded.links`;

/** Format tag of the stored info document. A layout change bumps it together with a migration that deletes the old documents (they would read as null yet not count as missing). */
const INFO_FORMAT = 1;

function toSummary(r: Row): TorrentSummary {
  return {
    id: str(r[0]),
    hash: str(r[1]),
    filename: str(r[2]),
    bytes: num(r[3]),
    status: str(r[4]),
    progress: num(r[5]),
    added: str(r[6]),
    ended: strOrNull(r[7]),
    links: parseLinks(r[8]),
  };
}

function parseLinks(v: unknown): string[] {
  const parsed: unknown = JSON.parse(str(v) || '[]');
  return Array.isArray(parsed) ? parsed.map((l) => String(l)) : [];
}

function summaryParams(s: TorrentSummary): [string, string, string, number, string, number, string, string | null, string] {
  return [s.id, s.hash.toLowerCase(), s.filename, s.bytes, s.status, s.progress, s.added, s.ended, JSON.stringify(s.links)];
}

/** Longest common prefix of `items` that ends just after `sep` ('' when none). */
function commonPrefix(items: readonly string[], sep: string): string {
  const first = items[0];
  if (first === undefined) return '';
  let len = first.length;
  for (const s of items) {
    let i = 0;
    while (i < len && i < s.length && s.charCodeAt(i) === first.charCodeAt(i)) i++;
    len = i;
  }
  return len === 0 ? '' : first.slice(0, first.lastIndexOf(sep, len - 1) + 1);
}

/**
 * Compact positional document, parsed 50k times at start-up, so the shared parts of links and
 * paths are stored once: [format, hash, filename, bytes, status, progress, added, ended,
 * linkPrefix, linkTails, originalFilename (0 = same as filename), pathPrefix,
 * files as [id, pathTail, bytes, selected 0/1]].
 */
export function encodeInfo(info: TorrentInfo): string {
  const linkPrefix = commonPrefix(info.links, '/');
  const paths = info.files.map((f) => f.path);
  const pathPrefix = commonPrefix(paths, '/');
  return JSON.stringify([
    INFO_FORMAT,
    info.hash.toLowerCase(),
    info.filename,
    info.bytes,
    info.status,
    info.progress,
    info.added,
    info.ended,
    linkPrefix,
    info.links.map((l) => l.slice(linkPrefix.length)),
    info.originalFilename === info.filename ? 0 : info.originalFilename,
    pathPrefix,
    info.files.map((f) => [f.id, f.path.slice(pathPrefix.length), f.bytes, f.selected ? 1 : 0]),
  ]);
}

/** Null when the document is not in the current format (the info will simply be fetched again). */
export function decodeInfo(id: string, doc: string): TorrentInfo | null {
  let d: unknown;
  try {
    d = JSON.parse(doc);
  } catch {
    return null;
  }
  if (!Array.isArray(d) || d[0] !== INFO_FORMAT || !Array.isArray(d[9]) || !Array.isArray(d[12])) return null;
  const filename = str(d[2]);
  const linkPrefix = str(d[8]);
  const pathPrefix = str(d[11]);
  const files: TorrentFile[] = (d[12] as unknown[][]).map((f) => ({
    id: num(f[0]),
    path: pathPrefix + str(f[1]),
    bytes: num(f[2]),
    selected: f[3] === 1,
  }));
  return {
    id,
    hash: str(d[1]),
    filename,
    bytes: num(d[3]),
    status: str(d[4]),
    progress: num(d[5]),
    added: str(d[6]),
    ended: strOrNull(d[7]),
    links: (d[9] as unknown[]).map((l) => linkPrefix + str(l)),
    originalFilename: d[10] === 0 ? filename : strOrNull(d[10]),
    files,
  };
}

export function createLibraryRepo(sql: Sql): LibraryRepo {
  /** Upserts without duplicates; returns [added, changed] given the ids that existed before. */
  const upsertAll = (summaries: readonly TorrentSummary[], existing: ReadonlySet<string>, seen: Set<string>): [number, number] => {
    let added = 0;
    let changed = 0;
    for (const s of summaries) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      if (sql.run(UPSERT, ...summaryParams(s)) === 0) continue;
      if (existing.has(s.id)) changed++;
      else added++;
    }
    return [added, changed];
  };
  const existingIds = (): Set<string> => new Set(sql.all(`SELECT id FROM torrents WHERE ${LIVE}`).map((r) => str(r[0])));
  const removeIds = (ids: Iterable<string>): number => {
    let n = 0;
    // infos and link matches go with the row (ON DELETE CASCADE)
    for (const id of ids) n += sql.run('DELETE FROM torrents WHERE id = ?', id);
    return n;
  };

  return {
    allNumbers() {
      const out = new Map<string, number>();
      for (const r of sql.all('SELECT hash, number FROM video_numbers')) out.set(str(r[0]), num(r[1]));
      return out;
    },
    numberNewHashes() {
      // Set-based, so a full sync of a big library costs one statement; a number is never reused
      // (no row is ever deleted) and another process numbering at the same time is serialised by
      // the write lock.
      sql.write(() => {
        sql.run(`INSERT INTO video_numbers (hash)
          SELECT lower(hash) FROM torrents WHERE lower(hash) NOT IN (SELECT hash FROM video_numbers)
          GROUP BY lower(hash) ORDER BY min(added), lower(hash)`);
      });
    },
    all() {
      return sql.all(`SELECT ${SUMMARY_COLUMNS} FROM torrents WHERE ${LIVE}`).map(toSummary);
    },
    count() {
      return num(sql.value(`SELECT count(*) FROM torrents WHERE ${LIVE}`));
    },
    get(torrentId) {
      const r = sql.get(`SELECT ${SUMMARY_COLUMNS} FROM torrents WHERE id = ? AND ${LIVE}`, torrentId);
      return r === undefined ? null : toSummary(r);
    },
    summariesFor(torrentIds) {
      const out = new Map<string, TorrentSummary>();
      if (torrentIds.length === 0) return out;
      for (const r of sql.all(`SELECT ${SUMMARY_COLUMNS} FROM torrents WHERE ${LIVE} AND id IN (SELECT value FROM json_each(?))`, JSON.stringify(torrentIds))) {
        const s = toSummary(r);
        out.set(s.id, s);
      }
      return out;
    },
    replaceAll(summaries) {
      return sql.write(() => {
        const existing = existingIds();
        const seen = new Set<string>();
        const [added, changed] = upsertAll(summaries, existing, seen);
        const gone: string[] = [];
        for (const id of existing) if (!seen.has(id)) gone.push(id);
        return { added, changed, removed: removeIds(gone) };
      });
    },
    upsertMany(summaries) {
      if (summaries.length === 0) return 0;
      return sql.write(() => {
        const [added, changed] = upsertAll(summaries, existingIds(), new Set());
        return added + changed;
      });
    },
    missingState() {
      const out = new Map<string, number | null>();
      for (const r of sql.all(`SELECT id, missing_since FROM torrents WHERE ${LIVE}`)) out.set(str(r[0]), r[1] === null ? null : num(r[1]));
      return out;
    },
    applyListing(summaries, removeIds, now) {
      return sql.write(() => {
        const existing = existingIds();
        const seen = new Set<string>();
        const [added, changed] = upsertAll(summaries, existing, seen);
        const removing = new Set(removeIds);
        let missing = 0;
        let removed = 0;
        for (const id of existing) {
          if (seen.has(id)) continue;
          if (removing.has(id)) removed += sql.run(`UPDATE torrents SET removed_at = ? WHERE id = ? AND ${LIVE}`, now, id);
          else missing += sql.run('UPDATE torrents SET missing_since = ? WHERE id = ? AND missing_since IS NULL', now, id);
        }
        return { added, changed, removed, missing };
      });
    },
    softRemove(torrentIds, now) {
      if (torrentIds.length === 0) return 0;
      return sql.write(() => {
        let n = 0;
        for (const id of torrentIds) n += sql.run(`UPDATE torrents SET removed_at = ? WHERE id = ? AND ${LIVE}`, now, id);
        return n;
      });
    },
    purgeRemoved(removedBefore) {
      // infos and link matches go with the row (ON DELETE CASCADE)
      return sql.write(() => sql.run('DELETE FROM torrents WHERE removed_at IS NOT NULL AND removed_at < ?', removedBefore));
    },
    retainedHashes() {
      return new Set(sql.all('SELECT DISTINCT hash FROM torrents').map((r) => str(r[0])));
    },
    removedVideo(hashPrefix) {
      const r = sql.get(
        'SELECT id, removed_at FROM torrents WHERE removed_at IS NOT NULL AND substr(hash, 1, ?) = ? ORDER BY removed_at DESC LIMIT 1',
        hashPrefix.length, hashPrefix.toLowerCase(),
      );
      return r === undefined ? null : { torrentId: str(r[0]), removedAt: num(r[1]) };
    },
    removedInfoByHash(hash) {
      const r = sql.get(
        `SELECT t.id, i.doc FROM torrents t JOIN torrent_infos i ON i.torrent_id = t.id
         WHERE t.hash = ? AND t.removed_at IS NOT NULL ORDER BY t.removed_at DESC LIMIT 1`,
        hash.toLowerCase(),
      );
      return r === undefined ? null : decodeInfo(str(r[0]), str(r[1]));
    },
    remove(torrentIds) {
      if (torrentIds.length === 0) return;
      sql.write(() => removeIds(torrentIds));
    },
    getInfo(torrentId) {
      const r = sql.get('SELECT doc FROM torrent_infos WHERE torrent_id = ?', torrentId);
      return r === undefined ? null : decodeInfo(torrentId, str(r[0]));
    },
    putInfo(info) {
      const doc = encodeInfo(info);
      sql.write(() => {
        sql.run(`INSERT INTO torrents (${SUMMARY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          ...summaryParams(info));
        sql.run(
          `INSERT INTO torrent_infos (torrent_id, status, doc) VALUES (?, ?, ?)
           ON CONFLICT (torrent_id) DO UPDATE SET status = excluded.status, doc = excluded.doc`,
          info.id, info.status, doc,
        );
      });
    },
    infosFor(torrentIds) {
      const out = new Map<string, TorrentInfo>();
      if (torrentIds.length === 0) return out;
      // One statement whatever the count: the ids travel as one JSON array parameter.
      for (const r of sql.all('SELECT torrent_id, doc FROM torrent_infos WHERE torrent_id IN (SELECT value FROM json_each(?))', JSON.stringify(torrentIds))) {
        const id = str(r[0]);
        const info = decodeInfo(id, str(r[1]));
        if (info !== null) out.set(id, info);
      }
      return out;
    },
    idsWithInfo() {
      return new Set(sql.all('SELECT torrent_id FROM torrent_infos').map((r) => str(r[0])));
    },
    idsMissingInfo(limit) {
      const rows = sql.all(
        // In the order the players list them: Favorites (their first tab), then newest first.
        `SELECT t.id FROM torrents t LEFT JOIN torrent_infos i ON i.torrent_id = t.id
         LEFT JOIN user_data u ON u.hash = lower(t.hash)
         WHERE t.status = 'downloaded' AND t.removed_at IS NULL AND (i.torrent_id IS NULL OR i.status <> 'downloaded')
         ORDER BY COALESCE(u.favorite, 0) DESC, t.added DESC, t.id LIMIT ?`,
        Math.max(0, Math.floor(limit)),
      );
      return rows.map((r) => str(r[0]));
    },
  };
}
