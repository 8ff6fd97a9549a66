// The media job queue on its own: the concurrency bound, one run per key, 'now' before
// 'background' (also for a job already waiting), and close() aborting running jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobQueue, QueueClosedError } from '../src/media/queue.ts';

/** A job that finishes when told to, recording when it started. */
function gate(log: string[], name: string): { run: (signal: AbortSignal) => Promise<string>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return {
    run: async () => {
      log.push(name);
      await opened;
      return name;
    },
    open,
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test('never more than `concurrency` jobs run; same key runs once', async () => {
  const q = new JobQueue(2, 2); // background may use both slots here: this is about the bound
  const log: string[] = [];
  const gates = Array.from({ length: 6 }, (_, i) => gate(log, `j${i}`));
  const results = gates.map((g, i) => q.add(`k${i}`, 'background', g.run));
  const dup = q.add('k0', 'background', async () => 'second run');
  await tick();
  assert.deepEqual(log, ['j0', 'j1']);
  assert.equal(q.running, 2);
  assert.equal(q.queued, 4);
  for (const g of gates) {
    g.open();
    await tick();
    await tick();
    assert.ok(q.running <= 2);
  }
  assert.deepEqual(await Promise.all(results), ['j0', 'j1', 'j2', 'j3', 'j4', 'j5']);
  assert.equal(await dup, 'j0', 'the duplicate got the first run result');
  assert.equal(q.peak, 2);
  await q.onIdle();
});

test("'now' jumps ahead of 'background', also when raised while waiting", async () => {
  const q = new JobQueue(1);
  const log: string[] = [];
  const blocker = gate(log, 'blocker');
  const p0 = q.add('blocker', 'background', blocker.run);
  const bg = ['b1', 'b2', 'b3'].map((n) => q.add(n, 'background', async () => void log.push(n)));
  const later = gate(log, 'b4');
  const p4 = q.add('b4', 'background', later.run);
  const now = gate(log, 'n1');
  const pn = q.add('n1', 'now', now.run);
  q.raise('b4', 'now'); // a user now looks at b4
  await tick();
  blocker.open();
  await p0;
  await tick();
  now.open();
  await pn;
  await tick();
  later.open();
  await p4;
  await tick();
  await Promise.all(bg);
  assert.deepEqual(log, ['blocker', 'n1', 'b4', 'b1', 'b2', 'b3']);
});

test('close() aborts running jobs and rejects waiting ones', async () => {
  const q = new JobQueue(1);
  let aborted = false;
  const running = q.add('r', 'now', (signal) => new Promise<string>((resolve) => signal.addEventListener('abort', () => {
    aborted = true;
    resolve('stopped');
  })));
  const waiting = q.add('w', 'now', async () => 'never');
  await tick();
  q.close();
  assert.equal(await running, 'stopped');
  assert.ok(aborted);
  await assert.rejects(waiting, QueueClosedError);
  await assert.rejects(q.add('x', 'now', async () => 'late'), QueueClosedError);
  await q.onIdle();
});

test("'wait' (a person waiting) goes before 'now'; lower() puts it back behind the cards on screen when the person leaves", async () => {
  for (const leave of [false, true]) {
    const q = new JobQueue(1);
    const log: string[] = [];
    const blocker = gate(log, 'blocker');
    const p0 = q.add('blocker', 'now', blocker.run);
    const screen = q.add('screen', 'now', async () => void log.push('screen'));
    const hover = q.add('hover', 'wait', async () => void log.push('hover'));
    assert.equal(q.priorityOf('hover'), 'wait');
    if (leave) q.lower('hover', 'now');
    assert.equal(q.priorityOf('hover'), leave ? 'now' : 'wait');
    q.lower('screen', 'wait'); // lowering never raises
    assert.equal(q.priorityOf('screen'), 'now');
    blocker.open();
    await Promise.all([p0, screen, hover]);
    assert.deepEqual(log, leave ? ['blocker', 'screen', 'hover'] : ['blocker', 'hover', 'screen']);
    await q.onIdle();
  }
});

test('background work keeps a slot free: one of two slots at most; a parked job asked for by a person goes in at once', async () => {
  const q = new JobQueue(2);
  const log: string[] = [];
  const bg = Array.from({ length: 3 }, (_, i) => gate(log, `bg${i}`));
  const runs = bg.map((g, i) => q.add(`bg${i}`, 'background', g.run));
  await tick();
  assert.deepEqual(log, ['bg0'], 'one background job runs, the others wait for it');
  assert.equal(q.parkedCount, 2);
  const hover = gate(log, 'hover');
  const pHover = q.add('hover', 'wait', hover.run);
  await tick();
  assert.deepEqual(log, ['bg0', 'hover'], 'the free slot is there for a person');
  q.raise('bg2', 'now'); // its card scrolled into view
  hover.open();
  await pHover;
  await tick();
  await tick();
  assert.deepEqual(log, ['bg0', 'hover', 'bg2'], 'a raised job leaves the background line');
  bg[0]!.open();
  bg[2]!.open();
  await Promise.all([runs[0], runs[2]]);
  await tick();
  await tick();
  assert.deepEqual(log, ['bg0', 'hover', 'bg2', 'bg1']);
  bg[1]!.open();
  await runs[1];
  await q.close();
  // Parked jobs are rejected on close, never started.
  const q2 = new JobQueue(2);
  const held = gate([], 'held');
  const first = q2.add('a', 'background', held.run);
  const parked = q2.add('b', 'background', async () => 'never');
  const closing = q2.close();
  await assert.rejects(parked, QueueClosedError);
  held.open();
  await Promise.allSettled([first]);
  await closing;
});
