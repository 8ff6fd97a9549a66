// Shared helpers for the test/realdebrid.*.test.ts and sync tests: a manual clock the scheduler
// (and through it the HTTP layer's deadlines, timeouts and backoff) and the fake RD can share,
// a driver that moves that clock only while no request is on the wire, a pino logger whose lines
// are captured, and a bounded wait. Not a test file itself.
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { waitFor } from './helpers/wait.ts';

export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Time that only moves when the test says so; timers fire in order during `advance`. */
export class ManualClock {
  t = 1_000_000;
  private timers: { at: number; fn: () => void }[] = [];
  now = (): number => this.t;
  setTimer = (fn: () => void, ms: number): unknown => {
    const h = { at: this.t + ms, fn };
    this.timers.push(h);
    return h;
  };
  clearTimer = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x !== h);
  };
  pending(): number {
    return this.timers.length;
  }
  /** Jumps to the earliest timer and fires it (and any due at the same time); false when none is set. */
  async advanceToNext(): Promise<boolean> {
    await flush();
    if (this.timers.length === 0) return false;
    const at = Math.min(...this.timers.map((x) => x.at));
    await this.advance(Math.max(0, at - this.t));
    return true;
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
    await flush();
  }
}

/** A debug-level pino logger writing into `lines`. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/**
 * Resolves when `cond()` holds, checking every event-loop turn; after `maxMs` of real time it
 * fails with `what` (a bound for a broken test, not a timing assertion).
 */
export async function until(cond: () => boolean, what = 'condition', maxMs = 20_000): Promise<void> {
  await waitFor(cond, what, { timeoutMs: maxMs, everyMs: 0 });
}

/**
 * Runs `work` to completion on a manual clock shared by the scheduler and the fake RD: waits until
 * the wire is quiet (every call the scheduler started has either finished or is hanging at the
 * fake), then jumps to the next timer (token refill, cooldown end, backoff, timeout, deadline).
 * Time never moves while a request is on its way, so the fake logs each request at the exact
 * scheduler time it was started.
 */
export async function drive<T>(
  clock: ManualClock,
  quiet: () => boolean,
  work: Promise<T>,
  maxSteps = 20_000,
): Promise<T> {
  let settled = false;
  const watched = work.then(
    (v) => ((settled = true), v),
    (e: unknown) => {
      settled = true;
      throw e;
    },
  );
  watched.catch(() => undefined);
  for (let step = 0; step < maxSteps; step++) {
    await flush(); // let the work reach the scheduler first: before that the wire looks quiet
    await until(() => settled || quiet(), 'requests on the wire to settle');
    if (settled) return watched;
    if (!(await clock.advanceToNext())) {
      await until(() => settled, 'the work to finish (no request in flight and no timer pending)', 2_000);
      return watched;
    }
  }
  throw new Error(`drive: still running after ${maxSteps} clock steps`);
}

/** The wire is quiet when every call the scheduler has started is hanging at the fake on purpose. */
export function quietWire(
  scheduler: { snapshot(): { inFlight: number } },
  fake: { openRequests(): number; hangingRequests(): number },
): () => boolean {
  return () => {
    const hanging = fake.hangingRequests();
    return scheduler.snapshot().inFlight === hanging && fake.openRequests() === hanging;
  };
}
