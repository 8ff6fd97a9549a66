// Entry point of persistent state: opens (creating and migrating) `<dataDir>/debridsphere.db` and
// hands out the repos. One connection per process; several processes may share the file (WAL,
// BEGIN IMMEDIATE writes), and changeCounter() tells each one when another has written.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Sql, str } from './db.ts';
import { createLibraryRepo } from './library.ts';
import { createLinkRepo } from './links.ts';
import { createAuthRepo } from './auth.ts';
import { createMediaRepo } from './media.ts';
import { migrate } from './schema.ts';
import type { MetaRepo, Store } from './types.ts';
import { createUserRepo } from './user.ts';

export type {
  AuthRepo,
  CachedUnrestrict,
  LibraryRepo,
  LinkRepo,
  MediaFailure,
  MediaKey,
  MediaRepo,
  MetaRepo,
  Store,
  UserRepo,
} from './types.ts';
export { mediaKeyString } from './media.ts';
export { SCHEMA_VERSION } from './schema.ts';

export const DEFAULT_DB_FILE = 'debridsphere.db';

function createMetaRepo(sql: Sql): MetaRepo {
  return {
    get(key) {
      const r = sql.get('SELECT value FROM meta WHERE key = ?', key);
      return r === undefined ? null : str(r[0]);
    },
    set(key, value) {
      sql.write(() => {
        sql.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
      });
    },
    delete(key) {
      sql.write(() => {
        sql.run('DELETE FROM meta WHERE key = ?', key);
      });
    },
  };
}

/** Open the store in `dataDir` (created if missing), migrating the schema first. */
export function openStore(dataDir: string, opts: { fileName?: string } = {}): Store {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const sql = new Sql(join(dir, opts.fileName ?? DEFAULT_DB_FILE));
  try {
    migrate(sql);
  } catch (err) {
    sql.close();
    throw err;
  }
  return {
    library: createLibraryRepo(sql),
    user: createUserRepo(sql),
    media: createMediaRepo(sql),
    links: createLinkRepo(sql),
    meta: createMetaRepo(sql),
    auth: createAuthRepo(sql),
    file: sql.file,
    close: () => sql.close(),
    changeCounter: () => sql.changeCounter(),
    integrityCheck: () => sql.all('PRAGMA integrity_check').map((r) => str(r[0])),
    transaction: (fn) => sql.write(fn),
  };
}
