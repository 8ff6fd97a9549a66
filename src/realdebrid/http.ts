// The single door to Real-Debrid's HTTP API: every request goes through the scheduler, carries
// the token in the Authorization header only (never `auth_token` in a URL, which leaks into
// logs), has a deadline, and fails as a typed RdError. Resends only what is safe to resend
// (idempotent calls after network errors, timeouts, 5xx without an RD error code and RD's
// internal error -1); a throttle starts the global cooldown instead of an immediate retry. A
// request may carry an overall deadline (interactive calls: the headset is waiting) that bounds
// queueing, attempts and backoff together. All waiting runs on the scheduler's clock, so tests
// can drive it.
import { Agent, fetch as undiciFetch } from 'undici';
import type { Logger } from '../log.ts';
import {
  RdAuthError,
  RdError,
  RdNetworkError,
  RdTimeoutError,
  RdTransientError,
  isRetryable,
  rdErrorFrom,
} from './errors.ts';
import type { RdPriority, RdScheduler } from './scheduler.ts';
import { BRAKE_ON } from './brake.ts';

export interface RdHttpOptions {
  /** e.g. `https://api.real-debrid.com/rest/1.0` (no trailing slash needed). */
  baseUrl: string;
  token: string | null;
  scheduler: RdScheduler;
  logger?: Logger;
  /** Time to open a connection (used only with the built-in fetch); default 5 s. */
  connectTimeoutMs?: number;
  retry?: { attempts?: number; baseDelayMs?: number };
  /** Throttled requests resent after the cooldown, when a request asks for it; default 8. */
  maxThrottledRetries?: number;
  /** Backoff sleep; default: a timer on the scheduler's clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface RdRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, with its query string, e.g. `/torrents?page=1&limit=5000`. */
  path: string;
  priority: RdPriority;
  /** One attempt's limit (cut shorter by the deadline). */
  timeoutMs: number;
  /** Everything (queue wait, attempts, backoff) ends this long after `request()` is called. */
  deadlineMs?: number;
  /** Overrides the client's backoff base for this request. */
  baseDelayMs?: number;
  /** Safe to resend after a network error / timeout / 5xx without code. */
  idempotent: boolean;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  lane?: 'unrestrict';
  /** Wait out a throttle cooldown and resend (background listing). */
  retryThrottled?: boolean;
}

export interface RdResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when not JSON, or null when empty. */
  body: unknown;
}

/** Blocked answers this soon after a throttle may be a penalty, not a real block (DMM). */
export const BLOCK_AFTER_THROTTLE_GRACE_MS = 30_000;
/** Under a deadline, a resend is only worth it with at least this much time left after the backoff. */
export const MIN_ATTEMPT_MS = 1_000;

export class RdHttp {
  private readonly baseUrl: string;
  private readonly token: string | null;
  private readonly scheduler: RdScheduler;
  private readonly logger: Logger | undefined;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxThrottledRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly agent: Agent | null;

