// The one object the fake's request handlers share: state, fault knobs, budget, log and the
// resolved options. Kept separate so api.ts, routes.ts and cdn.ts don't import each other.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlidingWindowLimiter } from './rate-limit.ts';
import type { LibraryState } from './state.ts';
import type { FakeFaults, FakeRdOptions, FakeRequestLog } from './types.ts';

export interface FakeCtx {
  state: LibraryState;
  faults: FakeFaults;
  limiter: SlidingWindowLimiter;
  log: FakeRequestLog[];
  token: string;
  url: string;
  apiUrl: string;
  now: () => number;
  /** Fault rolls (htmlErrorRate). */
  faultRand: () => number;
  cdnTotal: number;
  /** Successful unrestricts (fairUseAfterUnrestricts counts them). */
  unrestricts: number;
  /** Waits on the fake's timer (manual in clock-driven tests). */
  sleep: (ms: number) => Promise<void>;

  /** API and CDN requests received and neither answered nor abandoned yet. */
  open: number;
  /** Of those, the ones left unanswered on purpose (`hang`). */
  hanging: number;
  opts: {
    accountType: NonNullable<FakeRdOptions['accountType']>;
    maxPageSize: number;
    linkTtlMs: number;
    expiredStatus: number;
    activeLimit: number;
    infringingPattern: RegExp | null;
  };
}

/** One API call as a handler sees it. */
export interface Call {
  ctx: FakeCtx;
  req: IncomingMessage;
  res: ServerResponse;
  /** Captured path segments of the matched route (e.g. the torrent id). */
  params: string[];
  query: URLSearchParams;
}
