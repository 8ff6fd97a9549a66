// Cross-site checks that apply to every request, auth on or off: state-changing browser requests
// must come from this server's own pages (the response headers themselves are set in ../headers.ts).
import type { FastifyRequest } from 'fastify';

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
