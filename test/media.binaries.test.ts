// Finding and checking ffmpeg/ffprobe: the npm-shipped binaries work (and accept the network
// options we pass), a missing execute bit is fixed, and a missing or broken ffmpeg leaves the
// server running with the problem reported once and every thumbnail a placeholder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ensureExecutable, locateBinaries } from '../src/media/binaries.ts';
import { netInputOptions } from '../src/media/args.ts';
import { MediaPipeline, MemoryMediaFacts } from '../src/media/pipeline.ts';

test('the npm-shipped ffmpeg and ffprobe are found and run', async () => {
  const b = await locateBinaries({ ffmpegPath: null, ffprobePath: null });
  assert.equal(b.message, null);
  assert.ok(b.ffmpeg && b.ffmpeg.version.length > 0);
  assert.ok(b.ffprobe && b.ffprobe.version.length > 0);
});

test('both binaries accept every network option we pass (old 2018 ffmpeg, 2023 ffprobe)', async () => {
  const b = await locateBinaries({ ffmpegPath: null, ffprobePath: null });
  const options = netInputOptions().filter((x) => x.startsWith('-'));
  assert.deepEqual(options, ['-reconnect', '-reconnect_delay_max', '-rw_timeout']);
  for (const bin of [b.ffmpeg!.path, b.ffprobe!.path]) {
    const help = spawnSync(bin, ['-hide_banner', '-h', 'full'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    for (const o of options) assert.match(help, new RegExp(`^\\s+${o}\\s`, 'm'), `${bin} lacks ${o}`);
  }
});

test('a binary without the execute bit is made executable (npm 11 skips install scripts)', { skip: process.platform === 'win32' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-bin-'));
  try {
    const file = join(dir, 'tool');
    writeFileSync(file, '#!/bin/sh\nexit 0\n');
    chmodSync(file, 0o644);
    assert.equal(ensureExecutable(file), null);
    assert.equal(statSync(file).mode & 0o111, 0o111);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('missing or broken ffmpeg: server keeps running, reported once, placeholders (unavailable)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-nobin-'));
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  const broken = join(dir, 'ffmpeg');
  writeFileSync(broken, process.platform === 'win32' ? 'not a program' : '#!/bin/sh\necho nope\nexit 3\n');
  if (process.platform !== 'win32') chmodSync(broken, 0o755);
  for (const ffmpegPath of [join(dir, 'missing', 'ffmpeg'), broken]) {
    let resolved = 0;
    const p = new MediaPipeline({
      ffmpegPath, ffprobePath: null, cacheDir: join(dir, 'cache'), cacheMaxBytes: 1e6, concurrency: 2, logger,
      facts: new MemoryMediaFacts(),
      resolveSource: async () => {
        resolved++;
        return 'http://127.0.0.1:9/never';
      },
    });
    t.after(() => p.close());
    const r = await p.start();
    await p.start();
    assert.equal(r.ffmpeg, false);
    assert.equal(r.ffprobe, true);
    assert.match(r.message!, /FFMPEG_PATH/);
    const target = { videoId: 'ab'.repeat(8), fileId: 1, hash: 'ab'.repeat(20), path: 'v.mp4', bytes: 1, stereo: 'mono' as const, durationMs: 1000 };
    for (const kind of ['thumb', 'preview'] as const) {
      const s = p.request(kind, target, 'now');
      assert.equal(s.state, 'unavailable');
      if (s.state === 'unavailable') assert.match(s.reason, /ffmpeg is unavailable/);
    }
    await p.onIdle();
    assert.equal(resolved, 0, 'no source is resolved for work that cannot run');
    assert.equal(p.status().ffmpeg, false);
  }
  assert.equal(lines.filter((l) => l.includes('ffmpeg is unavailable')).length, 2, 'one warning per pipeline start, not per request');
  rmSync(dir, { recursive: true, force: true });
});
