// The request budget over real HTTP, judged by the fake RD's request log: calls per window stay
// within the configured rate (the fake enforces RD's limit and refuses the excess), a throttle
// (429, or code 34 with any status) silences every call for the cooldown, Retry-After is
// honoured, cooldowns escalate, interactive calls overtake queued background work, and a listing
// survives a 429 storm. The scheduler and the fake share one manual clock that moves only while
// no request is on the wire (`drive`), so every request is logged at the exact scheduler time it
// started and machine load cannot change any outcome.
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
import { ManualClock, drive, flush, quietWire } from './realdebrid.support.ts';

interface Rig {
  fake: FakeRd;
  client: RdClient;
  scheduler: RdScheduler;
  clock: ManualClock;
  /** Runs `work` to completion, moving the shared clock only while the wire is quiet. */
  run<T>(work: Promise<T>): Promise<T>;
}

async function setup(fakeOpts: FakeRdOptions = {}, schedOpts: RdSchedulerOptions = {}): Promise<Rig> {
  const clock = new ManualClock();
  const fake = await startFakeRd({ now: clock.now, ...fakeOpts });
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, ...schedOpts });
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  const quiet = quietWire(scheduler, fake);
  return { fake, client, scheduler, clock, run: (work) => drive(clock, quiet, work) };
}

/** Most requests inside any half-open window [t, t + windowMs) of the fake's log. */
function busiest(log: FakeRequestLog[], windowMs: number): number {
  let most = 0;
  for (const r of log) most = Math.max(most, log.filter((x) => x.at >= r.at && x.at < r.at + windowMs).length);
  return most;
}

for (const [callsPerMinute, fakeMax] of [
  [undefined, 180],
  [250, 250],
] as const) {
  test(`never more calls per minute than configured (${fakeMax}/min against a fake enforcing exactly ${fakeMax}/min)`, async () => {
    // The whole budget, no interactive headroom: this is about the cap itself.
    const opts = { interactiveReserve: 0, ...(callsPerMinute === undefined ? {} : { callsPerMinute }) };
    const { fake, client, clock, run } = await setup({ rateLimit: { max: fakeMax, windowMs: 60_000 } }, opts);
    const t0 = clock.now();
    const users = await run(Promise.all(Array.from({ length: fakeMax * 2 + 20 }, () => client.user('foreground'))));
    assert.equal(users.length, fakeMax * 2 + 20);
    const log = fake.requests;
    assert.equal(log.length, fakeMax * 2 + 20, 'one request per call');
    assert.equal(log.filter((r) => r.status !== 200).length, 0, 'the fake refused nothing');
    assert.equal(busiest(log, 60_000), fakeMax, 'the budget is used up to the cap, never past it');
    assert.equal(log.filter((r) => r.at === t0).length, 8, 'the burst of 8 went out at once');
  });
}

test('a 429 stops ALL calls for the cooldown; interactive callers get RdCooldownError without a request', async () => {
  const { fake, client, scheduler, clock, run } = await setup({}, { maxInFlight: 1 });
  fake.setFault({ failNext: { route: 'torrents', status: 429, times: 1 } });
  await assert.rejects(run(client.listTorrentsPage({ page: 1, limit: 10 }, 'background')), RdThrottledError);
  const t429 = fake.requests.at(-1)!;
  assert.equal(t429.status, 429);
  assert.equal(scheduler.cooldownRemainingMs(), 15_000);
  const sent = fake.count();
  await assert.rejects(client.unrestrictLink('https://real-debrid.com/d/AAAAAAAAAAAAA'), (e: unknown) => {
    assert.ok(e instanceof RdCooldownError);
    assert.equal(e.retryAfterMs, 15_000);
    return true;
  });
  assert.equal(fake.count(), sent, 'the interactive call was not sent');
  const waiting = Promise.all([client.user('foreground'), client.listTorrentsPage({ page: 1, limit: 10 }, 'background'), client.user('background')]);
  await clock.advance(14_999);
  assert.equal(fake.count(), sent, 'nothing is sent during the cooldown');
  assert.equal(scheduler.snapshot().queued.foreground + scheduler.snapshot().queued.background, 3);
  await run(waiting);
  assert.equal(fake.count(), sent + 3);
  assert.ok(fake.requests.slice(-3).every((r) => r.at === t429.at + 15_000 && r.status === 200), 'all three went out when it ended');
});

test('error_code 34 with a non-429 status (503) also starts the global cooldown, and is not resent', async () => {
  const { fake, client, scheduler, run } = await setup({}, { maxInFlight: 1 });
  fake.setFault({ failNext: { route: 'user', status: 503, body: { error: 'too_many_requests', error_code: 34 }, times: 1 } });
  await assert.rejects(run(client.user()), RdThrottledError);
  const t = fake.requests.at(-1)!;
  assert.equal(t.status, 503);
  assert.equal(scheduler.cooldownRemainingMs(), 15_000);
  await run(client.user('foreground'));
  assert.equal(fake.count('user'), 2, 'the coded 503 was not resent');
  assert.equal(fake.requests.at(-1)!.at, t.at + 15_000);
});

