// The global throttle cooldown (realdebrid.md §4.3): after a 429 / code 34 / code 5 nothing may be
// sent until it ends. Retry-After wins when RD sends it; otherwise the pause escalates per
// consecutive throttle (15 s → 30 s → 60 s → 120 s → 300 s) and the escalation resets after 10
// quiet minutes. Pure state over an injected clock; the scheduler acts on it.

/** Cooldowns without Retry-After, escalating per consecutive throttle. */
export const COOLDOWN_STEPS_MS: ReadonlyArray<number> = [15_000, 30_000, 60_000, 120_000, 300_000];
/** Escalation resets after this long without a throttle. */
export const COOLDOWN_RESET_MS = 10 * 60_000;
/** A `Retry-After: 0` would invite a refused (and counted) call straight away. */
const MIN_RETRY_AFTER_MS = 1_000;

export class Cooldown {
  private until: number | null = null;
  private why: string | null = null;
  private level = 0;
  private lastThrottleAt: number | null = null;

  constructor(private readonly now: () => number) {}

  /** Records one throttle signal and extends the cooldown accordingly. */
  report(retryAfterMs: number | null): void {
    const now = this.now();
    const running = this.until !== null && now < this.until;
    if (this.lastThrottleAt !== null && now - this.lastThrottleAt >= COOLDOWN_RESET_MS) this.level = 0;
    this.lastThrottleAt = now;
    let ms: number;
    if (retryAfterMs !== null && retryAfterMs >= 0) {
      ms = Math.max(MIN_RETRY_AFTER_MS, retryAfterMs);
      if (!running) this.level = Math.min(this.level + 1, COOLDOWN_STEPS_MS.length);
      this.why = 'Real-Debrid rate limit (Retry-After)';
    } else if (running) {
      // A reply to a call sent before this cooldown began: not a new offence.
      ms = 0;
    } else {
      ms = COOLDOWN_STEPS_MS[Math.min(this.level, COOLDOWN_STEPS_MS.length - 1)]!;
      this.level = Math.min(this.level + 1, COOLDOWN_STEPS_MS.length);
      this.why = 'Real-Debrid rate limit';
    }
    this.until = Math.max(this.until ?? 0, now + ms);
  }

  remainingMs(): number {
    return this.until === null ? 0 : Math.max(0, this.until - this.now());
  }

  /** When the running cooldown ends, or null when none runs. */
  endsAt(): number | null {
    return this.remainingMs() > 0 ? this.until : null;
  }

  reason(): string | null {
    return this.remainingMs() > 0 ? this.why : null;
  }

  msSinceThrottle(): number | null {
    return this.lastThrottleAt === null ? null : this.now() - this.lastThrottleAt;
  }
}
