// Failed-login limits. Only guesses of the configured token count (login form, /heresphere/auth,
// body and form credentials, Bearer); opaque credentials (cookies, auth-tokens, signatures) cannot
// be guessed and never count, so a headset holding a stale auth-token does not lock itself out.
//  - Per client address: at most `max` distinct wrong guesses in a sliding window, then 429. A
//    guess already known wrong for that address is not counted again (issue 15: a headset that
//    saved a mistyped password re-sends it with every request, and 10 of those locked the right
//    login out). Guesses are remembered only as a keyed hash, never in clear.
//  - Across all addresses (issue 16 item 4: 20 addresses x 10 guesses were all checked in seconds):
//    past `globalMax` failures in the window, guesses are checked one per `windowMs / globalMax`,
//    in arrival order, each address with at most one guess waiting. This only delays: a user who
//    types the right token waits behind at most one guess per waiting address, never a lock-out.
import { createHmac, randomBytes } from 'node:crypto';

export interface FailureLimiterOptions {
  max?: number;
  windowMs?: number;
  /** Distinct failures across all addresses in a window before guesses are spaced out. */
  globalMax?: number;
  now?: () => number;
  /** Addresses tracked at once; the oldest are forgotten beyond it (memory stays bounded). */
  maxKeys?: number;
}

interface Failure {
  at: number;
  guess: string;
}

/** What a guess from an address must do before it is checked. */
export type Admission = { kind: 'now' } | { kind: 'known-wrong' } | { kind: 'wait'; untilMs: number } | { kind: 'busy'; retryAfterMs: number };

/** Per-process key of the guess digests (a digest means nothing outside this process). */
const GUESS_KEY = randomBytes(32);

/** The keyed hash a guess is remembered by. */
export function guessDigest(parts: readonly unknown[]): string {
  const h = createHmac('sha256', GUESS_KEY);
  for (const p of parts) h.update(typeof p === 'string' ? p : JSON.stringify(p ?? null)).update('\0');
  return h.digest('base64url').slice(0, 22);
}

export class FailureLimiter {
  readonly max: number;
  readonly windowMs: number;
  readonly globalMax: number;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly failures = new Map<string, Failure[]>();
  /** Times of distinct failures across all addresses. */
  private readonly all: number[] = [];
  /** When the next spaced-out guess may be checked. */
  private nextSlot = 0;
  /** Addresses with a guess waiting for its slot. */
  private readonly waiting = new Map<string, number>();

  constructor(opts: FailureLimiterOptions = {}) {
    this.max = opts.max ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.globalMax = opts.globalMax ?? 100;
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  private recent(key: string): Failure[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const cutoff = this.now() - this.windowMs;
    while (list.length > 0 && list[0]!.at <= cutoff) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  private globalCount(): number {
    const cutoff = this.now() - this.windowMs;
    while (this.all.length > 0 && this.all[0]! <= cutoff) this.all.shift();
    return this.all.length;
  }

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.max) return 0;
    return Math.max(1, list[list.length - this.max]!.at + this.windowMs - this.now());
  }

  /**
   * Before checking a guess (`digest` from guessDigest) from `key`, once retryAfterMs(key) is 0:
   * answer a guess this address already got wrong at once (it costs no budget), check it now, or
   * wait for a slot (then call `release`), or refuse because this address already has one waiting.
   */
  admit(key: string, digest: string): Admission {
    if (this.recent(key).some((f) => f.guess === digest)) return { kind: 'known-wrong' };
    if (this.globalCount() < this.globalMax) return { kind: 'now' };
    const now = this.now();
    const queued = this.waiting.get(key);
    if (queued !== undefined) return { kind: 'busy', retryAfterMs: Math.max(1, queued - now) };
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.windowMs / this.globalMax;
    this.waiting.set(key, slot);
    return { kind: 'wait', untilMs: slot };
  }

  /** The waiting guess of `key` got its slot (checked or abandoned). */
  release(key: string): void {
    this.waiting.delete(key);
  }

  /** Guesses waiting for a slot right now. */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Records one failed attempt (a digest already recorded for this address counts once). */
  fail(key: string, digest: string = guessDigest([randomBytes(8).toString('hex')])): void {
    const list = this.recent(key);
    if (list.some((f) => f.guess === digest)) return;
    if (list.length === 0) {
      if (this.failures.size >= this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, list);
    }
    const now = this.now();
    list.push({ at: now, guess: digest });
    if (list.length > this.max) list.splice(0, list.length - this.max);
    this.all.push(now);
    if (this.all.length > this.globalMax * 4) this.all.splice(0, this.all.length - this.globalMax * 4);
  }
}
