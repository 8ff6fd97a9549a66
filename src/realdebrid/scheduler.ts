// The one gate every Real-Debrid call passes (realdebrid.md §4.2/4.3). RD allows 250 calls a
// minute per account, shared with the user's other RD tools, and counts refused calls too, so
// we spend less (180/min by default), never send anything during a throttle cooldown, serve the
// headset before background work, and stop everything when the token is rejected.
// Two limits hold together: a token bucket (burst 8) keeps the headset responsive, and a sliding
// list of starts guarantees that no rolling 60 s window ever holds more than the configured
// per-minute number (the bucket alone would allow rate + burst). Time is injected (`now`,
// `setTimer`) so tests can run a minute in a fraction of a second; the HTTP layer takes its
// deadlines and timeouts from the same clock.
import type { AccountBrake, BrakeState } from './brake.ts';
import { Cooldown } from './cooldown.ts';
import { RdAuthError, RdCooldownError, RdError, RdTimeoutError } from './errors.ts';
import { RollingWindow } from './rolling-window.ts';

export { COOLDOWN_STEPS_MS, COOLDOWN_RESET_MS } from './cooldown.ts';

export type RdPriority = 'interactive' | 'foreground' | 'background';

export interface RdSchedulerOptions {
  /** Calls started per rolling minute (hard cap) and token-bucket refill; default 180, clamped to RD's 250. */
  callsPerMinute?: number;
  /** Bucket capacity; default 8. */
  burst?: number;
  /** Concurrent requests; default 4. */
  maxInFlight?: number;
  /** Background calls started per rolling minute; default 60. */
  backgroundPerMinute?: number;
  /** Background calls with `lane: 'unrestrict'` per rolling minute; default 20. */
  backgroundUnrestrictsPerMinute?: number;
  /** Fair-use / ban brake and daily cap on background unrestricts (./brake.ts); none = no brake. */
  brake?: AccountBrake;
  /** Calls started in any 10 s (RD refuses beyond ~22 per 10 s, DMM); default: no limit beyond the minute (the product sets RD_SHORT_WINDOW_CALLS). */
  callsPer10s?: number;
  /** Background unrestricts started in any 10 s (no bursts at the account); default: no limit beyond the minute (the product sets 3). */
  backgroundUnrestrictsPer10s?: number;
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
  /** The account brake and daily cap, when a brake is wired. */
  brake: BrakeState | null;
}

export interface RdRunOptions {
  lane?: 'unrestrict';
  /** Interactive only: queue through a cooldown instead of failing at once. */
  waitCooldown?: boolean;
  /** Scheduler time after which a call still queued is dropped with RdTimeoutError (never sent). */
  deadline?: number;
}

export const RD_HARD_LIMIT_PER_MINUTE = 250;
const MINUTE = 60_000;
const TEN_SECONDS = 10_000;
/**
 * The rolling-minute cap counts starts over a minute plus this margin: a request reaches RD a
 * little after it starts, and uneven network delays must not squeeze 60 s of starts into less
 * than 60 s of arrivals at RD.
 */
export const WINDOW_GUARD_MS = 1_000;
const PRIORITIES: ReadonlyArray<RdPriority> = ['interactive', 'foreground', 'background'];

interface Entry {
  priority: RdPriority;
  lane: 'unrestrict' | null;
  waitCooldown: boolean;
  fn: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  /** Cancels the queue deadline, if any. */
  cancelDeadline: (() => void) | null;
}

export class RdScheduler {
  private readonly perMinute: number;
  private readonly burst: number;
  private readonly maxInFlight: number;
  private readonly bgPerMinute: number;
  private readonly bgUnrestrictsPerMinute: number;
  /** The scheduler's clock; RdHttp measures deadlines and timeouts with it too. */
  readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  private tokens: number;
  private refilledAt: number;
  private inFlight = 0;
  private totalCalls = 0;
  private readonly queues: Record<RdPriority, Entry[]> = { interactive: [], foreground: [], background: [] };
  /** Recent start times: all calls (over a minute plus the guard), background calls, background unrestricts. */
  private readonly starts = new RollingWindow(MINUTE + WINDOW_GUARD_MS);
  private readonly bgStarts = new RollingWindow(MINUTE);
  private readonly bgUnrestrictStarts = new RollingWindow(MINUTE);
  private readonly shortStarts = new RollingWindow(TEN_SECONDS + WINDOW_GUARD_MS);
  private readonly bgUnrestrictShortStarts = new RollingWindow(TEN_SECONDS);
  private readonly per10s: number;
  private readonly bgUnrestrictsPer10s: number;
  readonly brake: AccountBrake | null;
  private readonly cooldown: Cooldown;
  private tokenRejected = false;
  private closed = false;
  private timer: { handle: unknown; at: number } | null = null;

