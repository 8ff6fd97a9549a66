// Real-Debrid failures as typed values. Callers (scheduler, resolver, routes) decide from an
// error's `kind`, never from message text. Modelled on undici's errors: one base class, a stable
// `code` per subclass and a default message a user can act on. RD's numeric `error_code` is the
// only thing we branch on (the `error` string may carry suffixes such as `ip_not_allowed_1.2.3.4`);
// the HTTP status decides only when no code was sent. Messages never carry the token, headers
// or URLs: only our own words, the status, RD's code and a sanitised copy of RD's error name.

export type RdErrorKind =
  | 'throttled'
  | 'auth'
  | 'permission'
  | 'not_premium'
  | 'ip_blocked'
  | 'dead'
  | 'blocked'
  | 'fair_use'
  | 'not_found'
  | 'transient'
  | 'bad_request'
  | 'disabled'
  | 'cooldown'
  | 'timeout'
  | 'network'
  | 'unavailable';

export interface RdErrorContext {
  status?: number | null;
  rdCode?: number | null;
  /** RD's `error` string (sanitised before use). */
  rdError?: string | null;
  retryAfterMs?: number | null;
}

export class RdError extends Error {
  override name = 'RdError';
  readonly kind: RdErrorKind = 'transient';
  readonly code: string = 'RD_ERROR';
  readonly status: number | null;
  readonly rdCode: number | null;
  /** RD's error name, e.g. `hoster_unavailable` (charset-restricted, ≤ 80 chars). */
  readonly rdError: string | null;
  readonly retryAfterMs: number | null;

  constructor(message: string, ctx: RdErrorContext = {}) {
    super(message + describe(ctx));
    this.status = ctx.status ?? null;
    this.rdCode = ctx.rdCode ?? null;
    this.rdError = sanitize(ctx.rdError ?? null);
    this.retryAfterMs = ctx.retryAfterMs ?? null;
  }
}

function sanitize(s: string | null): string | null {
  if (s === null) return null;
  const clean = s.replace(/[^\w.:\-]/g, '').slice(0, 80);
  return clean === '' ? null : clean;
}

