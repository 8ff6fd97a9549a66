// Failed-login limiter: at most `max` wrong passwords per client address in a sliding window.
// Only guesses of the configured token count (login form, /heresphere/auth, body and form
// credentials, Bearer); opaque credentials (cookies, auth-tokens, signatures) cannot be guessed
// and never count, so a headset holding a stale auth-token does not lock itself out.

export interface FailureLimiterOptions {
  max?: number;
  windowMs?: number;
  now?: () => number;
  /** Addresses tracked at once; the oldest are forgotten beyond it (memory stays bounded). */
  maxKeys?: number;
}

export class FailureLimiter {
  readonly max: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly failures = new Map<string, number[]>();

  constructor(opts: FailureLimiterOptions = {}) {
    this.max = opts.max ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  private recent(key: string): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const cutoff = this.now() - this.windowMs;
    while (list.length > 0 && list[0]! <= cutoff) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.max) return 0;
    return Math.max(1, list[list.length - this.max]! + this.windowMs - this.now());
  }

  /** Records one failed attempt. */
  fail(key: string): void {
    const list = this.recent(key);
    if (list.length === 0) {
      if (this.failures.size >= this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, list);
    }
    list.push(this.now());
    if (list.length > this.max) list.splice(0, list.length - this.max);
  }
}
