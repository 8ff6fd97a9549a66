// The RD error table (realdebrid.md §1.5 / §5.2) as the fake answers it: one row per error
// the fake can produce, so every handler names an error instead of spelling status + body.

export interface RdErrorRow {
  status: number;
  error: string;
  code: number;
}

export const RD_ERRORS = {
  internal: { status: 500, error: 'internal_error', code: -1 },
  parameterMissing: { status: 400, error: 'parameter_missing', code: 1 },
  badParameter: { status: 400, error: 'bad_parameter', code: 2 },
  unknownMethod: { status: 404, error: 'unknown_method', code: 3 },
  methodNotAllowed: { status: 405, error: 'method_not_allowed', code: 4 },
  slowDown: { status: 429, error: 'slow_down', code: 5 },
  unreachable: { status: 503, error: 'ressource_unreachable', code: 6 },
  unknownRessource: { status: 404, error: 'unknown_ressource', code: 7 },
  badToken: { status: 401, error: 'bad_token', code: 8 },
  permissionDenied: { status: 403, error: 'permission_denied', code: 9 },
  accountLocked: { status: 403, error: 'account_locked', code: 14 },
  hosterUnavailable: { status: 503, error: 'hoster_unavailable', code: 19 },
  notForFree: { status: 403, error: 'hoster_not_free', code: 20 },
  tooManyActive: { status: 509, error: 'too_many_active_downloads', code: 21 },
  ipNotAllowed: { status: 403, error: 'ip_not_allowed', code: 22 },
  trafficExhausted: { status: 503, error: 'traffic_exhausted', code: 23 },
  unavailableFile: { status: 503, error: 'unavailable_file', code: 24 },
  serviceUnavailable: { status: 503, error: 'service_unavailable', code: 25 },
  actionAlreadyDone: { status: 202, error: 'action_already_done', code: 31 },
  tooManyRequests: { status: 429, error: 'too_many_requests', code: 34 },
  infringingFile: { status: 451, error: 'infringing_file', code: 35 },
  fairUsageLimit: { status: 503, error: 'fair_usage_limit', code: 36 },
  disabledEndpoint: { status: 403, error: 'disabled_endpoint', code: 37 },
} as const satisfies Record<string, RdErrorRow>;

export type RdErrorName = keyof typeof RD_ERRORS;

/** The JSON body RD sends for an error (details only when given; RD puts them before the code). */
export function errorBody(row: RdErrorRow, details?: string, errorSuffix = ''): Record<string, unknown> {
  const body: Record<string, unknown> = { error: row.error + errorSuffix };
  if (details !== undefined) body.error_details = details;
  body.error_code = row.code;
  return body;
}

/** Default body for `failNext` without an explicit body: the most typical RD error for a status. */
const BY_STATUS: Record<number, RdErrorRow> = {
  400: RD_ERRORS.badParameter,
  401: RD_ERRORS.badToken,
  403: RD_ERRORS.permissionDenied,
  404: RD_ERRORS.unknownRessource,
  405: RD_ERRORS.methodNotAllowed,
  429: RD_ERRORS.tooManyRequests,
  451: RD_ERRORS.infringingFile,
  500: RD_ERRORS.internal,
  503: RD_ERRORS.serviceUnavailable,
  509: RD_ERRORS.tooManyActive,
};

export function defaultErrorFor(status: number): RdErrorRow {
  return BY_STATUS[status] ?? { status, error: 'internal_error', code: -1 };
}

/** What a gateway in front of RD sends: an HTML page, no JSON, no error_code. */
export function htmlErrorPage(status: number): string {
  const title = status === 504 ? '504 Gateway Time-out' : '502 Bad Gateway';
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
}
