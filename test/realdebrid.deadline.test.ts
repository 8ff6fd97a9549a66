// A headset waiting on RD must not hang: interactive calls end within one overall deadline
// (INTERACTIVE_POLICY, 11 s; one attempt of 10 s, never resent after a timeout) counting queue wait, attempts and backoff, while background calls keep
// the patient policy (15 s per attempt, 3 resends at 1/3/9 s). Real HTTP against the fake RD's
// hang and 502 faults; the scheduler, the HTTP layer's timeouts and backoff and the fake share one
// manual clock, so elapsed time is counted exactly, never measured.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  INTERACTIVE_POLICY,
  RdClient,
  RdScheduler,
  RdTimeoutError,
  RdTransientError,
  type RdClientOptions,
  type RdSchedulerOptions,
} from '../src/realdebrid/index.ts';
import { startFakeRd, type FakeRd } from './fake-rd/index.ts';
import { ManualClock, drive, flush, quietWire } from './realdebrid.support.ts';

const TORRENT = { id: 'SINGLEAAAAAAA', filename: 'Scene.mp4', files: [{ path: '/Scene.mp4', bytes: 5000 }] };

interface Rig {
  fake: FakeRd;
  client: RdClient;
  clock: ManualClock;
  run<T>(work: Promise<T>): Promise<T>;
}

async function setup(clientOpts: Partial<RdClientOptions> = {}, schedOpts: RdSchedulerOptions = {}): Promise<Rig> {
  const clock = new ManualClock();
  const fake = await startFakeRd({ now: clock.now, torrents: [TORRENT] });
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, ...schedOpts });
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, random: () => 0.5, ...clientOpts });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  const quiet = quietWire(scheduler, fake);
  return { fake, client, clock, run: (work) => drive(clock, quiet, work) };
}

const infoTimes = (fake: FakeRd, t0: number): number[] => fake.requests.filter((r) => r.route === 'info').map((r) => r.at - t0);

test('RD hangs: an interactive info call gives up after one 10 s attempt (never resent after a timeout); background keeps its 4', async () => {
  assert.deepEqual(INTERACTIVE_POLICY, { deadlineMs: 11_000, attemptTimeoutMs: 10_000, baseDelayMs: 500 });
  const { fake, client, clock, run } = await setup();
  fake.setFault({ hang: 'info' });
  let t0 = clock.now();
  await assert.rejects(run(client.torrentInfo(TORRENT.id, 'interactive')), (e: unknown) => {
    assert.ok(e instanceof RdTimeoutError, String(e));
    assert.match(e.message, /did not answer within 10 s/);
    return true;
  });
  assert.equal(clock.now() - t0, 10_000, 'the player heard back after 10 s, not after ~73 s');
  assert.deepEqual(infoTimes(fake, t0), [0], 'one attempt: a slow RD gets no second call');

  fake.clearLog();
  t0 = clock.now();
  await assert.rejects(run(client.torrentInfo(TORRENT.id, 'background')), RdTimeoutError);
  assert.deepEqual(infoTimes(fake, t0), [0, 16_000, 34_000, 58_000], '15 s attempts with 1 s, 3 s, 9 s backoff');
  assert.equal(clock.now() - t0, 73_000);
});

test('RD answers 502s: interactive resends fit the deadline (0.5 s, 1.5 s, 4.5 s backoff)', async () => {
  const { fake, client, clock, run } = await setup();
  fake.setFault({ htmlErrorRate: 1 });
  const t0 = clock.now();
  await assert.rejects(run(client.unrestrictLink('https://real-debrid.com/d/AAAAAAAAAAAAA', 'interactive')), (e: unknown) => {
    assert.ok(e instanceof RdTransientError);
    assert.equal(e.status, 502);
    return true;
  });
  const times = fake.requests.filter((r) => r.route === 'unrestrict').map((r) => r.at - t0);
  assert.deepEqual(times, [0, 500, 2_000, 6_500]);
  assert.ok(clock.now() - t0 <= INTERACTIVE_POLICY.deadlineMs);
});

test('the deadline is configurable internally; a resend that cannot fit is not made', async () => {
  const { fake, client, clock, run } = await setup({ interactive: { deadlineMs: 3_000 } });
  fake.setFault({ htmlErrorRate: 1 });
  const t0 = clock.now();
  await assert.rejects(run(client.torrentInfo(TORRENT.id, 'interactive')), RdTransientError);
  assert.deepEqual(infoTimes(fake, t0), [0, 500, 2_000], 'a 4.5 s backoff would overrun 3 s: the 502 is reported instead');
  assert.equal(clock.now() - t0, 2_000);
});

test('waiting for a slot counts too: an interactive call queued behind hung calls fails at the deadline, unsent', async () => {
  const { fake, client, clock, run } = await setup({}, { maxInFlight: 1 });
  fake.setFault({ hang: 'torrents' });
  const hog = client.listTorrentsPage({ page: 1, limit: 10 }, 'background');
  hog.catch(() => undefined); // ends when the test closes the fake
  await flush();
  const t0 = clock.now();
  await assert.rejects(run(client.torrentInfo(TORRENT.id, 'interactive')), (e: unknown) => {
    assert.ok(e instanceof RdTimeoutError);
    assert.match(e.message, /could not start in time/);
    return true;
  });
  assert.equal(clock.now() - t0, INTERACTIVE_POLICY.deadlineMs);
  assert.equal(fake.count('info'), 0, 'never sent');
  assert.equal(fake.count('torrents'), 1);
});

test('a healthy interactive call is unaffected: one request, no waiting', async () => {
  const { fake, client, clock, run } = await setup();
  const t0 = clock.now();
  const info = await run(client.torrentInfo(TORRENT.id, 'interactive'));
  assert.equal(info.id, TORRENT.id);
  assert.equal(fake.count('info'), 1);
  assert.equal(clock.now(), t0);
});
