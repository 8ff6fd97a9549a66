// Command-line and environment knobs shared by every benchmark.
export interface BenchOptions {
  /** Smaller sizes and fewer repeats (the whole run in about 2 minutes). */
  quick: boolean;
  /** Injected per RD API call (BENCH_RD_LATENCY_MS, default 80). */
  latencyMs: number;
  /** Library sizes (torrents). */
  sizes: number[];
  /** Repeats of each timed operation. */
  repeats: number;
  /** Fresh server processes per start-up / memory figure. */
  processRuns: number;
}

export const FULL_SIZES = [1_000, 10_000, 50_000];
export const QUICK_SIZES = [1_000, 10_000];

export function benchOptions(quick: boolean): BenchOptions {
  const raw = process.env['BENCH_RD_LATENCY_MS'];
  const latencyMs = raw === undefined || raw === '' ? 80 : Number(raw);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('BENCH_RD_LATENCY_MS must be a number of milliseconds');
  return {
    quick,
    latencyMs,
    sizes: quick ? QUICK_SIZES : FULL_SIZES,
    repeats: quick ? 8 : 30,
    processRuns: quick ? 2 : 5,
  };
}

export const fmtN = (n: number): string => n.toLocaleString('en-US');
