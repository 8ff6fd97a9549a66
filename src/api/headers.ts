// The one place response hardening headers are set (issue 16 item 2, issue 11 item 6): every
// answer carries them, whoever produced it: route handlers, refusals, 404s, error handlers, and
// the answers Fastify and Node write on their own for a malformed URL (400), an over-long path
// parameter (414) or an unparseable request (400/431). Those framework answers get the same short
// JSON error as our own, never the request URL or an internal error code echoed back.
// Adapters add their own per-path headers through `PathHeader` rows (the app wires HereSphere's
// version header), so this module imports no adapter.
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Fallback CSP for HTML that did not set its own (the browser view plays RD downloads over http(s)). */
export const DEFAULT_HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: https: http:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** The login page: nothing but its own script and style. */
export const LOGIN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** Anything that is not HTML: nothing may run or embed it. */
export const OTHER_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers every answer carries, unchanged whatever the route set. */
const FIXED: ReadonlyArray<readonly [string, string]> = [
  ['x-content-type-options', 'nosniff'], // no MIME sniffing of JSON or media into script/HTML
  ['x-frame-options', 'DENY'], // no framing (older browsers; CSP frame-ancestors for the rest)
  ['referrer-policy', 'no-referrer'], // signed asset URLs must not leak to RD's CDN or elsewhere
];
/** CORS is never granted: a route or plugin that sets these has them removed. */
const NEVER = ['access-control-allow-origin', 'access-control-allow-credentials'];

/** A header an adapter wants on every answer under its paths (errors and 404s included). */
export interface PathHeader {
  matches(url: string): boolean;
  name: string;
  value: string;
}

/** onSend: the same headers on every response, the framework's own refusals included. */
export function applyHeaders(req: FastifyRequest, reply: FastifyReply, pathHeaders: readonly PathHeader[]): void {
  for (const [name, value] of FIXED) reply.header(name, value);
  for (const name of NEVER) if (reply.hasHeader(name)) reply.removeHeader(name);
  const csp = reply.getHeader('content-security-policy');
  if (csp === undefined) {
    const html = /^text\/html/i.test(String(reply.getHeader('content-type') ?? ''));
    reply.header('content-security-policy', html ? DEFAULT_HTML_CSP : OTHER_CSP);
  } else if (!/frame-ancestors/i.test(String(csp))) {
    reply.header('content-security-policy', `${String(csp)}; frame-ancestors 'none'`);
  }
  for (const p of pathHeaders) if (p.matches(req.url)) reply.header(p.name, p.value);
}

/** The short errors for what the framework refuses before routing: nothing of the request echoed. */
const FRAMEWORK_ERRORS: Record<string, readonly [number, string]> = {
  FST_ERR_BAD_URL: [400, 'Malformed URL.'], // e.g. /%ff%fe: not UTF-8 after percent-decoding
  FST_ERR_MAX_PARAM_LENGTH: [414, 'URL too long.'], // a path parameter over maxParamLength (100)
  FST_ERR_ASYNC_CONSTRAINT: [400, 'Bad request.'], // no async route constraints here; kept for completeness
};

/** Node's own refusals of a request it could not parse (clientError), by parser error code. */
const CLIENT_ERRORS: Record<string, readonly [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'Request headers too large.'], // > maxHeaderSize (16 KB)
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'Request timed out.'], // headers not complete within requestTimeout
};

/** Installs the one headers hook and the framework-error answers on an app. */
export function installHeaders(app: FastifyInstance, pathHeaders: readonly PathHeader[]): void {
  app.addHook('onSend', async (req, reply, payload) => {
    applyHeaders(req, reply, pathHeaders);
    return payload;
  });
}

/** Fastify's `frameworkErrors` option: bad URL / long parameter as our JSON error, with the headers. */
export function frameworkErrors(pathHeaders: readonly PathHeader[]) {
  return (err: { code?: string }, req: FastifyRequest, reply: FastifyReply): void => {
    const [status, message] = FRAMEWORK_ERRORS[err.code ?? ''] ?? [400, 'Bad request.'];
    applyHeaders(req, reply, pathHeaders);
    void reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error: message });
  };
}

/** Fastify's `clientErrorHandler`: Node could not parse the request, so there is no reply object. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'Bad request.'];
  const body = JSON.stringify({ error: message });
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    'connection: close',
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'cache-control: no-store',
    ...FIXED.map(([n, v]) => `${n}: ${v}`),
    `content-security-policy: ${OTHER_CSP}`,
  ];
  if (socket.writable) socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  else socket.destroy();
}
