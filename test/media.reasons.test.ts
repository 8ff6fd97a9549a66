// Failure reasons that users see (/preview 404 bodies, /api/media-status, /healthz) are short
// sentences from one table: no file-system paths, no ffmpeg stderr, no raw error text. The detail
// stays in the log, where an operator can find it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSamples, type Samples } from './fake-rd/samples.ts';
import { mediaFixture, waitFor } from './media.helpers.ts';
import { startHarness } from './helpers/harness.ts';
import { captureLogger } from './realdebrid.support.ts';
import { REASONS } from '../src/media/reasons.ts';
import { MediaPipeline, MemoryMediaFacts } from '../src/media/pipeline.ts';

let samples: Samples;
before(async () => {
  samples = await ensureSamples();
});

test('an unwritable cache folder: every response says so in one sentence, without the path', { timeout: 120_000 }, async (t) => {
  const h = await startHarness({ torrents: [{ filename: 'Scene.180.LR.mp4', files: [{ path: '/Scene.180.LR.mp4', source: samples.sbs180.path }] }] });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const [video] = h.parts.catalog.list();
  assert.ok(video);
  // The cache folder turns into a file after start-up: ffmpeg cannot write there (even as root).
  const mediaDir = join(h.dataDir, 'media');
  rmSync(mediaDir, { recursive: true, force: true });
  writeFileSync(mediaDir, 'not a folder');

  await (await fetch(`${h.url}/thumb/${video.id}.jpg`)).arrayBuffer();
  await (await fetch(`${h.url}/preview/${video.id}.mp4`)).arrayBuffer();
  await waitFor(() => h.parts.media.status().failures.length === 2, 'both jobs to fail', 90_000);

  const preview = await fetch(`${h.url}/preview/${video.id}.mp4`);
  assert.equal(preview.status, 404);
  const previewText = await preview.text();
  assert.deepEqual(JSON.parse(previewText), { error: REASONS['cache-write'], state: 'failed' });
  const healthText = await (await fetch(`${h.url}/healthz`)).text();
  const health = JSON.parse(healthText) as { media: { failures: Array<{ reason: string }> } };
  assert.deepEqual(health.media.failures.map((f) => f.reason), [REASONS['cache-write'], REASONS['cache-write']]);
  const statusText = await (await fetch(`${h.url}/api/media-status?ids=${video.id}`)).text();
  assert.deepEqual(JSON.parse(statusText), { [video.id]: { thumb: 'failed', reason: REASONS['cache-write'] } });
  for (const [what, text] of [['preview', previewText], ['healthz', healthText], ['media-status', statusText]] as const) {
    assert.ok(!text.includes(h.dataDir), `${what} leaks the data directory: ${text}`);
    assert.doesNotMatch(text, /Not a directory|ENOTDIR|\.tmp|ffmpeg version|Error /, `${what} leaks raw error text: ${text}`);
  }
});

test('resolver and ffmpeg errors: the sentence is served, the raw detail goes only to the log', async (t) => {
  const secret = '/home/alice/.config/secret-folder/db.sqlite';
  const { logger, lines } = captureLogger();
  const fx = await mediaFixture(t, {
    files: { flat: samples.flat },
    logger,
    resolve: async () => {
      throw new Error(`ENOENT: no such file or directory, open '${secret}'`);
    },
  });
  const target = { ...fx.targets.flat!, durationMs: 20_000 };
  fx.pipeline.request('preview', target, 'now');
  await fx.pipeline.onIdle();
  const s = fx.pipeline.request('preview', target, 'now');
  assert.equal(s.state, 'failed');
  if (s.state === 'failed') assert.equal(s.reason, REASONS['no-link']);
  assert.ok(!JSON.stringify(fx.pipeline.status()).includes(secret));
  assert.ok(lines.some((l) => l.includes('secret-folder')), 'the detail is in the log');

  // Not a video at all (random bytes behind the CDN): ffprobe's complaint stays in the log.
  const torrent = fx.fake.addTorrent({ filename: 'junk.mp4', files: [{ path: '/junk.mp4', bytes: 2_000_000 }] });
  const junk = { videoId: torrent.hash!.slice(0, 16), fileId: 9, hash: torrent.hash!, path: 'junk.mp4', bytes: 2_000_000, stereo: 'mono' as const, durationMs: 0 };
  const g = new MediaPipeline({
    ffmpegPath: null, ffprobePath: null, cacheDir: join(fx.dir, 'media2'), cacheMaxBytes: 1e9, concurrency: 1, logger,
    transientBackoffMs: [], facts: new MemoryMediaFacts(),
    resolveSource: async () => fx.fake.directUrl(torrent.id!, 1),
  });
  t.after(() => g.close());
  const probe = await g.ensure('probe', junk, 'now');
  assert.deepEqual(probe.state === 'failed' && probe.reason, REASONS.unreadable);
  assert.doesNotMatch(JSON.stringify(g.status()), /Invalid data|moov|<source>|127\.0\.0\.1/);
});

test('reasons stored by an older version (raw text) are shown as a sentence; a bad FFMPEG_PATH is not echoed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-reasons-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const facts = new MemoryMediaFacts();
  const key = { hash: 'ab'.repeat(20), path: 'v.mp4', bytes: 1 };
  facts.recordFailure(key, 'thumb', `ffmpeg: ${dir}/media/x.tmp: Permission denied`, Date.now() + 3_600_000, Date.now());
  const p = new MediaPipeline({
    ffmpegPath: join(dir, 'no-such', 'ffmpeg'), ffprobePath: null, cacheDir: join(dir, 'media'), cacheMaxBytes: 1e6, concurrency: 1,
    facts, resolveSource: async () => 'http://127.0.0.1:9/never',
  });
  t.after(() => p.close());
  const started = await p.start();
  assert.ok(started.message?.includes('no-such'), 'the start-up message (console, log) names the path');
  const st = p.status();
  assert.deepEqual(st.failures.map((f) => f.reason), [REASONS.internal]);
  assert.equal(st.message, REASONS['ffmpeg-missing']);
  const s = p.request('thumb', { ...key, videoId: key.hash.slice(0, 16), fileId: 1, stereo: 'mono', durationMs: 1000 }, 'now');
  assert.deepEqual(s, { state: 'unavailable', reason: REASONS['ffmpeg-missing'] });
  assert.ok(!JSON.stringify(st).includes(dir));
});
