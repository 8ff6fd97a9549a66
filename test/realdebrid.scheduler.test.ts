// The RD scheduler's arithmetic on a manual clock: token bucket pacing, the rolling-minute cap
// (never more than configured in any 60 s, never above 250), lane order, background caps, queue
// deadlines, cooldown escalation and reset, token rejection and shutdown. Counts starts, never time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RdScheduler, RdAuthError, RdCooldownError, RdTimeoutError, COOLDOWN_STEPS_MS, type RdPriority } from '../src/realdebrid/index.ts';
import { ManualClock, flush } from './realdebrid.support.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function make(clock: ManualClock, opts: ConstructorParameters<typeof RdScheduler>[0] = {}): RdScheduler {
  return new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, ...opts });
}

test('token bucket: burst at once, then callsPerMinute/60 per second', async () => {
  const clock = new ManualClock();
  const s = make(clock, { callsPerMinute: 60, burst: 5, interactiveReserve: 0 });
  const starts: number[] = [];
  const all = Array.from({ length: 20 }, () => s.run('foreground', async () => void starts.push(clock.now() - 1_000_000)));
  await flush();
  assert.deepEqual(starts, [0, 0, 0, 0, 0]);
  await clock.advance(15_000);
  await Promise.all(all);
  assert.deepEqual(starts.slice(5), Array.from({ length: 15 }, (_, i) => (i + 1) * 1000));
  assert.equal(s.snapshot().totalCalls, 20);
  s.close();
});

/** Most starts inside any half-open window [t, t + 60 s), over every start t. */
function busiestMinute(starts: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (j < starts.length && starts[j]! < starts[i]! + 60_000) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

for (const [asked, cap] of [
  [undefined, 180],
  [250, 250],
  [1000, 250],
] as const) {
  test(`no rolling 60 s window ever holds more than ${cap} starts (callsPerMinute ${asked ?? 'default'}), burst kept`, async () => {
    const clock = new ManualClock();
    const s = make(clock, { interactiveReserve: 0, ...(asked === undefined ? {} : { callsPerMinute: asked }) });
    assert.equal(s.snapshot().callsPerMinute, cap);
    const starts: number[] = [];
    const all = Array.from({ length: cap * 3 }, () => s.run('foreground', async () => void starts.push(clock.now())));
    await flush();
    assert.equal(starts.length, 8, 'the burst of 8 starts at once');
    await clock.advance(200_000);
    await Promise.all(all);
    assert.equal(starts.length, cap * 3);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! >= starts[i - 1]!);
    assert.equal(busiestMinute(starts), cap, 'the budget is used up to the cap, never past it');
    assert.ok(s.snapshot().callsLastMinute <= cap);
    s.close();
  });
}

test('the cap holds for mixed lanes and interleaved arrivals too', async () => {
  const clock = new ManualClock();
  const s = make(clock, { callsPerMinute: 250, burst: 50, maxInFlight: 16, backgroundPerMinute: 250 });
  const starts: number[] = [];
  const jobs: Promise<void>[] = [];
  const lanes: RdPriority[] = ['interactive', 'foreground', 'background'];
  for (let second = 0; second < 240; second++) {
    for (let k = 0; k < 7; k++) jobs.push(s.run(lanes[(second + k) % 3]!, async () => void starts.push(clock.now())));
    await clock.advance(1_000);
  }
  await clock.advance(300_000);
  await Promise.all(jobs);
  assert.equal(starts.length, 240 * 7);
  assert.equal(busiestMinute(starts), 250);
  s.close();
});

test('a queued call past its deadline is dropped with RdTimeoutError and never started', async () => {
  const clock = new ManualClock();
  const s = make(clock, { maxInFlight: 1 });
  const gate = deferred();
  const hog = s.run('background', () => gate.promise);
  const started: string[] = [];
  const late = s.run('interactive', async () => void started.push('late'), { deadline: clock.now() + 9_000 });
  late.catch(() => undefined); // rejected during advance(), asserted below
  const patient = s.run('foreground', async () => void started.push('patient'));
  await clock.advance(8_999);
  assert.equal(s.snapshot().queued.interactive, 1);
  await clock.advance(1);
  await assert.rejects(late, RdTimeoutError);
  assert.equal(s.snapshot().queued.interactive, 0);
  gate.resolve();
  await hog;
  await patient;
  assert.deepEqual(started, ['patient']);
  // a call that starts in time is not touched by its deadline later on
  const inTime = s.run('interactive', async () => 'ok', { deadline: clock.now() + 5 });
  assert.equal(await inTime, 'ok');
  await clock.advance(10);
  assert.equal(clock.pending(), 0, 'deadline timers are cleared once a call starts');
  s.close();
});

