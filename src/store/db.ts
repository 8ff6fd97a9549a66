// The one SQLite connection of a process, wrapped so the repos cannot get the risky parts wrong:
// pragmas set once, prepared statements cached, reads return positional rows (libsql's object rows
// carry an extra `_metadata` field and cost more), parameters sanitised (libsql aborts the whole
// process on a JS boolean), and every write runs in BEGIN IMMEDIATE so writers in different
// processes queue on the file lock instead of failing half-way, with a bounded retry on SQLITE_BUSY.
import Database from 'libsql';

export type SqlParam = string | number | bigint | Buffer | boolean | null | undefined;
export type Row = unknown[];

/** How long SQLite itself waits for another process's lock before reporting SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;
/** Whole-transaction retries after SQLITE_BUSY (each one already waited BUSY_TIMEOUT_MS). */
const BUSY_RETRIES = 4;

type Statement = Database.Statement<unknown[]>;

/** SQLITE_BUSY and its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT). */
export function isBusy(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, rawCode } = err as { code?: unknown; rawCode?: unknown };
  if (typeof rawCode === 'number' && (rawCode & 0xff) === 5) return true;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Synchronous pause: the whole store API is synchronous, like the driver under it. */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function bind(params: readonly SqlParam[]): unknown[] {
  const out = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    out[i] = typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p;
  }
  return out;
}

/** Retry a statement that does not run inside a transaction (opening pragmas). */
export function retryBusy<T>(fn: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || attempt > BUSY_RETRIES) throw err;
      pause(20 + Math.floor(Math.random() * 80));
    }
  }
}

export class Sql {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private inWrite = false;
  private closed = false;
  // changeCounter bookkeeping: data_version moves on other connections' commits, total_changes
  // on ours; both folded into one number that only ever grows.
  private lastDataVersion = -1;
  private lastTotalChanges = 0;
  private counter = 0;

  constructor(file: string) {
    this.file = file;
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      retryBusy(() => this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`));
      // WAL: readers never block the writer and a commit is one append to the -wal file.
      // synchronous=NORMAL in WAL mode fsyncs at checkpoints, not at each commit: a committed
      // transaction is in the OS page cache before COMMIT returns, so it survives the process
      // being killed (kill -9, crash); only a power loss / OS crash can drop the last few
      // commits, and the database stays consistent either way (never corrupt).
      const mode = retryBusy(() => this.value('PRAGMA journal_mode = WAL'));
      if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.db.exec('PRAGMA foreign_keys = ON');
      this.lastDataVersion = Number(this.value('PRAGMA data_version'));
      this.lastTotalChanges = Number(this.value('SELECT total_changes()'));
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  private stmt(sql: string): Statement {
    if (this.closed) throw new Error('store is closed');
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      if (s.reader) s.raw(true); // raw() throws on statements that return no rows
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Run one statement; returns the number of rows it changed. */
  run(sql: string, ...params: SqlParam[]): number {
    return this.stmt(sql).run(bind(params)).changes;
  }

  /** First row as a positional array, or undefined. */
  get(sql: string, ...params: SqlParam[]): Row | undefined {
    return this.stmt(sql).get(bind(params)) as Row | undefined;
  }

  /** All rows as positional arrays. */
  all(sql: string, ...params: SqlParam[]): Row[] {
    return this.stmt(sql).all(bind(params)) as Row[];
  }

  /** First column of the first row, or undefined. */
  value(sql: string, ...params: SqlParam[]): unknown {
    return this.get(sql, ...params)?.[0];
  }

  /** Statements without parameters or results (DDL, pragmas); not cached. */
  exec(sql: string): void {
    if (this.closed) throw new Error('store is closed');
    this.db.exec(sql);
  }

  /**
   * Run `fn` in one write transaction. BEGIN IMMEDIATE takes the write lock up front, so two
   * processes serialise here (waiting up to BUSY_TIMEOUT_MS) instead of deadlocking on a lock
   * upgrade; on SQLITE_BUSY the whole transaction is retried, so `fn` must only touch the
   * database and return its result (no outside side effects). Nested calls join the outer one.
   */
  write<T>(fn: () => T): T {
    if (this.inWrite) return fn();
    if (this.closed) throw new Error('store is closed');
    for (let attempt = 1; ; attempt++) {
      let result: T;
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (err) {
        if (isBusy(err) && attempt <= BUSY_RETRIES) {
          pause(20 + Math.floor(Math.random() * 80));
          continue;
        }
        throw err;
      }
      this.inWrite = true;
      try {
        result = fn();
        this.db.exec('COMMIT');
      } catch (err) {
        if (this.db.inTransaction) {
          try {
            this.db.exec('ROLLBACK');
          } catch {
            // the transaction is already gone; nothing else to undo
          }
        }
        this.inWrite = false;
        if (isBusy(err) && attempt <= BUSY_RETRIES) {
          pause(20 + Math.floor(Math.random() * 80));
          continue;
        }
        throw err;
      }
      this.inWrite = false;
      return result;
    }
  }

  /** Grows whenever this connection or any other committed a change. */
  changeCounter(): number {
    const dataVersion = Number(this.value('PRAGMA data_version'));
    if (dataVersion !== this.lastDataVersion) {
      this.lastDataVersion = dataVersion;
      this.counter++;
    }
    const total = Number(this.value('SELECT total_changes()'));
    if (total !== this.lastTotalChanges) {
      this.lastTotalChanges = total;
      this.counter++;
    }
    return this.counter;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    try {
      this.db.exec('PRAGMA optimize'); // refreshes planner statistics when they are stale; cheap
    } catch {
      // best effort only
    }
    this.db.close();
  }
}

// Column readers: rows come back as unknown[]; the schema fixes each column's type.
export const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
export const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
export const bool = (v: unknown): boolean => v === 1 || v === true || v === 1n;
