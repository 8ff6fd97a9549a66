// The one bounded wait of the test suite: polls a condition until it holds, and fails with a
// sentence naming what was awaited once the deadline passed (a bound for a broken test, never a
// timing assertion). Tests that can drive time themselves use a manual clock instead.

export interface WaitOptions {
  /** Give up after this long (real time). Default 15 s. */
  timeoutMs?: number;
  /** Pause between checks; 0 = the next event-loop turn. Default 10 ms. */
  everyMs?: number;
  /** A check that throws counts as "not yet" (the last error is named on timeout). Default false: it fails the wait. */
  retryErrors?: boolean;
}

/** Resolves with the first truthy value of `check()`; rejects naming `what` after the deadline. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, opts: number | WaitOptions = {}): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const { timeoutMs = 15_000, everyMs = 10, retryErrors = false } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    } catch (err) {
      if (!retryErrors) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => (everyMs > 0 ? setTimeout(r, everyMs) : setImmediate(r)));
  }
}