test('Retry-After is honoured (60 s instead of the 15 s default)', async () => {
  const { fake, client, scheduler, clock, run } = await setup({ rateLimit: { max: 1, windowMs: 200, retryAfterSeconds: 60 } }, { maxInFlight: 1 });
  await run(client.user());
  await assert.rejects(run(client.user()), RdThrottledError);
  const refused = fake.requests.at(-1)!;
  assert.equal(refused.status, 429);
  assert.equal(scheduler.cooldownRemainingMs(), 60_000);
  const waiting = client.user('foreground');
  await clock.advance(59_999);
  assert.equal(fake.count(), 2, 'nothing during the 60 s');
  await run(waiting);
  assert.equal(fake.count(), 3);
  assert.equal(fake.requests.at(-1)!.at, refused.at + 60_000);
  assert.equal(fake.requests.at(-1)!.status, 200);
});

test('consecutive throttles escalate 15 s → 30 s → 60 s; nothing is sent until each ends', async () => {
  const { fake, client, scheduler, clock, run } = await setup();
  const seen: number[] = [];
  for (let i = 0; i < 3; i++) {
    fake.setFault({ failNext: { route: 'user', status: 429, times: 1 } });
    await assert.rejects(run(client.user()), RdThrottledError);
    seen.push(scheduler.cooldownRemainingMs());
    const sent = fake.count();
    const waiting = client.user('foreground');
    await clock.advance(seen[i]! - 1);
    assert.equal(scheduler.snapshot().queued.foreground, 1);
    assert.equal(fake.count(), sent, 'queued, not sent, during the cooldown');
    await run(waiting);
    assert.equal(fake.count(), sent + 1);
  }
  assert.deepEqual(seen, [15_000, 30_000, 60_000]);
});

test('interactive calls go before queued background ones', async () => {
  const { fake, client, run } = await setup({}, { maxInFlight: 1 });
  // the first background call starts at once and holds the only slot; the rest queue
  const bg = Array.from({ length: 4 }, () => client.listTorrentsPage({ page: 1, limit: 10 }, 'background'));
  await flush();
  const play = client.user('interactive');
  await run(Promise.all([...bg, play]));
  assert.deepEqual(
    fake.requests.map((r) => r.route),
    ['torrents', 'user', 'torrents', 'torrents', 'torrents'],
  );
});

test('under a 429 storm (code 34 as 503) the listing backs off globally, escalating, and completes after', async () => {
  const { fake, client, scheduler, run } = await setup(
    { torrents: generateLibrary(12_000, { seed: 11 }), maxPageSize: 2000, rateLimit: false },
    { callsPerMinute: 250, burst: 8, maxInFlight: 1 },
  );
  fake.setFault({ failNext: { route: 'torrents', status: 503, body: { error: 'too_many_requests', error_code: 34 }, times: 3 } });
  const res = await run(client.listAllTorrents('background'));
  assert.equal(res.torrents.length, 12_000);
  assert.equal(new Set(res.torrents.map((t) => t.id)).size, 12_000);
  const log = fake.requests;
  assert.deepEqual(
    log.map((r) => r.status),
    [503, 503, 503, 200, 200, 200, 200, 200, 200],
    'three refusals, then 12,000 / 2,000 pages',
  );
  const gaps = log.slice(1, 4).map((r, i) => r.at - log[i]!.at);
  assert.deepEqual(gaps, [15_000, 30_000, 60_000], 'silence after every refusal, escalating');
  assert.equal(scheduler.snapshot().totalCalls, 9);
});

test('a 451 within 30 s of a throttle is treated as a transient penalty, later as a real block', async () => {
  const { fake, client, clock, run } = await setup({ torrents: [{ id: 'T1', filename: 'a.mp4', files: [{ path: '/a.mp4' }] }] });
  fake.setFault({ failNext: { route: 'info', status: 429, times: 1 } });
  await assert.rejects(run(client.torrentInfo('T1')), RdThrottledError);
  await clock.advance(15_000);
  fake.setFault({ failNext: { route: 'info', status: 451, times: 1 } });
  await assert.rejects(run(client.torrentInfo('T1')), (e: unknown) => e instanceof RdTransientError && e.rdCode === 35);
  await clock.advance(30_000);
  fake.setFault({ failNext: { route: 'info', status: 451, times: 1 } });
  await assert.rejects(run(client.torrentInfo('T1')), RdBlockedError);
});