test('interactive goes first, then foreground, then background; in-flight slots respected', async () => {
  const clock = new ManualClock();
  const s = make(clock, { maxInFlight: 1, burst: 50, callsPerMinute: 250 });
  const order: string[] = [];
  const gates = new Map<string, ReturnType<typeof deferred>>();
  const job = (name: string, p: RdPriority): Promise<void> => {
    const d = deferred();
    gates.set(name, d);
    return s.run(p, async () => {
      order.push(name);
      await d.promise;
    });
  };
  const jobs = [job('bg1', 'background'), job('bg2', 'background'), job('bg3', 'background'), job('fg1', 'foreground'), job('int1', 'interactive')];
  await flush();
  assert.deepEqual(order, ['bg1']);
  assert.deepEqual(s.snapshot().queued, { interactive: 1, foreground: 1, background: 2 });
  for (const name of ['bg1', 'int1', 'fg1', 'bg2', 'bg3']) {
    await flush();
    gates.get(name)!.resolve();
    await flush();
  }
  await Promise.all(jobs);
  assert.deepEqual(order, ['bg1', 'int1', 'fg1', 'bg2', 'bg3']);
  s.close();
});

test('background calls are capped per minute, unrestricts tighter, foreground unaffected', async () => {
  const clock = new ManualClock();
  const s = make(clock, { callsPerMinute: 250, burst: 50, maxInFlight: 20, backgroundPerMinute: 3, backgroundUnrestrictsPerMinute: 1, idleAfterMs: Infinity });
  const started: string[] = [];
  const run = (name: string, p: RdPriority, lane?: 'unrestrict'): Promise<void> =>
    s.run(p, async () => void started.push(name), lane ? { lane } : {});
  const jobs = [run('u1', 'background', 'unrestrict'), run('u2', 'background', 'unrestrict'), run('b1', 'background'), run('b2', 'background'), run('b3', 'background')];
  for (let i = 0; i < 5; i++) jobs.push(run(`f${i}`, 'foreground'));
  await flush();
  assert.deepEqual(started.sort(), ['b1', 'b2', 'f0', 'f1', 'f2', 'f3', 'f4', 'u1'].sort());
  await clock.advance(59_000);
  assert.equal(started.length, 8);
  await clock.advance(1_001);
  assert.equal(started.length, 10, 'the next minute lets the rest through');
  assert.ok(started.includes('u2') && started.includes('b3'));
  await Promise.all(jobs);
  s.close();
});

test('cooldown: nothing starts while it runs; interactive fails at once with retryAfterMs unless it waits', async () => {
  const clock = new ManualClock();
  const s = make(clock, { burst: 8 });
  s.reportThrottle(null);
  assert.equal(s.cooldownRemainingMs(), 15_000);
  const started: string[] = [];
  const fg = s.run('foreground', async () => void started.push('fg'));
  const waiting = s.run('interactive', async () => void started.push('int-wait'), { waitCooldown: true });
  await assert.rejects(s.run('interactive', async () => void started.push('int')), (e: unknown) => {
    assert.ok(e instanceof RdCooldownError);
    assert.equal(e.code, 'RD_COOLDOWN');
    assert.equal(e.retryAfterMs, 15_000);
    return true;
  });
  await clock.advance(14_999);
  assert.deepEqual(started, []);
  assert.ok(s.snapshot().cooldownUntil !== null);
  await clock.advance(1);
  await Promise.all([fg, waiting]);
  assert.deepEqual(started, ['int-wait', 'fg']);
  assert.equal(s.snapshot().cooldownUntil, null);
  s.close();
});

test('a throttle fails interactive calls already queued (they answer 503), others keep waiting', async () => {
  const clock = new ManualClock();
  const s = make(clock, { maxInFlight: 1 });
  const gate = deferred();
  const first = s.run('background', () => gate.promise);
  const queuedInteractive = s.run('interactive', async () => 'x');
  const queuedBg = s.run('background', async () => 'bg');
  await flush();
  s.reportThrottle(null);
  await assert.rejects(queuedInteractive, RdCooldownError);
  gate.resolve();
  await first;
  await clock.advance(15_000);
  assert.equal(await queuedBg, 'bg');
  s.close();
});

