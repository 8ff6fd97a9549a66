// Response hardening and cross-site checks that apply to every request, auth on or off:
// security headers on every response (refusals and errors included), no CORS grant anywhere,
// and state-changing browser requests must come from this server's own pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HERESPHERE_VERSION_HEADER } from '../heresphere/routes.ts';

/** Fallback CSP for HTML that did not set its own (the browser view plays RD downloads over http(s)). */
export const DEFAULT_HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: https: http:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** The login page: nothing but its own script and style. */
export const LOGIN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** Anything that is not HTML: nothing may run or embed it. */
const OTHER_CSP = "default-src 'none'; frame-ancestors 'none'";

function isHerespherePath(url: string): boolean {
  return url === '/heresphere' || url.startsWith('/heresphere/') || url.startsWith('/heresphere?');
}

/** onSend: the same headers on every response, whoever produced it. */
export async function securityHeaders(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  if (reply.hasHeader('access-control-allow-origin')) reply.removeHeader('access-control-allow-origin');
  if (reply.hasHeader('access-control-allow-credentials')) reply.removeHeader('access-control-allow-credentials');
  const csp = reply.getHeader('content-security-policy');
  if (csp === undefined) {
    const html = /^text\/html/i.test(String(reply.getHeader('content-type') ?? ''));
    reply.header('content-security-policy', html ? DEFAULT_HTML_CSP : OTHER_CSP);
  } else if (!/frame-ancestors/i.test(String(csp))) {
    reply.header('content-security-policy', `${String(csp)}; frame-ancestors 'none'`);
  }
  if (isHerespherePath(req.url)) reply.header(HERESPHERE_VERSION_HEADER, '1');
  return payload;
}

export function isStateChanging(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

function normalHost(host: string, protocol: string): string {
  const h = host.toLowerCase();
  const port = DEFAULT_PORTS[protocol];
  return port && h.endsWith(`:${port}`) ? h.slice(0, -port.length - 1) : h;
}

/**
 * Whether a request comes from one of this server's own pages: its Origin names the host the
 * request was sent to (Host, a proxy's X-Forwarded-Host, or PUBLIC_URL). Without an Origin,
 * only a browser's `Sec-Fetch-Site: same-origin` counts.
 */
export function sameOrigin(req: FastifyRequest, publicUrl: string | null): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] === 'same-origin';
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
  const mine = normalHost(o.host, o.protocol);
  const candidates: string[] = [];
  if (typeof req.headers.host === 'string') candidates.push(req.headers.host);
  const fwd = req.headers['x-forwarded-host'];
  if (typeof fwd === 'string') candidates.push(...fwd.split(',').map((s) => s.trim()));
  if (publicUrl) {
    try {
      candidates.push(new URL(publicUrl).host);
    } catch {
      // config validated it already
    }
  }
  return candidates.some((c) => normalHost(c, o.protocol) === mine);
}
