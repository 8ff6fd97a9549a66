// Saved views (issue 17) in SQLite with the rest of the user data: one row per view, its query
// string kept verbatim as the browser's URL holds it. Validation and meaning live in
// src/library/saved-views.ts; this repo only stores, and the UNIQUE name_key backs the duplicate
// check when two processes add the same name at once.
import { num, str, type Row, type Sql } from './db.ts';
import type { SavedViewRepo, SavedViewRow } from './types.ts';

const COLUMNS = 'id, name, query, position, created_at';

function toRow(r: Row): SavedViewRow {
  return { id: num(r[0]), name: str(r[1]), query: str(r[2]), position: num(r[3]), createdAt: str(r[4]) };
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/i.test(err.message);
}

export function createSavedViewRepo(sql: Sql): SavedViewRepo {
  return {
    list() {
      return sql.all(`SELECT ${COLUMNS} FROM saved_views ORDER BY position, id`).map(toRow);
    },
    create(name, nameKey, query, at) {
      try {
        return sql.write(() => {
          const position = num(sql.value('SELECT COALESCE(MAX(position), -1) + 1 FROM saved_views'));
          sql.run('INSERT INTO saved_views (name, name_key, query, position, created_at) VALUES (?, ?, ?, ?, ?)', name, nameKey, query, position, at);
          const r = sql.get(`SELECT ${COLUMNS} FROM saved_views WHERE name_key = ?`, nameKey);
          return r === undefined ? null : toRow(r);
        });
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    update(id, fields) {
      try {
        return sql.write(() => {
          if (sql.get('SELECT 1 FROM saved_views WHERE id = ?', id) === undefined) return false;
          if (fields.name !== undefined && fields.nameKey !== undefined) {
            sql.run('UPDATE saved_views SET name = ?, name_key = ? WHERE id = ?', fields.name, fields.nameKey, id);
          }
          if (fields.query !== undefined) sql.run('UPDATE saved_views SET query = ? WHERE id = ?', fields.query, id);
          return true;
        });
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    reorder(ids) {
      sql.write(() => {
        const current = sql.all('SELECT id FROM saved_views ORDER BY position, id').map((r) => num(r[0]));
        const known = new Set(current);
        const first = [...new Set(ids)].filter((id) => known.has(id));
        const listed = new Set(first);
        const order = [...first, ...current.filter((id) => !listed.has(id))];
        order.forEach((id, position) => sql.run('UPDATE saved_views SET position = ? WHERE id = ?', position, id));
      });
    },
    remove(id) {
      return sql.write(() => sql.run('DELETE FROM saved_views WHERE id = ?', id) > 0);
    },
  };
}