test('escalation 15 s → 30 s → 60 s → 120 s → 300 s, Retry-After wins, reset after 10 quiet minutes', async () => {
  const clock = new ManualClock();
  const s = make(clock);
  const seen: number[] = [];
  for (let i = 0; i < 6; i++) {
    s.reportThrottle(null);
    seen.push(s.cooldownRemainingMs());
    // a second 429 from a call sent before the cooldown began is not a new offence
    s.reportThrottle(null);
    assert.equal(s.cooldownRemainingMs(), seen[seen.length - 1]);
    await clock.advance(s.cooldownRemainingMs());
  }
  assert.deepEqual(seen, [...COOLDOWN_STEPS_MS, 300_000]);
  s.reportThrottle(42_000);
  assert.equal(s.cooldownRemainingMs(), 42_000);
  await clock.advance(10 * 60_000);
  s.reportThrottle(null);
  assert.equal(s.cooldownRemainingMs(), 15_000, 'escalation resets after 10 min without throttling');
  s.close();
});

test('token rejected: queued and new calls fail with RdAuthError until resetAuth', async () => {
  const clock = new ManualClock();
  const s = make(clock, { maxInFlight: 1 });
  const gate = deferred();
  const first = s.run('foreground', () => gate.promise);
  const queued = s.run('background', async () => 'never');
  await flush();
  s.reportAuthFailure();
  await assert.rejects(queued, RdAuthError);
  await assert.rejects(s.run('interactive', async () => 'no'), RdAuthError);
  assert.equal(s.snapshot().tokenRejected, true);
  gate.resolve();
  await first;
  s.resetAuth();
  assert.equal(await s.run('interactive', async () => 'yes'), 'yes');
  s.close();
});

test('close rejects queued calls and clears timers', async () => {
  const clock = new ManualClock();
  const s = make(clock, { burst: 1, callsPerMinute: 1 });
  await s.run('foreground', async () => 1);
  const queued = s.run('foreground', async () => 2);
  await flush();
  assert.equal(clock.pending(), 1);
  s.close();
  await assert.rejects(queued, /shut down/);
  assert.equal(clock.pending(), 0);
  await assert.rejects(s.run('foreground', async () => 3), /shut down/);
});

test('interactive headroom: other work leaves tokens, rolling-minute starts and a connection to a person waiting', async () => {
  const clock = new ManualClock();
  // Background caps out of the way: only the shared budget limits what the background may take.
  const s = make(clock, { callsPerMinute: 60, burst: 8, maxInFlight: 4, backgroundPerMinute: 60 });
  const held: Array<ReturnType<typeof deferred>> = [];
  const started: string[] = [];
  const job = (name: string, p: RdPriority): Promise<void> => {
    const d = deferred();
    held.push(d);
    return s.run(p, async () => {
      started.push(name);
      await d.promise;
    });
  };
  const bg = Array.from({ length: 40 }, (_, i) => job(`bg${i}`, i % 2 ? 'background' : 'foreground'));
  await flush();
  // One connection stays free: 3 of 4 slots for other work.
  assert.equal(started.length, 3);
  const first = job('int1', 'interactive');
  await flush();
  assert.equal(started.at(-1), 'int1', 'a person’s call starts at once on the kept connection');
  for (const d of held.splice(0)) d.resolve();
  await first;
  // Over a long run other work never takes the last 3 tokens: a person's call always finds one.
  for (let sec = 0; sec < 30; sec++) {
    await clock.advance(1_000);
    for (const d of held.splice(0)) d.resolve();
    await flush();
  }
  const before = started.length;
  const second = job('int2', 'interactive');
  await flush();
  assert.equal(started.length, before + 1, 'the second person’s call did not wait for a token either');
  assert.equal(started.at(-1), 'int2');
  for (const d of held.splice(0)) d.resolve();
  await second;
  // With the headroom off the same flood leaves nothing: the person's call waits (the old rule).
  const clock2 = new ManualClock();
  const off = make(clock2, { callsPerMinute: 60, burst: 8, maxInFlight: 4, backgroundPerMinute: 60, interactiveReserve: 0 });
  const names: string[] = [];
  const gate = deferred();
  const flood = Array.from({ length: 40 }, (_, i) => off.run('foreground', async () => void names.push(`fg${i}`)));
  await clock2.advance(10_000);
  const late = off.run('interactive', async () => void names.push('int'));
  await flush();
  assert.ok(!names.includes('int'), 'without headroom the interactive call waits for the next token');
  gate.resolve();
  await clock2.advance(60_000);
  await Promise.all([...flood, late]);
  off.close();
  await clock.advance(120_000);
  for (const d of held.splice(0)) d.resolve();
  s.close();
  await Promise.allSettled(bg);
});

