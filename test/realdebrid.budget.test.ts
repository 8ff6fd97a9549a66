// The request budget over real HTTP, judged by the fake RD's request log: calls per window stay
// within the configured rate, a throttle (429, or code 34 with any status) silences every call
// for the cooldown, Retry-After is honoured, cooldowns escalate, interactive calls overtake
// queued background work, and a listing survives a 429 storm. The scheduler runs on a clock
// sped up 60× (one scheduler minute = one real second), so the fake's windows are short.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  RdClient,
  RdCooldownError,
  RdScheduler,
  RdThrottledError,
  RdTransientError,
  RdBlockedError,
  type RdSchedulerOptions,
} from '../src/realdebrid/index.ts';
import { generateLibrary, startFakeRd, type FakeRd, type FakeRdOptions, type FakeRequestLog } from './fake-rd/index.ts';
import { ManualClock, flush, scaledClock } from './realdebrid.support.ts';

const K = 60;

async function setup(
  fakeOpts: FakeRdOptions,
  schedOpts: RdSchedulerOptions = {},
): Promise<{ fake: FakeRd; client: RdClient; scheduler: RdScheduler }> {
  const fake = await startFakeRd(fakeOpts);
  const clock = scaledClock(K);
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, ...schedOpts });
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, sleep: async () => {} });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  return { fake, client, scheduler };
}

/** Requests that arrived strictly after `from` and before `to` (fake log time). */
function between(log: FakeRequestLog[], from: number, to: number): FakeRequestLog[] {
  return log.filter((r) => r.at > from && r.at < to);
}

test('never more calls per window than configured (fake: 10 per 1 s; scheduler: 7/min + burst 2 on a 60× clock)', async () => {
  const { fake, client } = await setup({ rateLimit: { max: 10, windowMs: 1000 } }, { callsPerMinute: 7, burst: 2 });
  const users = await Promise.all(Array.from({ length: 24 }, () => client.user()));
  assert.equal(users.length, 24);
  const log = fake.requests;
  assert.equal(log.length, 24);
  assert.equal(log.filter((r) => r.status !== 200).length, 0, 'no refusal at all');
  for (const r of log) {
    const inWindow = log.filter((x) => x.at >= r.at && x.at < r.at + 1000).length;
    assert.ok(inWindow <= 10, `${inWindow} calls in the window starting at ${r.at}`);
  }
});

test('a 429 stops ALL calls for the cooldown; interactive callers get RdCooldownError without a request', async () => {
  const { fake, client, scheduler } = await setup({}, { maxInFlight: 1 });
  fake.setFault({ failNext: { route: 'torrents', status: 429, times: 1 } });
  await assert.rejects(client.listTorrentsPage({ page: 1, limit: 10 }, 'background'), RdThrottledError);
  const t429 = fake.requests.at(-1)!;
  assert.equal(t429.status, 429);
  const sent = fake.count();
  await assert.rejects(client.unrestrictLink('https://real-debrid.com/d/AAAAAAAAAAAAA'), (e: unknown) => {
    assert.ok(e instanceof RdCooldownError);
    assert.ok(e.retryAfterMs !== null && e.retryAfterMs > 0);
    return true;
  });
  assert.equal(fake.count(), sent, 'the interactive call was not sent');
  assert.ok(scheduler.snapshot().cooldownUntil !== null);
  await Promise.all([client.user('foreground'), client.listTorrentsPage({ page: 1, limit: 10 }, 'background'), client.user('background')]);
  const cooldownReal = 15_000 / K;
  assert.equal(between(fake.requests, t429.at, t429.at + cooldownReal).length, 0, 'nothing during the 15 s cooldown');
  assert.equal(fake.count(), sent + 3);
});

test('error_code 34 with a non-429 status (503) also starts the global cooldown', async () => {
  const { fake, client, scheduler } = await setup({}, { maxInFlight: 1 });
  fake.setFault({ failNext: { route: 'user', status: 503, body: { error: 'too_many_requests', error_code: 34 }, times: 1 } });
  await assert.rejects(client.user(), RdThrottledError);
  const t = fake.requests.at(-1)!;
  assert.equal(t.status, 503);
  assert.ok(scheduler.cooldownRemainingMs() > 0);
  await client.user('foreground');
  assert.equal(between(fake.requests, t.at, t.at + 15_000 / K).length, 0);
  assert.equal(fake.count('user'), 2, 'the coded 503 was not resent');
});

