// The media pipeline against real ffmpeg and real sample videos served by the fake RD CDN:
// probes, one-eye thumbnails, stitched previews, pending -> ready, refresh of an expired link,
// dead links remembered, and no file left behind by a killed or timed-out ffmpeg.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { ensureSamples, OTHER_EYE_RGB, type Samples } from './fake-rd/samples.ts';
import { colourShare, decodesCleanly, mediaFixture, probeFile, waitFor } from './media.helpers.ts';
import { PlayError } from '../src/play/errors.ts';
import { REASONS } from '../src/media/reasons.ts';

let samples: Samples;
before(async () => {
  samples = await ensureSamples();
});

test('probe: duration within 1% and frame size for flat, SBS and TB samples', async (t) => {
  const fx = await mediaFixture(t, { files: { flat: samples.flat, sbs: samples.sbs180, tb: samples.tb360 } });
  const probed: string[] = [];
  for (const [key, s] of [['flat', samples.flat], ['sbs', samples.sbs180], ['tb', samples.tb360]] as const) {
    const target = fx.targets[key]!;
    const state = await fx.pipeline.ensure('probe', target);
    assert.equal(state.state, 'ready', JSON.stringify(state));
    const p = fx.facts.getProbe(target)!;
    assert.ok(Math.abs(p.durationMs - s.durationMs) <= s.durationMs * 0.01, `${key}: ${p.durationMs} vs ${s.durationMs}`);
    assert.deepEqual([p.width, p.height, p.codec], [s.width, s.height, 'h264']);
    assert.equal(p.fps, 24);
    probed.push(key);
  }
  assert.deepEqual(probed, ['flat', 'sbs', 'tb']);
  // Stored once: asking again answers from memory without a source lookup.
  const calls = fx.resolves.length;
  assert.equal(fx.pipeline.requestProbe(fx.targets.flat!, 'now').state, 'ready');
  assert.equal(fx.resolves.length, calls);
});

