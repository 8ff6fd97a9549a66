// Shared helpers for the test/realdebrid.*.test.ts files: clocks the scheduler can be driven
// by (a manual one for exact arithmetic, a sped-up one for real HTTP runs), a pino logger whose
// lines are captured, and a few small waits. Not a test file itself.
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

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

/** Scheduler time running `factor` times faster than the wall clock (1 min = 60 s / factor). */
export function scaledClock(factor: number): {
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (h: unknown) => void;
  toReal: (ms: number) => number;
} {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * factor,
    setTimer: (fn, ms) => setTimeout(fn, Math.ceil(ms / factor)),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    toReal: (ms) => ms / factor,
  };
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

/** Resolves when `cond()` holds, polling the event loop (bounded by `maxTurns`). */
export async function until(cond: () => boolean, maxTurns = 10_000): Promise<void> {
  for (let i = 0; i < maxTurns && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!cond()) throw new Error('condition never became true');
}
