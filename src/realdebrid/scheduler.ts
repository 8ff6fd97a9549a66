// The one gate every Real-Debrid call passes (realdebrid.md §4.2/4.3). RD allows 250 calls a
// minute per account, shared with the user's other RD tools, and counts refused calls too, so
// we spend less (180/min by default), never send anything during a throttle cooldown, serve the
// headset before background work, and stop everything when the token is rejected.
// Time is injected (`now`, `setTimer`) so tests can run a minute in a fraction of a second.
import { RdAuthError, RdCooldownError, RdError } from './errors.ts';

export type RdPriority = 'interactive' | 'foreground' | 'background';

export interface RdSchedulerOptions {
  /** Token-bucket refill per minute; default 180, clamped to RD's 250. */
  callsPerMinute?: number;
  /** Bucket capacity; default 8. */
  burst?: number;
  /** Concurrent requests; default 4. */
  maxInFlight?: number;
  /** Background calls started per rolling minute; default 60. */
  backgroundPerMinute?: number;
  /** Background calls with `lane: 'unrestrict'` per rolling minute; default 20. */
  backgroundUnrestrictsPerMinute?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Reserved for jittered schedules; the current policy is deterministic. */
  random?: () => number;
}

export interface RdBudgetSnapshot {
  callsPerMinute: number;
  callsLastMinute: number;
  inFlight: number;
  queued: Record<RdPriority, number>;
  cooldownUntil: number | null;
  cooldownReason: string | null;
  tokenRejected: boolean;
  totalCalls: number;
}

export interface RdRunOptions {
  lane?: 'unrestrict';
  /** Interactive only: queue through a cooldown instead of failing at once. */
  waitCooldown?: boolean;
}

export const RD_HARD_LIMIT_PER_MINUTE = 250;
/** Cooldowns without Retry-After, escalating per consecutive throttle. */
export const COOLDOWN_STEPS_MS: ReadonlyArray<number> = [15_000, 30_000, 60_000, 120_000, 300_000];
/** Escalation resets after this long without a throttle. */
export const COOLDOWN_RESET_MS = 10 * 60_000;
const MINUTE = 60_000;
/** A `Retry-After: 0` would invite a refused (and counted) call straight away. */
const MIN_RETRY_AFTER_MS = 1_000;
const PRIORITIES: ReadonlyArray<RdPriority> = ['interactive', 'foreground', 'background'];