test('thumbnail: JPEG of ONE eye, ~640 px wide (SBS -> square left eye, TB -> top eye)', async (t) => {
  const fx = await mediaFixture(t, { files: { sbs: samples.sbs180, tb: samples.tb360, flat: samples.flat } });
  const probes: string[] = [];
  const expect = { sbs: [640, 640], tb: [640, 320], flat: [640, 360] } as const;
  for (const key of ['sbs', 'tb', 'flat'] as const) {
    const state = await fx.pipeline.ensure('thumb', fx.targets[key]!, 'now');
    assert.equal(state.state, 'ready', JSON.stringify(state));
    if (state.state !== 'ready') continue;
    const bytes = readFileSync(state.file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic');
    const info = probeFile(state.file);
    assert.equal(info.streams[0]!.codec_name, 'mjpeg');
    assert.deepEqual([info.streams[0]!.width, info.streams[0]!.height], [...expect[key]], key);
    // The other eye is a solid colour: a doubled frame would be ~50% that colour.
    const other = colourShare(state.file, OTHER_EYE_RGB);
    assert.ok(other < 0.05, `${key}: ${(other * 100).toFixed(1)}% of the thumbnail is the other eye's colour`);
    probes.push(key);
  }
  assert.deepEqual(probes, ['sbs', 'tb', 'flat']);
  // Duration was unknown: each file was probed first, once.
  assert.equal(fx.facts.probes.size, 3);
});

test('preview: H.264 MP4, no audio, under 10 s, faststart, decodes; one eye for SBS', async (t) => {
  const fx = await mediaFixture(t, { files: { sbs: samples.sbs180 } });
  const state = await fx.pipeline.ensure('preview', fx.targets.sbs!, 'now');
  assert.equal(state.state, 'ready', JSON.stringify(state));
  if (state.state !== 'ready') return;
  const info = probeFile(state.file);
  assert.deepEqual(info.streams.map((s) => s.codec_type), ['video'], 'no audio stream');
  const v = info.streams[0]!;
  assert.equal(v.codec_name, 'h264');
  assert.equal(v.pix_fmt, 'yuv420p');
  assert.deepEqual([v.width, v.height], [480, 480]);
  const seconds = Number(info.format.duration);
  assert.ok(seconds > 3 && seconds < 10, `duration ${seconds}`);
  assert.ok(decodesCleanly(state.file));
  // faststart: the moov atom comes before mdat.
  const head = readFileSync(state.file).subarray(0, 64 * 1024).toString('latin1');
  assert.ok(head.indexOf('moov') >= 0 && (head.indexOf('mdat') < 0 || head.indexOf('moov') < head.indexOf('mdat')));
  assert.ok(colourShare(state.file, OTHER_EYE_RGB) < 0.05);
});

test('request(): pending at once, queued once, later ready', async (t) => {
  const fx = await mediaFixture(t, { files: { flat: samples.flat } });
  const target = fx.targets.flat!;
  const first = fx.pipeline.request('thumb', target, 'now');
  assert.deepEqual(first, { state: 'pending' });
  for (let i = 0; i < 10; i++) assert.equal(fx.pipeline.request('thumb', target, 'now').state, 'pending');
  await fx.pipeline.onIdle();
  const later = fx.pipeline.request('thumb', target, 'now');
  assert.equal(later.state, 'ready');
  assert.equal(fx.resolves.length, 2, 'one probe + one thumbnail');
});

test('an expired download URL is refreshed once and the job succeeds', async (t) => {
  let clock = Date.now();
  let stale: string | null = null;
  const fx = await mediaFixture(t, {
    files: { flat: samples.flat },
    fakeNow: () => clock,
    resolve: async (_t, { refresh }, mint) => (refresh ? mint() : stale!),
  });
  stale = fx.fake.directUrl(fx.fake.torrents()[0]!.id!, 1);
  clock += 5 * 3600_000; // past the fake CDN's 4 h link lifetime: that URL now answers 404
  const state = await fx.pipeline.ensure('thumb', { ...fx.targets.flat!, durationMs: samples.flat.durationMs }, 'now');
  assert.equal(state.state, 'ready', JSON.stringify(state));
  assert.deepEqual(fx.resolves.map((r) => r.refresh), [false, true]);
});

test('a download URL whose host refuses connections is replaced once, like an expired one', async (t) => {
  // The demo restarted: its stored links point at the previous fake RD, whose port is closed now.
  const gone = await closedPortUrl();
  const fx = await mediaFixture(t, {
    files: { flat: samples.flat },
    resolve: async (_t, { refresh }, mint) => (refresh ? mint() : `${gone}/d/OLD/flat.mp4`),
  });
  const state = await fx.pipeline.ensure('thumb', { ...fx.targets.flat!, durationMs: samples.flat.durationMs }, 'now');
  assert.equal(state.state, 'ready', JSON.stringify(state));
  assert.deepEqual(fx.resolves.map((r) => r.refresh), [false, 'unreachable'], 'a new link, marked as a host problem (not a dead file)');
});

test('dead link: placeholder state, failure remembered with reason, no retry storm', async (t) => {
  let now = 1_000_000;
  const fx = await mediaFixture(t, {
    files: { flat: samples.flat },
    now: () => now,
    resolve: async () => {
      throw new PlayError('dead', 'Real-Debrid reports this file as unavailable (dead link).');
    },
  });
  const target = { ...fx.targets.flat!, durationMs: 20_000 };
  for (let i = 0; i < 20; i++) fx.pipeline.request('thumb', target, 'now');
  await fx.pipeline.onIdle();
  const states = Array.from({ length: 20 }, () => fx.pipeline.request('thumb', target, 'now'));
  await fx.pipeline.onIdle();
  assert.equal(fx.resolves.length, 0, 'the resolver threw each time it was called');
  const failed = states[0]!;
  assert.equal(failed.state, 'failed');
  if (failed.state !== 'failed') return;
  assert.equal(failed.reason, REASONS['dead-link']);
  assert.equal(failed.retryAt, now + 5 * 60_000);
  const status = fx.pipeline.status();
  assert.equal(status.failures.length, 1);
  assert.equal(status.failures[0]!.reason, REASONS['dead-link']);
  assert.equal(fx.facts.getFailure(target, 'thumb')!.attempts, 1);
  // After the retry time, one more try; the next wait is longer (30 min).
  now += 5 * 60_000 + 1;
  assert.equal(fx.pipeline.request('thumb', target, 'now').state, 'pending');
  await fx.pipeline.onIdle();
  const again = fx.pipeline.request('thumb', target, 'now');
  assert.equal(again.state, 'failed');
  if (again.state === 'failed') assert.equal(again.retryAt, now + 30 * 60_000);
  assert.equal(fx.facts.getFailure(target, 'thumb')!.attempts, 2);
});

test('dead link counted at the resolver: called once for 20 requests', async (t) => {
  let calls = 0;
  const fx = await mediaFixture(t, {
    files: { flat: samples.flat },
    resolve: async () => {
      calls++;
      throw new PlayError('blocked', 'Real-Debrid blocks this file.');
    },
  });
  const target = fx.targets.flat!; // duration unknown: the probe fails, the thumbnail inherits it
  const states = Array.from({ length: 20 }, () => fx.pipeline.request('thumb', target, 'now'));
  assert.ok(states.every((s) => s.state === 'pending'));
  await fx.pipeline.onIdle();
  for (let i = 0; i < 20; i++) {
    const s = fx.pipeline.request('thumb', target, 'now');
    assert.equal(s.state, 'failed');
    if (s.state === 'failed') assert.equal(s.reason, REASONS.blocked, 'the probe\'s reason');
  }
  await fx.pipeline.onIdle();
  assert.equal(calls, 1);
});

/** A CDN that answers headers and then never sends the body. */
async function stallingServer(t: import('node:test').TestContext): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(206, { 'content-type': 'video/mp4', 'content-length': 1000, 'content-range': 'bytes 0-999/1000000', 'accept-ranges': 'bytes' });
    res.write(Buffer.alloc(10));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/video.mp4`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a job timeout kills ffmpeg: no final file, no temp file, reason recorded', async (t) => {
  const stalled = await stallingServer(t);
  const fx = await mediaFixture(t, { files: { flat: samples.flat }, jobTimeoutMs: 1500, resolve: async () => stalled });
  const target = { ...fx.targets.flat!, durationMs: 20_000 };
  const pids: number[] = [];
  const watch = setInterval(() => pids.push(...fx.pipeline.processes), 20);
  const state = await fx.pipeline.ensure('thumb', target, 'now');
  clearInterval(watch);
  assert.equal(state.state, 'failed');
  if (state.state === 'failed') assert.equal(state.reason, REASONS.timeout);
  assert.ok(pids.length > 0, 'ffmpeg ran');
  assert.ok(pids.every((p) => !isAlive(p)), 'ffmpeg was killed');
  assert.deepEqual(readdirSync(`${fx.dir}/media`), [], 'nothing on disk');
});

test('close() mid-job kills ffmpeg and leaves no file', async (t) => {
  const stalled = await stallingServer(t);
  const fx = await mediaFixture(t, { files: { flat: samples.flat }, resolve: async () => stalled });
  const target = { ...fx.targets.flat!, durationMs: 20_000 };
  const done = fx.pipeline.ensure('preview', target, 'now');
  await waitFor(() => fx.pipeline.processes.size > 0, 'ffmpeg to start on the stalled source');
  const [pid] = [...fx.pipeline.processes];
  await fx.pipeline.close();
  assert.deepEqual(await done, { state: 'pending' });
  assert.equal(isAlive(pid!), false);
  assert.deepEqual(readdirSync(`${fx.dir}/media`), []);
  assert.equal(fx.pipeline.status().failures.length, 0, 'a cancelled job is not a failure');
});

test('the cache cap holds through the pipeline: the least recently used thumbnail is evicted', async (t) => {
  let clock = 1_000_000; // uses are ordered by this clock, not by how fast the machine is
  const fx = await mediaFixture(t, { files: { flat: samples.flat, tb: samples.tb360, sbs: samples.sbs180 }, cacheMaxBytes: 60_000, now: () => clock });
  const [flat, tb, sbs] = (['flat', 'tb', 'sbs'] as const).map((k) => ({ ...fx.targets[k]!, durationMs: 20_000 }));
  assert.equal((await fx.pipeline.ensure('thumb', flat!)).state, 'ready');
  clock += 1000;
  assert.equal((await fx.pipeline.ensure('thumb', tb!)).state, 'ready');
  clock += 1000;
  assert.equal(fx.pipeline.request('thumb', flat!, 'now').state, 'ready', 'flat used again: tb is now the least recently used');
  clock += 1000;
  assert.equal((await fx.pipeline.ensure('thumb', sbs!)).state, 'ready');
  const st = fx.pipeline.status();
  assert.ok(st.cacheBytes <= 60_000, `cache holds ${st.cacheBytes} bytes`);
  assert.equal(fx.pipeline.peek('thumb', tb!).state, 'pending', 'tb evicted');
  assert.ok(fx.pipeline.isReady('thumb', flat!) && fx.pipeline.isReady('thumb', sbs!));
  assert.equal(readdirSync(`${fx.dir}/media`).length, 2);
});

test('readiness is answered from memory; a job first takes what another process already stored', async (t) => {
  const fx = await mediaFixture(t, { files: { flat: samples.flat, sbs: samples.sbs180 } });
  await fx.pipeline.start();
  // Another process sharing the data directory probes one file and gives up on another after start().
  const probe = { durationMs: 12_345, width: 640, height: 360, codec: 'h264', fps: 24, spatial: null }; // as this version stores it
  fx.facts.putProbe(fx.targets.flat!, probe);
  fx.facts.recordFailure(fx.targets.sbs!, 'thumb', 'link is dead (RD 19)', Date.now() + 3_600_000, Date.now());
  assert.equal(fx.pipeline.peek('probe', fx.targets.flat!).state, 'pending', 'peek never reads the store');
  assert.equal((await fx.pipeline.ensure('probe', fx.targets.flat!)).state, 'ready');
  const failed = await fx.pipeline.ensure('thumb', fx.targets.sbs!);
  assert.equal(failed.state, 'failed');
  assert.equal(fx.resolves.length, 0, 'neither job fetched anything: the stored results were used');
  assert.equal(fx.pipeline.peek('probe', fx.targets.flat!).state, 'ready');
});

/** An http:// base on 127.0.0.1 where nothing listens (a port just closed). */
async function closedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
