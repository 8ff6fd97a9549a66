// Source errors are classified by their kind, never their text: a busy or unreachable Real-Debrid
// (network error, timeout, 5xx, throttling, cooldown) is retried with the short transient backoff
// and then only postponed (state pending, nothing stored, no retry ladder, no retry storm), while a
// dead, blocked or unknown file is a remembered failure on the 5 min -> 30 min -> 6 h ladder.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureSamples, type Samples } from './fake-rd/samples.ts';
import { mediaFixture, waitFor } from './media.helpers.ts';
import { startHarness } from './helpers/harness.ts';
import { PlayError } from '../src/play/errors.ts';
import { RdDeadFileError, RdNetworkError, RdThrottledError, RdTimeoutError, RdTransientError } from '../src/realdebrid/errors.ts';
import { BUSY_PAUSE_MS, RETRY_LADDER_MS } from '../src/media/pipeline.ts';
import { REASONS } from '../src/media/reasons.ts';

let samples: Samples;
before(async () => {
  samples = await ensureSamples();
});

const TRANSIENT: Array<[string, () => Error]> = [
  ['RD network error', () => new RdNetworkError()],
  ['RD timeout', () => new RdTimeoutError()],
  ['RD 5xx', () => new RdTransientError(undefined, { status: 503, rdCode: 25 })],
  ['RD 429', () => new RdThrottledError(undefined, { status: 429 })],
  ['cooldown (resolver)', () => new PlayError('cooldown', 'Real-Debrid asked us to slow down; try again shortly.', 15_000)],
  ['RD busy (resolver)', () => new PlayError('upstream-busy', 'Real-Debrid did not answer usefully just now; try again in a moment.')],
];

for (const [name, make] of TRANSIENT) {
  test(`transient source error (${name}): quick retries, then postponed, never a remembered failure`, async (t) => {
    let clock = 1_000_000;
    let calls = 0;
    let failing = true;
    const fx = await mediaFixture(t, {
      files: { flat: samples.flat },
      now: () => clock,
      transientBackoffMs: [1, 1],
      resolve: async (_t, _o, mint) => {
        calls++;
        if (failing) throw make();
        return mint();
      },
    });
    const target = { ...fx.targets.flat!, durationMs: 20_000 };
    assert.equal(fx.pipeline.request('thumb', target, 'now').state, 'pending');
    await fx.pipeline.onIdle();
    assert.equal(calls, 3, 'the first try and the two transient retries');
    assert.equal(fx.facts.getFailure(target, 'thumb'), null, 'not stored as a failure');
    const st = fx.pipeline.status();
    assert.deepEqual(st.failures, [], 'nothing shown as a failure');
    assert.equal(st.postponed, 1);
    // While postponed: pending, and no request reaches the source again (no retry storm).
    for (let i = 0; i < 20; i++) assert.deepEqual(fx.pipeline.request('thumb', target, 'now'), { state: 'pending' });
    await fx.pipeline.onIdle();
    assert.equal(calls, 3);
    // Later the source is back: the next request runs the job, well before the ladder's 5 min.
    clock += BUSY_PAUSE_MS + 1;
    assert.ok(BUSY_PAUSE_MS < RETRY_LADDER_MS[0]!);
    failing = false;
    assert.equal(fx.pipeline.request('thumb', target, 'now').state, 'pending');
    await fx.pipeline.onIdle();
    assert.equal(fx.pipeline.request('thumb', target, 'now').state, 'ready');
    assert.equal(fx.pipeline.status().postponed, 0);
  });
}

const FINAL: Array<[string, () => Error, string]> = [
  ['dead file (resolver)', () => new PlayError('dead', 'Real-Debrid reports this file as unavailable (dead link).'), REASONS['dead-link']],
  ['dead file (RD code 24)', () => new RdDeadFileError(undefined, { status: 503, rdCode: 24 }), REASONS['dead-link']],
  ['blocked', () => new PlayError('blocked', 'Real-Debrid blocks this file.'), REASONS.blocked],
  ['bad token', () => new PlayError('token', 'Real-Debrid rejected the API token (check RD_API_TOKEN).'), REASONS.token],
];

test('dead, blocked and token errors stay final: stored, on the retry ladder, tried once', async (t) => {
  for (const [name, make, reason] of FINAL) {
    let calls = 0;
    const now = 5_000_000;
    const fx = await mediaFixture(t, {
      files: { flat: samples.flat },
      now: () => now,
      transientBackoffMs: [1, 1],
      resolve: async () => {
        calls++;
        throw make();
      },
    });
    const target = { ...fx.targets.flat!, durationMs: 20_000 };
    fx.pipeline.request('thumb', target, 'now');
    await fx.pipeline.onIdle();
    assert.equal(calls, 1, `${name}: no quick retries for a dead file`);
    const s = fx.pipeline.request('thumb', target, 'now');
    assert.deepEqual(s, { state: 'failed', reason, retryAt: now + RETRY_LADDER_MS[0]! }, name);
    assert.equal(fx.facts.getFailure(target, 'thumb')?.attempts, 1, name);
    assert.equal(fx.pipeline.status().postponed, 0);
  }
});

test('fake RD answering 503 to unrestrict: thumbnail stays pending, /healthz lists no failure, works once RD is back', { timeout: 60_000 }, async (t) => {
  let skipped = 0; // real time plus jumps: the RD budget refills on this clock too, so it must not stand still
  // RD's 503s are resent after 10, 30, 90 ms instead of 1, 3, 9 s, and the media job re-run after
  // 10 and 50 ms instead of 1 and 5 s: the job is postponed at once.
  const h = await startHarness({ torrents: [{ filename: 'Scene.180.LR.mp4', files: [{ path: '/Scene.180.LR.mp4', source: samples.sbs180.path }] }], now: () => Date.now() + skipped, rdRetry: { baseDelayMs: 10 }, mediaBackoffMs: [10, 50] });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const [video] = h.parts.catalog.list();
  assert.ok(video);
  h.fake.setFault({ failNext: { route: 'unrestrict', status: 503, times: 1000 } });
  const before = h.fake.count('unrestrict');
  const first = await fetch(`${h.url}/thumb/${video.id}.jpg`);
  assert.equal(first.headers.get('x-media-state'), 'pending');
  await first.arrayBuffer();
  await waitFor(() => h.parts.media.status().postponed > 0, 'the job to be postponed', 30_000);
  const tried = h.fake.count('unrestrict') - before;
  assert.ok(tried >= 1, 'RD was asked');
  const health = (await (await fetch(`${h.url}/healthz`)).json()) as { media: { failures: unknown[]; postponed: number } };
  assert.deepEqual(health.media.failures, [], 'a busy RD is not a failure of the file');
  assert.equal(health.media.postponed, 1, '/healthz shows the job waiting for RD');
  const again = await fetch(`${h.url}/thumb/${video.id}.jpg`);
  assert.equal(again.headers.get('x-media-state'), 'pending');
  await again.arrayBuffer();
  await h.parts.media.onIdle();
  assert.equal(h.fake.count('unrestrict') - before, tried, 'postponed: no new RD call');

  h.fake.setFault({ failNext: null });
  skipped += BUSY_PAUSE_MS + 1;
  await waitFor(async () => {
    const r = await fetch(`${h.url}/thumb/${video.id}.jpg`);
    await r.arrayBuffer();
    return r.headers.get('x-media-state') === null;
  }, 'the real thumbnail once RD is back', 45_000);
});
