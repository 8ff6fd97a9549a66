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

/** The host names (with port) this request may call its own: Host, a proxy's X-Forwarded-Host, PUBLIC_URL's. */
function ownHosts(req: FastifyRequest, publicUrl: string | null): string[] {
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
  return candidates;
}

/** Whether an Origin or Referer value is one of this server's own origins (`anyPort`: same machine name). */
function isOwnUrl(value: string, req: FastifyRequest, publicUrl: string | null, anyPort = false): boolean {
  let o: URL;
  try {
    o = new URL(value);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
  const strip = (h: string) => (anyPort ? h.replace(/:\d+$/, '') : h);
  const mine = strip(normalHost(o.host, o.protocol));
  return ownHosts(req, publicUrl).some((c) => strip(normalHost(c, o.protocol)) === mine);
}

/**
 * Whether a request comes from one of this server's own pages: its Origin names the host the
 * request was sent to (Host, a proxy's X-Forwarded-Host, or PUBLIC_URL). Without an Origin,
 * only a browser's `Sec-Fetch-Site: same-origin` counts.
 */
export function sameOrigin(req: FastifyRequest, publicUrl: string | null): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] === 'same-origin';
  return isOwnUrl(origin, req, publicUrl);
}

/**
 * Why a request was made by another site's page, or null when it was not (issue 16 item 3: a
 * foreign page's `<img src=".../play/…">` made the server spend the RD budget). Browsers say who
 * asks: `Sec-Fetch-Site` (cross-site / same-site; `same-origin` and `none`, a typed address or
 * bookmark, pass), else a foreign `Origin`, else a foreign `Referer`. Chromium sends no Sec-Fetch-*
 * over plain http to a LAN address, so there only Origin and Referer tell. Players send none of
 * these, and HereSphere's and DeoVR's built-in browsers load this server's own pages.
 */
export function foreignPage(req: FastifyRequest, publicUrl: string | null): 'sec-fetch-site' | 'origin' | 'referer' | null {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const referer = typeof req.headers.referer === 'string' && req.headers.referer !== '' ? req.headers.referer : undefined;
  if (site === 'cross-site') return 'sec-fetch-site';
  if (site === 'same-site') {
    // Another port of the same machine name (our own HTTPS listener) counts as ours; anything else on the site does not.
    const from = origin ?? referer;
    return from !== undefined && isOwnUrl(from, req, publicUrl, true) ? null : 'sec-fetch-site';
  }
  if (site === 'same-origin' || site === 'none') return null;
  if (origin !== undefined && !isOwnUrl(origin, req, publicUrl)) return 'origin';
  if (referer !== undefined && !isOwnUrl(referer, req, publicUrl, true)) return 'referer';
  return null;
}