test('Retry-After is honoured (60 s instead of the 15 s default)', async () => {
  const { fake, client, scheduler } = await setup({ rateLimit: { max: 1, windowMs: 200, retryAfterSeconds: 60 } }, { maxInFlight: 1 });
  await client.user();
  await assert.rejects(client.user(), RdThrottledError);
  const refused = fake.requests.at(-1)!;
  assert.equal(refused.status, 429);
  assert.ok(scheduler.cooldownRemainingMs() > 15_000, 'longer than the default first step');
  await client.user('foreground');
  assert.equal(between(fake.requests, refused.at, refused.at + 60_000 / K).length, 0);
  assert.equal(fake.requests.at(-1)!.status, 200);
});

test('consecutive throttles escalate 15 s → 30 s → 60 s (injected clock); nothing is sent until each ends', async () => {
  const fake = await startFakeRd();
  const clock = new ManualClock();
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer });
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  const seen: number[] = [];
  for (let i = 0; i < 3; i++) {
    fake.setFault({ failNext: { route: 'user', status: 429, times: 1 } });
    await assert.rejects(client.user(), RdThrottledError);
    seen.push(scheduler.cooldownRemainingMs());
    const sent = fake.count();
    const waiting = client.user('foreground');
    await clock.advance(seen[i]! - 1);
    assert.equal(scheduler.snapshot().queued.foreground, 1);
    assert.equal(fake.count(), sent, 'queued, not sent, during the cooldown');
    await clock.advance(1);
    await waiting;
    assert.equal(fake.count(), sent + 1);
  }
  assert.deepEqual(seen, [15_000, 30_000, 60_000]);
});

test('interactive calls go before queued background ones', async () => {
  const { fake, client } = await setup({ latencyMs: { torrents: 30 } }, { maxInFlight: 1 });
  const bg = Array.from({ length: 4 }, () => client.listTorrentsPage({ page: 1, limit: 10 }, 'background'));
  await flush();
  const play = client.user('interactive');
  await Promise.all([...bg, play]);
  assert.deepEqual(
    fake.requests.map((r) => r.route),
    ['torrents', 'user', 'torrents', 'torrents', 'torrents'],
  );
});

test('under a 429 storm (code 34 as 503) the listing backs off globally and completes after', async () => {
  const { fake, client, scheduler } = await setup(
    {
      torrents: generateLibrary(12_000, { seed: 11 }),
      maxPageSize: 2000,
      rateLimit: false,
    },
    { callsPerMinute: 250, burst: 8, maxInFlight: 1 },
  );
  // A deterministic storm (a timing-based one depends on machine load): the next list calls are
  // refused with code 34 as a 503, the variant RD is reported to send.
  fake.setFault({ failNext: { route: 'torrents', status: 503, body: { error: 'too_many_requests', error_code: 34 }, times: 3 } });
  const res = await client.listAllTorrents('background');
  assert.equal(res.torrents.length, 12_000);
  assert.equal(new Set(res.torrents.map((t) => t.id)).size, 12_000);
  const log = fake.requests;
  const refused = log.filter((r) => r.status === 503);
  assert.ok(refused.length >= 1, 'the storm happened');
  assert.ok(refused.length <= 4, `backed off instead of hammering (${refused.length} refusals)`);
  assert.equal(log.filter((r) => r.status === 200).length, 6, '12,000 / 2,000 pages');
  for (const r of refused) {
    assert.equal(between(log, r.at, r.at + 15_000 / K).length, 0, 'silence after every refusal');
  }
  assert.ok(scheduler.snapshot().totalCalls >= 7);
});

test('a 451 within 30 s of a throttle is treated as a transient penalty, later as a real block', async () => {
  const fake = await startFakeRd({ torrents: [{ id: 'T1', filename: 'a.mp4', files: [{ path: '/a.mp4' }] }] });
  const clock = new ManualClock();
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer });
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  fake.setFault({ failNext: { route: 'info', status: 429, times: 1 } });
  await assert.rejects(client.torrentInfo('T1'), RdThrottledError);
  await clock.advance(15_000);
  fake.setFault({ failNext: { route: 'info', status: 451, times: 1 } });
  await assert.rejects(client.torrentInfo('T1'), (e: unknown) => e instanceof RdTransientError && e.rdCode === 35);
  await clock.advance(30_000);
  fake.setFault({ failNext: { route: 'info', status: 451, times: 1 } });
  await assert.rejects(client.torrentInfo('T1'), RdBlockedError);
});