interface Entry {
  priority: RdPriority;
  lane: 'unrestrict' | null;
  waitCooldown: boolean;
  fn: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class RdScheduler {
  private readonly perMinute: number;
  private readonly burst: number;
  private readonly maxInFlight: number;
  private readonly bgPerMinute: number;
  private readonly bgUnrestrictsPerMinute: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  private tokens: number;
  private refilledAt: number;
  private inFlight = 0;
  private totalCalls = 0;
  private readonly queues: Record<RdPriority, Entry[]> = { interactive: [], foreground: [], background: [] };
  /** Start times within the last minute: all calls, background calls, background unrestricts. */
  private readonly starts: number[] = [];
  private readonly bgStarts: number[] = [];
  private readonly bgUnrestrictStarts: number[] = [];
  private cooldownUntil: number | null = null;
  private cooldownReason: string | null = null;
  private throttleLevel = 0;
  private lastThrottleAt: number | null = null;
  private tokenRejected = false;
  private closed = false;
  private timer: { handle: unknown; at: number } | null = null;

  constructor(opts: RdSchedulerOptions = {}) {
    this.perMinute = clamp(opts.callsPerMinute ?? 180, 1, RD_HARD_LIMIT_PER_MINUTE);
    this.burst = clamp(opts.burst ?? 8, 1, RD_HARD_LIMIT_PER_MINUTE);
    this.maxInFlight = clamp(opts.maxInFlight ?? 4, 1, 64);
    this.bgPerMinute = clamp(opts.backgroundPerMinute ?? 60, 1, this.perMinute);
    this.bgUnrestrictsPerMinute = clamp(opts.backgroundUnrestrictsPerMinute ?? 20, 0, this.bgPerMinute);
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      opts.clearTimer ?? (opts.setTimer ? () => {} : (h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  run<T>(priority: RdPriority, fn: () => Promise<T>, opts: RdRunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new RdError('the Real-Debrid client is shut down'));
    if (this.tokenRejected) return Promise.reject(new RdAuthError());
    const remaining = this.cooldownRemainingMs();
    if (remaining > 0 && priority === 'interactive' && !opts.waitCooldown) {
      return Promise.reject(new RdCooldownError(undefined, { retryAfterMs: remaining }));
    }
    return new Promise<T>((resolve, reject) => {
      this.queues[priority].push({
        priority,
        lane: opts.lane ?? null,
        waitCooldown: opts.waitCooldown === true,
        fn,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  reportThrottle(retryAfterMs: number | null): void {
    const now = this.now();
    const running = this.cooldownUntil !== null && now < this.cooldownUntil;
    if (this.lastThrottleAt !== null && now - this.lastThrottleAt >= COOLDOWN_RESET_MS) this.throttleLevel = 0;
    this.lastThrottleAt = now;
    let ms: number;
    if (retryAfterMs !== null && retryAfterMs >= 0) {
      ms = Math.max(MIN_RETRY_AFTER_MS, retryAfterMs);
      if (!running) this.throttleLevel = Math.min(this.throttleLevel + 1, COOLDOWN_STEPS_MS.length);
      this.cooldownReason = 'Real-Debrid rate limit (Retry-After)';
    } else if (running) {
      // A reply to a call sent before this cooldown began: not a new offence.
      ms = 0;
    } else {
      ms = COOLDOWN_STEPS_MS[Math.min(this.throttleLevel, COOLDOWN_STEPS_MS.length - 1)]!;
      this.throttleLevel = Math.min(this.throttleLevel + 1, COOLDOWN_STEPS_MS.length);
      this.cooldownReason = 'Real-Debrid rate limit';
    }
    this.cooldownUntil = Math.max(this.cooldownUntil ?? 0, now + ms);
    // Players must not hang on a paused queue: fail their queued calls now (they can answer 503).
    const remaining = this.cooldownRemainingMs();
    if (remaining > 0) {
      const keep: Entry[] = [];
      for (const e of this.queues.interactive) {
        if (e.waitCooldown) keep.push(e);
        else e.reject(new RdCooldownError(undefined, { retryAfterMs: remaining }));
      }
      this.queues.interactive = keep;
    }
    this.pump();
  }

  /** Milliseconds since the last throttle signal, or null: a 451 soon after one may be a penalty. */
  msSinceThrottle(): number | null {
    return this.lastThrottleAt === null ? null : this.now() - this.lastThrottleAt;
  }

  reportAuthFailure(): void {
    this.tokenRejected = true;
    this.rejectAll(() => new RdAuthError());
  }

  resetAuth(): void {
    this.tokenRejected = false;
    this.pump();
  }

  cooldownRemainingMs(): number {
    if (this.cooldownUntil === null) return 0;
    return Math.max(0, this.cooldownUntil - this.now());
  }

  snapshot(): RdBudgetSnapshot {
    this.prune(this.now());
    const cooling = this.cooldownRemainingMs() > 0;
    return {
      callsPerMinute: this.perMinute,
      callsLastMinute: this.starts.length,
      inFlight: this.inFlight,
      queued: {
        interactive: this.queues.interactive.length,
        foreground: this.queues.foreground.length,
        background: this.queues.background.length,
      },
      cooldownUntil: cooling ? this.cooldownUntil : null,
      cooldownReason: cooling ? this.cooldownReason : null,
      tokenRejected: this.tokenRejected,
      totalCalls: this.totalCalls,
    };
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.rejectAll(() => new RdError('the Real-Debrid client is shut down'));
  }

  private rejectAll(make: () => Error): void {
    for (const p of PRIORITIES) {
      const q = this.queues[p];
      this.queues[p] = [];
      for (const e of q) e.reject(make());
    }
  }

  private prune(now: number): void {
    for (const list of [this.starts, this.bgStarts, this.bgUnrestrictStarts]) {
      while (list.length > 0 && list[0]! <= now - MINUTE) list.shift();
    }
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perMinute) / MINUTE);
    this.refilledAt = now;
  }

  /** Time until a background entry may start (0 = now), given the rolling-minute caps. */
  private backgroundWait(e: Entry, now: number): number {
    const waitFor = (list: number[], cap: number): number => {
      if (cap <= 0) return Infinity;
      if (list.length < cap) return 0;
      return list[list.length - cap]! + MINUTE - now;
    };
    const all = waitFor(this.bgStarts, this.bgPerMinute);
    const lane = e.lane === 'unrestrict' ? waitFor(this.bgUnrestrictStarts, this.bgUnrestrictsPerMinute) : 0;
    return Math.max(all, lane);
  }

  /** Highest-priority entry allowed to start now; otherwise how long until one may. */
  private pick(now: number): { entry: Entry; index: number } | { wait: number } {
    for (const p of ['interactive', 'foreground'] as const) {
      const e = this.queues[p][0];
      if (e) return { entry: e, index: 0 };
    }
    let wait = Infinity;
    const bg = this.queues.background;
    for (let i = 0; i < bg.length; i++) {
      const w = this.backgroundWait(bg[i]!, now);
      if (w <= 0) return { entry: bg[i]!, index: i };
      wait = Math.min(wait, w);
    }
    return { wait };
  }

  private pump(): void {
    if (this.closed || this.tokenRejected) return;
    const now = this.now();
    const cooldown = this.cooldownRemainingMs();
    if (cooldown > 0) {
      this.wakeIn(cooldown);
      return;
    }
    this.refill(now);
    this.prune(now);
    while (this.inFlight < this.maxInFlight) {
      const choice = this.pick(now);
      if ('wait' in choice) {
        if (Number.isFinite(choice.wait)) this.wakeIn(choice.wait);
        return;
      }
      if (this.tokens < 1) {
        this.wakeIn(Math.ceil(((1 - this.tokens) * MINUTE) / this.perMinute));
        return;
      }
      this.tokens -= 1;
      this.queues[choice.entry.priority].splice(choice.index, 1);
      this.start(choice.entry, now);
    }
  }

  private start(e: Entry, now: number): void {
    this.inFlight++;
    this.totalCalls++;
    this.starts.push(now);
    if (e.priority === 'background') {
      this.bgStarts.push(now);
      if (e.lane === 'unrestrict') this.bgUnrestrictStarts.push(now);
    }
    let p: Promise<unknown>;
    try {
      p = e.fn();
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(e.resolve, e.reject).finally(() => {
      this.inFlight--;
      this.pump();
    });
  }

  private wakeIn(ms: number): void {
    const at = this.now() + Math.max(1, ms);
    if (this.timer && this.timer.at <= at) return;
    this.cancelTimer();
    const timer = {
      at,
      handle: this.setTimer(() => {
        if (this.timer === timer) this.timer = null;
        this.pump();
      }, Math.max(1, ms)),
    };
    this.timer = timer;
  }

  private cancelTimer(): void {
    if (this.timer) this.clearTimer(this.timer.handle);
    this.timer = null;
  }
}

function clamp(n: number, min: number, max: number): number {
  if (!Number.isFinite(n)) return max;
  return Math.min(max, Math.max(min, Math.floor(n)));
}