  constructor(opts: RdSchedulerOptions = {}) {
    this.perMinute = clamp(opts.callsPerMinute ?? 180, 1, RD_HARD_LIMIT_PER_MINUTE);
    this.burst = clamp(opts.burst ?? 8, 1, RD_HARD_LIMIT_PER_MINUTE);
    this.maxInFlight = clamp(opts.maxInFlight ?? 4, 1, 64);
    this.bgPerMinute = clamp(opts.backgroundPerMinute ?? 60, 1, this.perMinute);
    this.bgUnrestrictsPerMinute = clamp(opts.backgroundUnrestrictsPerMinute ?? 20, 0, this.bgPerMinute);
    this.per10s = clamp(opts.callsPer10s ?? this.perMinute, 1, this.perMinute);
    this.bgUnrestrictsPer10s = clamp(opts.backgroundUnrestrictsPer10s ?? this.perMinute, 1, this.perMinute);
    this.brake = opts.brake ?? null;
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      opts.clearTimer ?? (opts.setTimer ? () => {} : (h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.tokens = this.burst;
    this.refilledAt = this.now();
    this.cooldown = new Cooldown(this.now);
  }

  run<T>(priority: RdPriority, fn: () => Promise<T>, opts: RdRunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new RdError('the Real-Debrid client is shut down'));
    if (this.tokenRejected) return Promise.reject(new RdAuthError());
    const remaining = this.cooldownRemainingMs();
    if (remaining > 0 && priority === 'interactive' && !opts.waitCooldown) {
      return Promise.reject(new RdCooldownError(undefined, { retryAfterMs: remaining }));
    }
    if (priority === 'background' && opts.lane === 'unrestrict') {
      const refused = this.brakeRefusal();
      if (refused) return Promise.reject(refused);
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        priority,
        lane: opts.lane ?? null,
        waitCooldown: opts.waitCooldown === true,
        fn,
        resolve: resolve as (v: unknown) => void,
        reject,
        cancelDeadline: null,
      };
      if (opts.deadline !== undefined) {
        entry.cancelDeadline = this.after(opts.deadline - this.now(), () => {
          const q = this.queues[priority];
          const at = q.indexOf(entry);
          if (at < 0) return;
          q.splice(at, 1);
          reject(new RdTimeoutError('Real-Debrid calls are backed up: this one could not start in time'));
        });
      }
      this.queues[priority].push(entry);
      this.pump();
    });
  }

  /** Runs `fn` after `ms` on the scheduler's clock; returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    const handle = this.setTimer(fn, Math.max(0, ms));
    return () => this.clearTimer(handle);
  }

  reportThrottle(retryAfterMs: number | null): void {
    this.cooldown.report(retryAfterMs);
    // Players must not hang on a paused queue: fail their queued calls now (they can answer 503).
    const remaining = this.cooldownRemainingMs();
    if (remaining > 0) {
      const keep: Entry[] = [];
      for (const e of this.queues.interactive) {
        if (e.waitCooldown) keep.push(e);
        else {
          e.cancelDeadline?.();
          e.reject(new RdCooldownError(undefined, { retryAfterMs: remaining }));
        }
      }
      this.queues.interactive = keep;
    }
    this.pump();
  }

  /**
   * A fair-use, traffic or ban-like answer (brake.ts BRAKE_ON): every background unrestrict stops
   * for an hour, the queued ones too (they fail now instead of waiting). Plays are not braked.
   */
  reportBrake(err: RdError): void {
    if (!this.brake?.report(err, this.now())) return;
    this.dropRefusedUnrestricts();
  }

  private brakeRefusal(): RdCooldownError | null {
    return this.brake?.refusal(this.now()) ?? null;
  }

  private dropRefusedUnrestricts(): void {
    const refused = this.brakeRefusal();
    if (!refused) return;
    const keep: Entry[] = [];
    for (const e of this.queues.background) {
      if (e.lane !== 'unrestrict') keep.push(e);
      else {
        e.cancelDeadline?.();
        e.reject(refused);
      }
    }
    this.queues.background = keep;
  }

  /** Milliseconds since the last throttle signal, or null: a 451 soon after one may be a penalty. */
  msSinceThrottle(): number | null {
    return this.cooldown.msSinceThrottle();
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
    return this.cooldown.remainingMs();
  }

  snapshot(): RdBudgetSnapshot {
    return {
      callsPerMinute: this.perMinute,
      callsLastMinute: this.starts.count(this.now(), MINUTE),
      inFlight: this.inFlight,
      queued: {
        interactive: this.queues.interactive.length,
        foreground: this.queues.foreground.length,
        background: this.queues.background.length,
      },
      cooldownUntil: this.cooldown.endsAt(),
      cooldownReason: this.cooldown.reason(),
      tokenRejected: this.tokenRejected,
      totalCalls: this.totalCalls,
      brake: this.brake?.state(this.now()) ?? null,
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
      for (const e of q) {
        e.cancelDeadline?.();
        e.reject(make());
      }
    }
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perMinute) / MINUTE);
    this.refilledAt = now;
  }

  /** Time until a background entry may start (0 = now), given the rolling-minute caps. */
  private backgroundWait(e: Entry, now: number): number {
    const all = this.bgStarts.waitFor(this.bgPerMinute, now);
    const lane =
      e.lane === 'unrestrict'
        ? Math.max(this.bgUnrestrictStarts.waitFor(this.bgUnrestrictsPerMinute, now), this.bgUnrestrictShortStarts.waitFor(this.bgUnrestrictsPer10s, now))
        : 0;
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
    this.dropRefusedUnrestricts(); // the day's cap may have been reached by the ones started before
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
      const windowWait = Math.max(this.starts.waitFor(this.perMinute, now), this.shortStarts.waitFor(this.per10s, now));
      if (windowWait > 0) {
        this.wakeIn(windowWait);
        return;
      }
      this.tokens -= 1;
      this.queues[choice.entry.priority].splice(choice.index, 1);
      this.start(choice.entry, now);
    }
  }

  private start(e: Entry, now: number): void {
    e.cancelDeadline?.();
    this.inFlight++;
    this.totalCalls++;
    this.starts.add(now);
    this.shortStarts.add(now);
    if (e.priority === 'background') {
      this.bgStarts.add(now);
      if (e.lane === 'unrestrict') {
        this.bgUnrestrictStarts.add(now);
        this.bgUnrestrictShortStarts.add(now);
        this.brake?.recordBackgroundUnrestrict(now);
      }
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
