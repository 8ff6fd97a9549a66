// Login state that must outlive a process and be shared by every process on the data dir:
// revoked browser sessions and the session generation ("log out everywhere" bumps it, which
// voids every cookie issued before). Secrets never land here: only random session ids.
import { num, type Sql } from './db.ts';
import type { AuthRepo } from './types.ts';

const GENERATION_KEY = 'auth.session-generation';

export function createAuthRepo(sql: Sql): AuthRepo {
  return {
    revokeSession(id, expiresAtMs, nowMs) {
      sql.write(() => {
        sql.run('INSERT INTO revoked_sessions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', id, expiresAtMs);
        sql.run('DELETE FROM revoked_sessions WHERE expires_at <= ?', nowMs);
      });
    },
    isRevoked(id) {
      return sql.get('SELECT 1 FROM revoked_sessions WHERE id = ?', id) !== undefined;
    },
    sessionGeneration() {
      const r = sql.get('SELECT value FROM meta WHERE key = ?', GENERATION_KEY);
      return r === undefined ? 0 : num(r[0]) || 0;
    },
    bumpSessionGeneration() {
      return sql.write(() => {
        const r = sql.get('SELECT value FROM meta WHERE key = ?', GENERATION_KEY);
        const next = (r === undefined ? 0 : num(r[0]) || 0) + 1;
        sql.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', GENERATION_KEY, String(next));
        return next;
      });
    },
  };
}