function describe(ctx: RdErrorContext): string {
  const parts: string[] = [];
  if (ctx.status != null) parts.push(`HTTP ${ctx.status}`);
  if (ctx.rdCode != null) {
    const name = sanitize(ctx.rdError ?? null);
    parts.push(`RD error ${ctx.rdCode}${name ? ` ${name}` : ''}`);
  }
  if (ctx.retryAfterMs != null) parts.push(`retry in ${Math.ceil(ctx.retryAfterMs / 1000)} s`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

// One subclass per kind. Each line: class, name, kind, stable code, default message.
export class RdThrottledError extends RdError {
  override name = 'RdThrottledError';
  override readonly kind = 'throttled';
  override readonly code = 'RD_THROTTLED';
  constructor(message = 'Real-Debrid asked us to slow down; all calls pause for a while', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdAuthError extends RdError {
  override name = 'RdAuthError';
  override readonly kind = 'auth';
  override readonly code = 'RD_AUTH';
  constructor(
    message = 'Real-Debrid rejected the API token: set RD_API_TOKEN to the token from https://real-debrid.com/apitoken',
    ctx: RdErrorContext = {},
  ) {
    super(message, ctx);
  }
}
export class RdPermissionError extends RdError {
  override name = 'RdPermissionError';
  override readonly kind = 'permission';
  override readonly code = 'RD_PERMISSION';
  constructor(message = 'Real-Debrid denied permission: the account may be locked or not activated', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdNotPremiumError extends RdError {
  override name = 'RdNotPremiumError';
  override readonly kind = 'not_premium';
  override readonly code = 'RD_NOT_PREMIUM';
  constructor(message = 'this needs a premium Real-Debrid account', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdIpBlockedError extends RdError {
  override name = 'RdIpBlockedError';
  override readonly kind = 'ip_blocked';
  override readonly code = 'RD_IP_BLOCKED';
  constructor(
    message = 'Real-Debrid does not allow this IP address (VPN or data-centre IP?); untick "Use my Remote Traffic automatically" or use another connection',
    ctx: RdErrorContext = {},
  ) {
    super(message, ctx);
  }
}
export class RdDeadFileError extends RdError {
  override name = 'RdDeadFileError';
  override readonly kind = 'dead';
  override readonly code = 'RD_DEAD_FILE';
  constructor(message = 'the file is no longer available on Real-Debrid', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdBlockedError extends RdError {
  override name = 'RdBlockedError';
  override readonly kind = 'blocked';
  override readonly code = 'RD_BLOCKED';
  constructor(message = 'Real-Debrid blocked this file (flagged as infringing)', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdFairUseError extends RdError {
  override name = 'RdFairUseError';
  override readonly kind = 'fair_use';
  override readonly code = 'RD_FAIR_USE';
  constructor(message = 'the Real-Debrid traffic / fair-use limit is reached; playback resumes later', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdNotFoundError extends RdError {
  override name = 'RdNotFoundError';
  override readonly kind = 'not_found';
  override readonly code = 'RD_NOT_FOUND';
  constructor(message = 'Real-Debrid does not know this torrent or link (deleted?)', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdTransientError extends RdError {
  override name = 'RdTransientError';
  override readonly kind = 'transient';
  override readonly code = 'RD_TRANSIENT';
  constructor(message = 'Real-Debrid is temporarily unavailable; try again later', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdBadRequestError extends RdError {
  override name = 'RdBadRequestError';
  override readonly kind = 'bad_request';
  override readonly code = 'RD_BAD_REQUEST';
  constructor(message = 'Real-Debrid rejected the request as malformed (a bug in debridsphere)', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdDisabledError extends RdError {
  override name = 'RdDisabledError';
  override readonly kind = 'disabled';
  override readonly code = 'RD_DISABLED';
  constructor(message = 'Real-Debrid has disabled this API endpoint', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdUnavailableError extends RdError {
  override name = 'RdUnavailableError';
  override readonly kind = 'unavailable';
  override readonly code = 'RD_UNAVAILABLE';
  constructor(message = 'Real-Debrid cannot do this now (too many active downloads)', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdCooldownError extends RdError {
  override name = 'RdCooldownError';
  override readonly kind = 'cooldown';
  override readonly code = 'RD_COOLDOWN';
  constructor(message = 'Real-Debrid is rate-limiting us; calls are paused', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdTimeoutError extends RdError {
  override name = 'RdTimeoutError';
  override readonly kind = 'timeout';
  override readonly code = 'RD_TIMEOUT';
  constructor(message = 'Real-Debrid did not answer in time', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}
export class RdNetworkError extends RdError {
  override name = 'RdNetworkError';
  override readonly kind = 'network';
  override readonly code = 'RD_NETWORK';
  constructor(message = 'could not reach Real-Debrid (network error)', ctx: RdErrorContext = {}) {
    super(message, ctx);
  }
}

type RdErrorClass = new (message?: string, ctx?: RdErrorContext) => RdError;

export interface RdErrorRow {
  code: number;
  /** RD's usual `error` string, when known. */
  name: string | null;
  meaning: string;
  /** Typical HTTP status (used by tests and the fake; classification ignores it). */
  status: number;
  kind: RdErrorKind;
  errorClass: RdErrorClass;
  /** Resent with backoff by idempotent calls (realdebrid.md §1.5: "retry with backoff"). */
  retry: boolean;
}

const row = (code: number, name: string | null, meaning: string, status: number, errorClass: RdErrorClass, retry = false): RdErrorRow => ({
  code,
  name,
  meaning,
  status,
  kind: new errorClass().kind,
  errorClass,
  retry,
});
const RETRY = true;

/** RD's numeric error codes (realdebrid.md §1.5). Code 31 "action already done" is a 202 success, not an error. */
export const RD_ERROR_TABLE: ReadonlyArray<RdErrorRow> = Object.freeze([
  row(-1, 'internal_error', 'Internal error', 500, RdTransientError, RETRY),
  row(1, 'parameter_missing', 'Missing parameter', 400, RdBadRequestError),
  row(2, 'bad_parameter', 'Bad parameter value', 400, RdBadRequestError),
  row(3, 'unknown_method', 'Unknown method', 404, RdBadRequestError),
  row(4, 'method_not_allowed', 'Method not allowed', 405, RdBadRequestError),
  row(5, 'slow_down', 'Slow down', 429, RdThrottledError),
  row(6, 'ressource_unreachable', 'Ressource unreachable', 503, RdDeadFileError),
  row(7, 'unknown_ressource', 'Resource not found', 404, RdNotFoundError),
  row(8, 'bad_token', 'Bad token', 401, RdAuthError),
  row(9, 'permission_denied', 'Permission denied', 403, RdPermissionError),
  row(10, 'twofactor_auth_needed', 'Two-factor authentication needed (OAuth password flow only)', 403, RdBadRequestError),
  row(11, 'twofactor_auth_pending', 'Two-factor authentication pending (OAuth password flow only)', 403, RdBadRequestError),
  row(12, 'invalid_login', 'Invalid login (OAuth password flow only)', 400, RdBadRequestError),
  row(13, 'invalid_password', 'Invalid password (OAuth password flow only)', 403, RdBadRequestError),
  row(14, 'account_locked', 'Account locked', 403, RdPermissionError),
  row(15, 'account_not_activated', 'Account not activated', 403, RdPermissionError),
  row(16, 'unsupported_hoster', 'Unsupported hoster', 503, RdDeadFileError),
  row(17, 'hoster_in_maintenance', 'Hoster in maintenance', 503, RdTransientError),
  row(18, 'hoster_limit_reached', 'Hoster limit reached', 503, RdTransientError),
  row(19, 'hoster_unavailable', 'Hoster temporarily unavailable', 503, RdDeadFileError),
  row(20, 'hoster_not_free', 'Hoster not available for free users', 403, RdNotPremiumError),
  row(21, 'too_many_active_downloads', 'Too many active downloads', 509, RdUnavailableError),
  row(22, 'ip_not_allowed', 'IP address not allowed', 403, RdIpBlockedError),
  row(23, 'traffic_exhausted', 'Traffic exhausted', 503, RdFairUseError),
  row(24, 'unavailable_file', 'File unavailable', 503, RdDeadFileError),
  row(25, 'service_unavailable', 'Service unavailable', 503, RdTransientError),
  row(26, 'upload_too_big', 'Upload too big', 400, RdBadRequestError),
  row(27, 'upload_error', 'Upload error', 503, RdBadRequestError),
  row(28, 'file_not_allowed', 'File not allowed', 403, RdDeadFileError),
  row(29, 'torrent_too_big', 'Torrent too big', 400, RdBadRequestError),
  row(30, 'torrent_file_invalid', 'Torrent file invalid', 400, RdBadRequestError),
  row(32, 'image_resolution_error', 'Image resolution error', 400, RdBadRequestError),
  row(33, 'torrent_already_active', 'Torrent already active', 400, RdBadRequestError),
  row(34, 'too_many_requests', 'Too many requests', 429, RdThrottledError),
  row(35, 'infringing_file', 'Infringing file', 451, RdBlockedError),
  row(36, 'fair_usage_limit', 'Fair Usage Limit', 503, RdFairUseError),
  row(37, 'disabled_endpoint', 'Disabled endpoint', 403, RdDisabledError),
]);

const BY_CODE: ReadonlyMap<number, RdErrorRow> = new Map(RD_ERROR_TABLE.map((r) => [r.code, r]));

/** When RD sent no `error_code`: the HTTP status decides. Anything else 4xx is a bad request, 5xx transient. */
export const RD_STATUS_TABLE: ReadonlyArray<{ status: number; errorClass: RdErrorClass }> = Object.freeze([
  { status: 401, errorClass: RdAuthError },
  { status: 403, errorClass: RdPermissionError },
  { status: 404, errorClass: RdNotFoundError },
  { status: 429, errorClass: RdThrottledError },
  { status: 451, errorClass: RdBlockedError },
  { status: 509, errorClass: RdUnavailableError },
]);

const BY_STATUS: ReadonlyMap<number, RdErrorClass> = new Map(RD_STATUS_TABLE.map((r) => [r.status, r.errorClass]));

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const v = header.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

function bodyFields(body: unknown): { rdCode: number | null; rdError: string | null } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { rdCode: null, rdError: null };
  const b = body as Record<string, unknown>;
  const raw = b['error_code'];
  const code = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : null;
  const err = typeof b['error'] === 'string' ? (b['error'] as string) : null;
  return { rdCode: code !== null && Number.isInteger(code) ? code : null, rdError: err };
}

/** Classifies one RD error response. Table-driven: `error_code` first, then the HTTP status. */
export function rdErrorFrom(status: number, body: unknown, retryAfterHeader: string | null, now?: number): RdError {
  const { rdCode, rdError } = bodyFields(body);
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  const ctx: RdErrorContext = { status, rdCode, rdError, retryAfterMs };
  const byCode = rdCode !== null ? BY_CODE.get(rdCode) : undefined;
  if (byCode) return new byCode.errorClass(undefined, ctx);
  const byStatus = BY_STATUS.get(status);
  if (byStatus) return new byStatus(undefined, ctx);
  if (status >= 400 && status < 500) return new RdBadRequestError(undefined, ctx);
  if (status >= 500 && rdCode === null) return new RdTransientError(undefined, ctx);
  // 5xx with an unknown code, or an odd status (3xx): RD's own words are all we have.
  return new RdTransientError('Real-Debrid answered with an unexpected error', ctx);
}

/**
 * Worth resending (idempotent calls only; RdHttp checks that): network trouble, timeouts, 5xx
 * answers without an RD error code (gateway pages) and the codes whose table row says `retry`
 * (-1, RD's internal error). Other coded answers are RD's decision and are not resent.
 */
export function isRetryable(err: RdError): boolean {
  if (err.kind === 'network' || err.kind === 'timeout') return true;
  if (err.rdCode !== null) return BY_CODE.get(err.rdCode)?.retry === true;
  return err.kind === 'transient' && err.status !== null && err.status >= 500;
}

/** Signals that start the global cooldown: 429, code 34 (any status) and code 5. */
export function isThrottle(err: RdError): boolean {
  return err.kind === 'throttled';
}
