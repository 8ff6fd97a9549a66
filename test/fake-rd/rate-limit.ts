// RD's request budget as the fake enforces it: a sliding window per token in which refused
// requests count too (so hammering keeps you locked out), an optional short window (~22 calls per
// 10 s, DMM) inside it, plus an optional brute-force block.

import type { FakeRateLimit } from './types.ts';

interface Bucket {
  hits: number[]; // every request, allowed or refused, oldest first
  refusals: number[];
  blockedUntil: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** Present when refused and the config asks for a Retry-After header. */
  retryAfterSeconds?: number;
}

export class SlidingWindowLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly config: () => FakeRateLimit | false | undefined,
    private readonly now: () => number,
  ) {}

  /** Records one request for `key` and says whether it is allowed. */
  take(key: string): LimitDecision {
    const cfg = this.config();
    if (!cfg) return { allowed: true };
    const now = this.now();
    const b = this.bucket(key);
    prune(b.hits, now - cfg.windowMs);
    prune(b.refusals, now - cfg.windowMs);
    const short = cfg.shortWindow;
    const shortFull = short !== undefined && countSince(b.hits, now - short.windowMs) >= short.max;
    const refused = now < b.blockedUntil || b.hits.length >= cfg.max || shortFull;
    b.hits.push(now);
    if (!refused) return { allowed: true };
    b.refusals.push(now);
    const block = cfg.blockAfterRefusals;
    if (block && b.refusals.length >= block.count) b.blockedUntil = Math.max(b.blockedUntil, now + block.blockMs);
    return cfg.retryAfterSeconds === undefined
      ? { allowed: false }
      : { allowed: false, retryAfterSeconds: cfg.retryAfterSeconds };
  }

  /** Un-charges the latest request of `key` (used for 304s when `charge304` is false). */
  refund(key: string): void {
    this.buckets.get(key)?.hits.pop();
  }

  /** Forget all history (e.g. when the config changes at run time). */
  reset(): void {
    this.buckets.clear();
  }

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { hits: [], refusals: [], blockedUntil: 0 };
      this.buckets.set(key, b);
    }
    return b;
  }
}

function countSince(times: number[], cutoff: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && (times[i] as number) > cutoff; i--) n++;
  return n;
}

function prune(times: number[], cutoff: number): void {
  let n = 0;
  while (n < times.length && (times[n] as number) <= cutoff) n++;
  if (n > 0) times.splice(0, n);
}
