// Funscript facts (issue 17), one row per script file identity (hash, path, bytes) like ffprobe's
// facts: a script is downloaded and analysed once, and a broken one keeps its reason instead of
// being fetched again on every pass.
import type { ScriptFacts, ScriptProblem } from '../library/funscript.ts';
import { mediaKeyString } from '../library/ids.ts';
import { num, str, type Row, type Sql } from './db.ts';
import type { ScriptRepo } from './types.ts';

function toFacts(r: Row): ScriptFacts {
  if (num(r[3]) !== 1) return { ok: false, code: str(r[4]) as ScriptProblem, reason: str(r[5]) };
  return { ok: true, actions: num(r[6]), lengthMs: num(r[7]), avgSpeed: num(r[8]), maxSpeed: num(r[9]), heat: str(r[10]) };
}

export function createScriptRepo(sql: Sql): ScriptRepo {
  return {
    all() {
      const out = new Map<string, ScriptFacts>();
      const rows = sql.all('SELECT hash, path, bytes, ok, code, reason, actions, length_ms, avg_speed, max_speed, heat FROM script_facts');
      for (const r of rows) out.set(mediaKeyString({ hash: str(r[0]), path: str(r[1]), bytes: num(r[2]) }), toFacts(r));
      return out;
    },
    put(key, f, at) {
      const values = f.ok ? [1, null, null, f.actions, f.lengthMs, f.avgSpeed, f.maxSpeed, f.heat] : [0, f.code, f.reason, 0, 0, 0, 0, ''];
      sql.write(() => {
        sql.run(
          `INSERT INTO script_facts (hash, path, bytes, ok, code, reason, actions, length_ms, avg_speed, max_speed, heat, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (hash, path, bytes) DO UPDATE SET ok = excluded.ok, code = excluded.code, reason = excluded.reason,
             actions = excluded.actions, length_ms = excluded.length_ms, avg_speed = excluded.avg_speed,
             max_speed = excluded.max_speed, heat = excluded.heat, at = excluded.at`,
          key.hash.toLowerCase(), key.path, key.bytes, ...values, at,
        );
      });
    },
    pruneHashes(keepHashes) {
      const keep = new Set<string>();
      for (const h of keepHashes) keep.add(h.toLowerCase());
      return sql.write(() => {
        let n = 0;
        for (const r of sql.all('SELECT DISTINCT hash FROM script_facts')) {
          const h = str(r[0]);
          if (!keep.has(h)) n += sql.run('DELETE FROM script_facts WHERE hash = ?', h);
        }
        return n;
      });
    },
  };
}