test('idle: background calls other than unrestricts use the budget nobody uses; a person’s call ends that', async () => {
  const clock = new ManualClock();
  const s = make(clock, { callsPerMinute: 180, burst: 8, maxInFlight: 4, backgroundPerMinute: 60, backgroundUnrestrictsPerMinute: 20 });
  let infos = 0;
  let unrestricts = 0;
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < 400; i++) jobs.push(s.run('background', async () => void infos++));
  for (let i = 0; i < 100; i++) jobs.push(s.run('background', async () => void unrestricts++, { lane: 'unrestrict' }));
  assert.equal(s.idle(), true, 'nobody has asked for anything');
  await clock.advance(60_000);
  assert.ok(infos + unrestricts > 150, `far more than the background cap of 60 in a minute while idle (${infos + unrestricts})`);
  assert.ok(unrestricts <= 20, `unrestricts keep their own cap (${unrestricts})`);
  assert.ok(s.snapshot().callsLastMinute <= 180, 'never above the budget');
  // A person arrives: the background is back under its cap (and first waits out what it took).
  await s.run('interactive', async () => undefined);
  assert.equal(s.idle(), false);
  const before = infos + unrestricts;
  await clock.advance(9_000);
  assert.equal(infos + unrestricts, before, 'no background call while people use RD and the minute is over the background cap');
  s.close();
  await Promise.allSettled(jobs);
});

test('idle: the file-list backfill going at the budget nobody uses does not hold back the prober’s unrestricts', async () => {
  const clock = new ManualClock();
  // The product's caps: 20 background unrestricts a minute, 5 in any 10 s.
  const s = make(clock, { callsPerMinute: 180, burst: 8, maxInFlight: 4, backgroundPerMinute: 60, backgroundUnrestrictsPerMinute: 20, backgroundUnrestrictsPer10s: 5 });
  let infos = 0;
  let unrestricts = 0;
  let stop = false;
  // As the product runs them: the backfill and the prober each wait for one call before the next.
  const chain = async (lane: 'unrestrict' | undefined, count: () => void): Promise<void> => {
    while (!stop) await s.run('background', async () => void count(), lane ? { lane } : {}).catch(() => undefined);
  };
  const backfill = chain(undefined, () => void infos++);
  const prober = chain('unrestrict', () => void unrestricts++);
  await clock.advance(120_000);
  assert.ok(infos > 200, `the backfill uses the idle budget (${infos} file lists in two minutes)`);
  assert.ok(unrestricts >= 38, `the prober still gets its 20 background unrestricts a minute (${unrestricts} in two)`);
  stop = true;
  s.close();
  await Promise.allSettled([backfill, prober]);
});

test('the 10-second window keeps two starts for a person: a headset’s open and play both go while on-screen work fills it', async () => {
  const clock = new ManualClock();
  // Tokens out of the way: only the 10-second window limits here.
  const s = make(clock, { callsPerMinute: 180, burst: 40, maxInFlight: 4, callsPer10s: 20 });
  const started: string[] = [];
  const flood = Array.from({ length: 40 }, (_, i) => s.run('foreground', async () => void started.push(`fg${i}`)));
  await clock.advance(500);
  assert.equal(started.length, 18, 'other work takes 18 of the 20 starts of the window');
  const open = s.run('interactive', async () => void started.push('open'));
  await flush();
  const play = s.run('interactive', async () => void started.push('play'));
  await flush();
  assert.deepEqual(started.slice(18), ['open', 'play'], 'the file list and then the link start at once');
  await clock.advance(60_000);
  await Promise.all([...flood, open, play]);
  s.close();
});
