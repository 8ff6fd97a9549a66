// The real entry point (src/main.ts) with a missing ffmpeg says so once at start-up, not twice.
// The process is started on a port this test holds open, so it stops by itself right after the
// start-up messages (at listen) without depending on a free port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

test('src/main.ts: a missing ffmpeg is reported once at start-up', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-startup-'));
  const held = createServer();
  await new Promise<void>((r) => held.listen(0, '127.0.0.1', () => r()));
  t.after(() => {
    held.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const port = (held.address() as AddressInfo).port;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(dir, 'data'), FFMPEG_PATH: join(dir, 'missing', 'ffmpeg') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.notEqual(code, 0, out);
  assert.match(out, /already in use|EADDRINUSE|failed to start/i, `it got as far as listening:\n${out}`);
  const warnings = out.split('\n').filter((l) => l.includes('ffmpeg is unavailable'));
  assert.equal(warnings.length, 1, `one warning, got:\n${out}`);
});
