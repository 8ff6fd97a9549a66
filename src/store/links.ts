// Restricted-link knowledge that costs RD calls to learn: unrestrict results (the download URL
// expires, filename/size never do), links known dead or blocked, and which link belongs to which
// file when RD's links cannot be zipped with the selected files (name-matching mode).
import { num, str, strOrNull, type Sql } from './db.ts';
import type { CachedUnrestrict, LinkRepo } from './types.ts';

const BAD_KINDS: ReadonlySet<string> = new Set(['dead', 'blocked']);

export function createLinkRepo(sql: Sql): LinkRepo {
  return {
    get(link) {
      const r = sql.get('SELECT download, filename, filesize, mime_type, generated_at FROM unrestricts WHERE link = ?', link);
      if (r === undefined) return null;
      return { link, download: str(r[0]), filename: str(r[1]), filesize: num(r[2]), mimeType: strOrNull(r[3]), generatedAt: num(r[4]) };
    },
    put(u: CachedUnrestrict) {
      sql.write(() => {
        sql.run(
          `INSERT INTO unrestricts (link, download, filename, filesize, mime_type, generated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (link) DO UPDATE SET download = excluded.download, filename = excluded.filename,
             filesize = excluded.filesize, mime_type = excluded.mime_type, generated_at = excluded.generated_at`,
          u.link, u.download, u.filename, u.filesize, u.mimeType, u.generatedAt,
        );
      });
    },
    pruneUnrestricts(generatedBefore) {
      return sql.write(() => sql.run('DELETE FROM unrestricts WHERE generated_at < ?', generatedBefore));
    },
    markBad(link, kind, at) {
      if (!BAD_KINDS.has(kind)) throw new Error(`markBad: unknown kind ${String(kind)}`);
      sql.write(() => {
        sql.run('INSERT INTO bad_links (link, kind, at) VALUES (?, ?, ?) ON CONFLICT (link) DO UPDATE SET kind = excluded.kind, at = excluded.at',
          link, kind, at);
      });
    },
    badState(link) {
      const r = sql.get('SELECT kind, at FROM bad_links WHERE link = ?', link);
      if (r === undefined) return null;
      return { kind: str(r[0]) === 'blocked' ? 'blocked' : 'dead', at: num(r[1]) };
    },
    allBad() {
      const out = new Map<string, 'dead' | 'blocked'>();
      for (const r of sql.all('SELECT link, kind FROM bad_links')) out.set(str(r[0]), str(r[1]) === 'blocked' ? 'blocked' : 'dead');
      return out;
    },
    clearBad(link) {
      // Called after every successful unrestrict: a plain read first spares /play a write transaction in the usual case.
      if (sql.get('SELECT 1 FROM bad_links WHERE link = ?', link) === undefined) return;
      sql.write(() => {
        sql.run('DELETE FROM bad_links WHERE link = ?', link);
      });
    },
    putMatches(torrentId, matches) {
      if (matches.size === 0) return;
      sql.write(() => {
        if (sql.get('SELECT 1 FROM torrents WHERE id = ?', torrentId) === undefined) return;
        for (const [fileId, link] of matches) {
          sql.run(
            'INSERT INTO link_matches (torrent_id, file_id, link) VALUES (?, ?, ?) ON CONFLICT (torrent_id, file_id) DO UPDATE SET link = excluded.link',
            torrentId, fileId, link,
          );
        }
      });
    },
    allMatches() {
      const out = new Map<string, Map<number, string>>();
      for (const r of sql.all('SELECT torrent_id, file_id, link FROM link_matches ORDER BY torrent_id, file_id')) {
        const id = str(r[0]);
        let m = out.get(id);
        if (!m) out.set(id, (m = new Map()));
        m.set(num(r[1]), str(r[2]));
      }
      return out;
    },
  };
}
