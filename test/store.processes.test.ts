// The store shared by several processes on one file: a fresh data dir opened by four processes
// at once, concurrent user-data writers losing nothing, a writer killed with SIGKILL mid-burst
// keeping every acknowledged write (library rows and user data: favourite, rating, tags, HSP),
// and changeCounter noticing another process's commit.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { openStore, SCHEMA_VERSION } from '../src/store/index.ts';
import { BURST_GROUP, burstInfo, burstUser } from './helpers/store-writer.ts';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const WRITER = join(ROOT, 'test', 'helpers', 'store-writer.ts');

const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ds-store-proc-'));
  dirs.push(d);
  return d;
}

interface Writer {
  child: ChildProcess;
  /** Complete stdout lines so far. */
  lines: string[];
  stderr: () => string;
  /** Resolves when a line satisfies `pred` (rejects if the process exits first). */
  waitLine(pred: (line: string, count: number) => boolean): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWriter(args: string[]): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let partial = '';
  let err = '';
  const waiters: Array<{ pred: (l: string, n: number) => boolean; resolve: () => void; reject: (e: Error) => void }> = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i]!;
        if (w.pred(line, lines.length)) {
          waiters.splice(i, 1);
          w.resolve();
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`writer exited (${code ?? signal}) before the awaited line: ${err}`));
      resolve({ code, signal });
    });
  });
  return {
    child,
    lines,
    stderr: () => err,
    waitLine: (pred) => new Promise((resolve, reject) => waiters.push({ pred, resolve, reject })),
    exited,
  };
}

/** Start writers, wait until every one has loaded its code, then release them together. */
async function runTogether(argsList: string[][]): Promise<Writer[]> {
  const writers = argsList.map(startWriter);
  await Promise.all(writers.map((w) => w.waitLine((l) => l === 'ready')));
  for (const w of writers) w.child.stdin!.write('go\n');
  return writers;
}

async function expectSuccess(w: Writer): Promise<void> {
  const { code, signal } = await w.exited;
  assert.equal(code, 0, `writer failed (${code ?? signal}): ${w.stderr()}`);
  assert.equal(w.lines.at(-1), 'done');
}

test('four processes opening a fresh data dir at once migrate it exactly once', async () => {
  const dir = tempDir();
  const writers = await runTogether([0, 1, 2, 3].map((i) => [dir, 'open', String(i)]));
  for (const w of writers) await expectSuccess(w);

  const raw = new Database(join(dir, 'debridsphere.db'));
  try {
    assert.deepEqual(raw.prepare('PRAGMA user_version').raw().get(), [SCHEMA_VERSION]);
    assert.deepEqual(raw.prepare('PRAGMA journal_mode').raw().get(), ['wal']);
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'torrents'").raw().all();
    assert.equal(tables.length, 1);
  } finally {
    raw.close();
  }
  const store = openStore(dir);
  try {
    assert.deepEqual(store.integrityCheck(), ['ok']);
    for (const i of [0, 1, 2, 3]) assert.equal(store.meta.get(`proc:${i}`), 'ok');
  } finally {
    store.close();
  }
});

test('concurrent processes writing user data lose no update', async () => {
  const dir = tempDir();
  const ROUNDS = 300;
  const PROCS = 3;
  openStore(dir).close(); // schema in place so the writers race on data, not on migration
  const writers = await runTogether(Array.from({ length: PROCS }, (_, i) => [dir, 'user', String(i), String(ROUNDS), 'AbCd']));
  for (const w of writers) await expectSuccess(w);

  const store = openStore(dir);
  try {
    const shared = store.user.get('abcd');
    assert.equal(shared.playCount, PROCS * ROUNDS * 2, 'every increment from every process counted');
    assert.equal(shared.rating, 4.5, "the rating writers' last value");
    assert.equal(shared.favorite, true, "the favourite writer's last value, not undone by the rating writers");
    assert.equal(shared.watched, false);
    assert.equal(shared.resumeMs, ROUNDS);
    for (let p = 0; p < PROCS; p++) {
      assert.deepEqual(store.user.get(`abcd-tags-${p}`).tags, [{ name: `P${p}:last:${ROUNDS}`, start: ROUNDS, end: ROUNDS + 1 }]);
    }
    const sharedTags = store.user.get('abcd-tags-shared').tags;
    const finals = Array.from({ length: PROCS }, (_, p) => [{ name: `P${p}:${ROUNDS}` }, { name: `P${p}:${ROUNDS}:b` }]);
    assert.ok(
      finals.some((f) => JSON.stringify(f) === JSON.stringify(sharedTags)),
      `shared tags are one process's complete last write: ${JSON.stringify(sharedTags)}`,
    );
    assert.deepEqual(store.integrityCheck(), ['ok']);
  } finally {
    store.close();
  }
});

