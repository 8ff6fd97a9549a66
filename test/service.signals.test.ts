// Running as a service: every documented way to run the server (README "Running as a service":
// the bin entry that systemd, pm2, Windows and Docker run, and `npm start`) stops on SIGTERM and
// SIGINT and releases its port, with real processes. Under `npm start` a SIGTERM sent to npm alone
// (what several service managers and `docker stop` do) used to leave the server running as an
// orphan holding the port. Start-up errors people meet (port taken, DATA_DIR naming a file) are one
// sentence naming the setting. How long a stop takes is measured in bench/, not asserted here.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchCommand, launchMain, type Launched } from './hardening.support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'debridsphere.mjs');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Bound on "the port is released" after a signal (a bound for a loaded machine, not a pace). */
const STOP_BOUND_MS = 10_000;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ds-service-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function answers(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    await r.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) until nothing answers on the port any more; false if something still does. */
async function portReleased(port: number): Promise<boolean> {
  const deadline = Date.now() + STOP_BOUND_MS;
  while (Date.now() < deadline) {
    if (!(await answers(port))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function exited(l: Launched): Promise<number | null> {
  if (l.child.exitCode !== null) return Promise.resolve(l.child.exitCode);
  return new Promise((resolve) => l.child.once('exit', (code) => resolve(code)));
}

async function started(l: Launched): Promise<void> {
  const r = await l.ready;
  assert.equal(r.code, null, `started:\n${l.output()}`);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`bin/debridsphere.mjs (systemd, pm2, Windows, Docker) stops on ${signal} and releases the port`, async (t) => {
    const dir = tempDir(t);
    const port = await freePort();
    const l = launchCommand(process.execPath, [BIN], { PORT: String(port), DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'info' }, dir);
    t.after(() => void l.child.kill('SIGKILL'));
    await started(l);
    assert.ok(await answers(port), 'it serves');
    l.child.kill(signal);
    assert.equal(await exited(l), 0, `exit code 0:\n${l.output()}`);
    assert.match(l.output(), new RegExp(`${signal}: shutting down`));
    assert.ok(await portReleased(port), 'port released');
  });
}

/** `npm start` in a process group of its own (as a terminal or a service manager starts it); nothing of the group outlives the test. */
async function npmStartGroup(t: TestContext): Promise<{ l: Launched; port: number }> {
  const dir = tempDir(t);
  const port = await freePort();
  const l = launchCommand(NPM, ['start', '--silent'], { PORT: String(port), DATA_DIR: join(dir, 'data') }, ROOT, { detached: true });
  t.after(() => {
    try {
      process.kill(-l.child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  });
  return { l, port };
}

test('npm start: a SIGTERM sent to npm alone stops the server too (no orphan holding the port)', { skip: process.platform === 'win32' && 'POSIX signals' }, async (t) => {
  const { l, port } = await npmStartGroup(t);
  await started(l);
  assert.ok(await answers(port), 'it serves');
  l.child.kill('SIGTERM'); // npm only, not its process group
  await exited(l);
  assert.ok(await portReleased(port), `the server left behind by npm still answers on ${port}:\n${l.output()}`);
});

test('npm start: a SIGTERM to the whole process group stops npm and the server', { skip: process.platform === 'win32' && 'POSIX signals' }, async (t) => {
  const { l, port } = await npmStartGroup(t);
  await started(l);
  process.kill(-l.child.pid!, 'SIGTERM');
  await exited(l);
  assert.ok(await portReleased(port), 'port released');
});

test('a port in use stops start-up with one sentence naming PORT', async (t) => {
  const dir = tempDir(t);
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const l = launchMain({ PORT: String(port), DATA_DIR: join(dir, 'data') }, dir);
  const r = await l.ready;
  assert.equal(r.code, 1, l.output());
  assert.match(r.stderr.trim(), new RegExp(`^debridsphere cannot start: PORT ${port} is already in use .*set PORT to a free port`), r.stderr);
  assert.doesNotMatch(r.stderr, /EADDRINUSE|\n\s+at /, 'no error code or stack');
});

test('DATA_DIR naming a file stops start-up with one sentence naming DATA_DIR', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'not-a-folder');
  writeFileSync(file, 'x');
  const l = launchMain({ PORT: String(await freePort()), DATA_DIR: file }, dir);
  const r = await l.ready;
  assert.equal(r.code, 1, l.output());
  assert.match(r.stderr.trim(), /^debridsphere cannot start: DATA_DIR \(.*not-a-folder\) is a file, not a folder: set DATA_DIR to a folder/, r.stderr);
  assert.doesNotMatch(r.stderr, /EEXIST|ENOTDIR|\n\s+at /);
});