  constructor(opts: RdHttpOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token && opts.token.trim() !== '' ? opts.token.trim() : null;
    this.scheduler = opts.scheduler;
    this.logger = opts.logger;
    this.attempts = Math.max(0, opts.retry?.attempts ?? 3);
    this.baseDelayMs = Math.max(0, opts.retry?.baseDelayMs ?? 1000);
    this.maxThrottledRetries = opts.maxThrottledRetries ?? 8;
    this.sleep = opts.sleep ?? ((ms) => new Promise<void>((r) => void this.scheduler.after(ms, r)));
    this.random = opts.random ?? Math.random;
    if (opts.fetch) {
      this.fetchFn = opts.fetch;
      this.agent = null;
    } else {
      const agent = new Agent({ connect: { timeout: opts.connectTimeoutMs ?? 5000 } });
      this.agent = agent;
      this.fetchFn = ((url: string, init: RequestInit) =>
        undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch;
    }
  }

  get hasToken(): boolean {
    return this.token !== null;
  }

  /** Backoff before resend n (0-based): base · 3ⁿ (1 s, 3 s, 9 s) ±25 %. */
  backoffMs(n: number, baseDelayMs = this.baseDelayMs): number {
    return Math.round(baseDelayMs * 3 ** n * (0.75 + 0.5 * this.random()));
  }

  async request(req: RdRequest): Promise<RdResponse> {
    if (this.token === null) {
      throw new RdAuthError('no Real-Debrid API token is configured: set RD_API_TOKEN to the token from https://real-debrid.com/apitoken');
    }
    const clock = this.scheduler;
    const deadline = req.deadlineMs !== undefined ? clock.now() + req.deadlineMs : null;
    let resends = 0;
    let throttled = 0;
    for (;;) {
      try {
        return await this.scheduler.run(req.priority, () => this.send(req, deadline), {
          ...(req.lane ? { lane: req.lane } : {}),
          ...(req.retryThrottled ? { waitCooldown: true } : {}),
          ...(deadline !== null ? { deadline } : {}),
        });
      } catch (e) {
        const err = this.scrub(e);
        if (err.kind === 'throttled' && req.retryThrottled && throttled < this.maxThrottledRetries) {
          throttled++;
          continue; // the scheduler holds the resend until the cooldown is over
        }
        // Under a deadline (a player waits) a timed-out attempt is not resent: RD was slow, not broken.
        const slowUnderDeadline = deadline !== null && err.kind === 'timeout';
        if (req.idempotent && isRetryable(err) && resends < this.attempts && !slowUnderDeadline) {
          const delay = this.backoffMs(resends, req.baseDelayMs);
          // Out of time: the caller hears the real reason now rather than a late timeout.
          if (deadline !== null && clock.now() + delay + MIN_ATTEMPT_MS > deadline) throw err;
          resends++;
          this.logger?.debug({ rd: { method: req.method, path: req.path, code: err.code, retryInMs: delay } }, 'rd retry');
          await this.sleep(delay);
          continue;
        }
        throw err;
      }
    }
  }

  close(): void {
    void this.agent?.close().catch(() => {});
  }

  /** One request on the wire, inside a scheduler slot. Reports throttles and token rejections
   *  before the slot is released, so nothing else is sent in between. */
  private async send(req: RdRequest, deadline: number | null): Promise<RdResponse> {
    const started = Date.now();
    const ac = new AbortController();
    let timedOut = false;
    const timeoutMs = deadline === null ? req.timeoutMs : Math.max(1, Math.min(req.timeoutMs, deadline - this.scheduler.now()));
    const cancelTimer = this.scheduler.after(timeoutMs, () => {
      timedOut = true;
      ac.abort();
    });
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
      ...req.headers,
    };
    let body: string | undefined;
    if (req.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    let status: number;
    let resHeaders: Headers;
    let text: string;
    try {
      const res = await this.fetchFn(this.baseUrl + req.path, { method: req.method, headers, body, signal: ac.signal });
      status = res.status;
      resHeaders = res.headers;
      text = await res.text();
    } catch (e) {
      const err = timedOut
        ? new RdTimeoutError(`Real-Debrid did not answer within ${Math.round(timeoutMs / 100) / 10} s`)
        : networkError(e);
      this.log(req, null, started, err.code);
      throw err;
    } finally {
      cancelTimer();
    }
    const parsed = parseBody(text);
    this.log(req, status, started, null);
    if ((status >= 200 && status < 300) || status === 304) return { status, headers: resHeaders, body: parsed };

    let err = rdErrorFrom(status, this.scrubBody(parsed), resHeaders.get('retry-after'));
    if (err.kind === 'throttled') this.scheduler.reportThrottle(err.retryAfterMs);
    if (err.kind === 'auth') this.scheduler.reportAuthFailure();
    if (BRAKE_ON[err.kind] !== undefined) this.scheduler.reportBrake(err);
    if (err.kind === 'blocked') {
      const since = this.scheduler.msSinceThrottle();
      if (since !== null && since < BLOCK_AFTER_THROTTLE_GRACE_MS) {
        err = new RdTransientError('Real-Debrid answered "blocked" right after throttling us; treating it as a temporary penalty', {
          status: err.status,
          rdCode: err.rdCode,
          rdError: err.rdError,
        });
      }
    }
    throw err;
  }

  private log(req: RdRequest, status: number | null, started: number, code: string | null): void {
    this.logger?.debug(
      { rd: { method: req.method, path: req.path, status, ms: Date.now() - started, priority: req.priority, ...(code ? { code } : {}) } },
      'rd request',
    );
  }

  /** RD's error name ends up in messages: make sure it cannot echo the token back. */
  private scrubBody(body: unknown): unknown {
    if (!this.token || body === null || typeof body !== 'object') return body;
    const b = body as Record<string, unknown>;
    const e = b['error'];
    return typeof e === 'string' && e.includes(this.token) ? { ...b, error: e.split(this.token).join('') } : body;
  }

  /** Every error leaving this module is an RdError without the token in its text. */
  private scrub(e: unknown): RdError {
    const err = e instanceof RdError ? e : new RdNetworkError(undefined);
    if (this.token && err.message.includes(this.token)) err.message = err.message.split(this.token).join('[redacted]');
    return err;
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** undici reports the reason in `cause.code` (ECONNRESET, UND_ERR_CONNECT_TIMEOUT...). */
function networkError(e: unknown): RdError {
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  const raw = typeof cause?.code === 'string' ? cause.code : (e as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' && /^[A-Z0-9_]{2,40}$/.test(raw) ? raw : null;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new RdTimeoutError(`Real-Debrid did not answer in time (${code})`);
  }
  return new RdNetworkError(`could not reach Real-Debrid${code ? ` (${code})` : ''}`);
}