test('a writer killed with SIGKILL mid-burst keeps every acknowledged write', async () => {
  const dir = tempDir();
  const KILL_AFTER = 120;
  const [w] = await runTogether([[dir, 'burst']]);
  assert.ok(w);
  await w.waitLine((l, n) => /^\d+$/.test(l) && n > KILL_AFTER);
  w.child.kill('SIGKILL');
  const { signal } = await w.exited;
  assert.equal(signal, 'SIGKILL');

  const acked = w.lines.filter((l) => /^\d+$/.test(l)).map(Number);
  assert.ok(acked.length >= KILL_AFTER, `saw ${acked.length} acknowledged writes`);
  acked.forEach((seq, i) => assert.equal(seq, i, 'acknowledgements arrive in order'));

  const store = openStore(dir);
  try {
    assert.deepEqual(store.integrityCheck(), ['ok']);
    for (const seq of acked) {
      assert.deepEqual(store.library.getInfo(`B${seq}`), burstInfo(seq), `info ${seq}`);
      assert.ok(store.library.get(`B${seq}`), `summary ${seq}`);
      const u = burstUser(seq);
      const got = store.user.get(u.hash);
      assert.deepEqual({ favorite: got.favorite, rating: got.rating, tags: got.tags, hasHsp: got.hasHsp }, { favorite: u.favorite, rating: u.rating, tags: u.tags, hasHsp: true }, `user data ${seq}`);
      assert.deepEqual(store.user.getHsp(u.hash), u.hsp, `hsp ${seq}`);
    }
    // A write cut short by the kill is absent or whole, never half a value.
    const next = burstUser((acked.at(-1) ?? -1) + 1);
    const hsp = store.user.getHsp(next.hash);
    assert.ok(hsp === null || hsp.equals(next.hsp), 'the interrupted HSP is absent or complete');
    // Group transactions are all-or-nothing, acknowledged ones are all there.
    const ids = new Set(store.library.all().map((s) => s.id));
    const lastAcked = acked.at(-1) ?? -1;
    for (let seq = 0; seq <= lastAcked + 20; seq += 10) {
      let present = 0;
      for (let k = 0; k < BURST_GROUP; k++) if (ids.has(`G${seq}-${k}`)) present++;
      if (seq <= lastAcked) assert.equal(present, BURST_GROUP, `group ${seq} acknowledged`);
      else assert.ok(present === 0 || present === BURST_GROUP, `group ${seq} has ${present} rows: torn transaction`);
    }
    // and the file is still writable
    store.library.putInfo(burstInfo(lastAcked + 1000));
    assert.ok(store.library.getInfo(`B${lastAcked + 1000}`));
  } finally {
    store.close();
  }
});

test('changeCounter changes when another process writes', async () => {
  const dir = tempDir();
  const store = openStore(dir);
  try {
    const before = store.changeCounter();
    assert.equal(store.changeCounter(), before, 'stable while nobody writes');
    const [w] = await runTogether([[dir, 'meta', 'from', 'child']]);
    assert.ok(w);
    await expectSuccess(w);
    const afterChild = store.changeCounter();
    assert.notEqual(afterChild, before);
    assert.equal(store.meta.get('from'), 'child');
    assert.equal(store.changeCounter(), afterChild, 'reads do not move it');
  } finally {
    store.close();
  }
});
