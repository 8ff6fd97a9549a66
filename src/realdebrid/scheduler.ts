// The one gate every Real-Debrid call passes (realdebrid.md §4.2/4.3). RD allows 250 calls a
// minute per account, shared with the user's other RD tools, and counts refused calls too, so
// we spend less (180/min by default), never send anything during a throttle cooldown, serve the
// headset before background work, and stop everything when the token is rejected.
// A person's call never waits for a token that other work took: calls that are not interactive
// leave a reserve (tokens, rolling-minute starts and one connection) that only interactive calls
// may spend, so a headset's call starts at once even while the background uses the budget.
// When nobody has asked for anything for a while (idle), background calls other than unrestricts
// may use the whole budget but that reserve (the info backfill then goes far faster than its
// background cap); the first person's call ends that.
// Two limits hold together: a token bucket (burst 8) keeps the headset responsive, and a sliding
// list of starts guarantees that no rolling 60 s window ever holds more than the configured
// per-minute number (the bucket alone would allow rate + burst). Time is injected (`now`,
// `setTimer`) so tests can run a minute in a fraction of a second; the HTTP layer takes its
// deadlines and timeouts from the same clock.
import type { AccountBrake } from './brake.ts';
import type { RdPriority, RdSchedulerOptions, RdBudgetSnapshot, RdRunOptions } from './scheduler-types.ts';
import { Cooldown } from './cooldown.ts';
import { RdAuthError, RdCooldownError, RdError, RdTimeoutError } from './errors.ts';
import { StartLimits } from './start-limits.ts';

export { COOLDOWN_STEPS_MS, COOLDOWN_RESET_MS } from './cooldown.ts';
export { WINDOW_GUARD_MS } from './start-limits.ts';

export type { RdPriority, RdSchedulerOptions, RdBudgetSnapshot, RdRunOptions } from './scheduler-types.ts';

export const RD_HARD_LIMIT_PER_MINUTE = 250;
/** No interactive or foreground call started for this long, none queued: the budget is free for background calls. */
export const IDLE_AFTER_MS = 10_000;
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
  private readonly limits: StartLimits;
  private readonly idleAfterMs: number;
  /** The scheduler's clock; RdHttp measures deadlines and timeouts with it too. */
  readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  private inFlight = 0;
  private totalCalls = 0;
  private readonly queues: Record<RdPriority, Entry[]> = { interactive: [], foreground: [], background: [] };
  readonly brake: AccountBrake | null;
  private readonly cooldown: Cooldown;
  private tokenRejected = false;
  private closed = false;
  /** When the last interactive or foreground call started. */
  private lastPersonAt = -Infinity;
  private timer: { handle: unknown; at: number } | null = null;

  constructor(opts: RdSchedulerOptions = {}) {
    this.perMinute = clamp(opts.callsPerMinute ?? 180, 1, RD_HARD_LIMIT_PER_MINUTE);
    this.burst = clamp(opts.burst ?? 8, 1, RD_HARD_LIMIT_PER_MINUTE);
    this.maxInFlight = clamp(opts.maxInFlight ?? 4, 1, 64);
    this.brake = opts.brake ?? null;
    this.idleAfterMs = opts.idleAfterMs ?? IDLE_AFTER_MS;
    this.now = opts.now ?? Date.now;
    const bgPerMinute = clamp(opts.backgroundPerMinute ?? 60, 1, this.perMinute);
    this.limits = new StartLimits({
      perMinute: this.perMinute,
      burst: this.burst,
      bgPerMinute,
      bgUnrestrictsPerMinute: clamp(opts.backgroundUnrestrictsPerMinute ?? 20, 0, bgPerMinute),
      per10s: clamp(opts.callsPer10s ?? this.perMinute, 1, this.perMinute),
      bgUnrestrictsPer10s: clamp(opts.backgroundUnrestrictsPer10s ?? this.perMinute, 1, this.perMinute),
      reserve: clamp(opts.interactiveReserve ?? 3, 0, Math.max(0, Math.min(this.burst, this.perMinute) - 1)),
      now: this.now(),
    });
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      opts.clearTimer ?? (opts.setTimer ? () => {} : (h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.cooldown = new Cooldown(this.now);
  }

  run<T>(priority: RdPriority, fn: () => Promise<T>, opts: RdRunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new RdError('the Real-Debrid client is shut down'));
    if (this.tokenRejected) return Promise.reject(new RdAuthError());
    const remaining = this.cooldownRemainingMs();
    if (remaining > 0 && priority === 'interactive' && !opts.waitCooldown) {
      return Promise.reject(new RdCooldownError(undefined, { retryAfterMs: remaining }));
    }
    // The brake holds every unrestrict nobody is waiting for: background work and on-screen
    // thumbnails alike (issue 13 keeps those inside the brake); a person's call is tried once.
    if (priority !== 'interactive' && opts.lane === 'unrestrict') {
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
    for (const q of ['foreground', 'background'] as const) {
      const keep: Entry[] = [];
      for (const e of this.queues[q]) {
        if (e.lane !== 'unrestrict') keep.push(e);
        else {
          e.cancelDeadline?.();
          e.reject(refused);
        }
      }
      this.queues[q] = keep;
    }
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
      callsLastMinute: this.limits.callsLastMinute(this.now()),
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
      nextBackgroundAt: this.nextBackgroundAt(),
    };
  }

  private nextBackgroundAt(): number | null {
    const now = this.now();
    let wait = Infinity;
    for (const e of this.queues.background) wait = Math.min(wait, this.backgroundWait(e, now));
    return Number.isFinite(wait) && wait > 0 ? now + wait : null;
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

  /** Nobody but the background has used RD for IDLE_AFTER_MS and nobody waits. */
  idle(now = this.now()): boolean {
    return this.queues.interactive.length === 0 && this.queues.foreground.length === 0 && Number.isFinite(this.idleAfterMs) && now - this.lastPersonAt >= this.idleAfterMs;
  }

  /** Time until a background entry may start (0 = now), given the rolling-minute caps (lifted for non-unrestricts while idle). */
  private backgroundWait(e: Entry, now: number): number {
    return this.limits.backgroundWait(e.lane, this.idle(now), now);
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
    this.limits.refill(now);
    this.dropRefusedUnrestricts(); // the day's cap may have been reached by the ones started before
    while (this.inFlight < this.maxInFlight) {
      const choice = this.pick(now);
      if ('wait' in choice) {
        if (Number.isFinite(choice.wait)) this.wakeIn(choice.wait);
        return;
      }
      // Calls nobody waits for also leave one connection to a person's call.
      const keepsReserve = choice.entry.priority !== 'interactive' && this.limits.reserve > 0;
      if (keepsReserve && this.inFlight >= this.maxInFlight - 1 && this.maxInFlight > 1) return; // a finishing call pumps again
      const wait = this.limits.wait(choice.entry.priority, now);
      if (wait > 0) {
        this.wakeIn(wait);
        return;
      }
      this.queues[choice.entry.priority].splice(choice.index, 1);
      this.start(choice.entry, now);
    }
  }

  private start(e: Entry, now: number): void {
    e.cancelDeadline?.();
    this.inFlight++;
    this.totalCalls++;
    this.limits.record(e.priority, e.lane, now);
    if (e.priority !== 'background') this.lastPersonAt = now;
    else if (e.lane === 'unrestrict') this.brake?.recordBackgroundUnrestrict(now);
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
