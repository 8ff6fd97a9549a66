// DNS rebinding guard for auth-off servers. A web page on attacker.example can re-point its own
// name at this server's LAN address; the browser then treats the server as that page's own origin,
// so the same-origin Origin check passes and the page can read the library and change user data.
// The browser still sends `Host: attacker.example`, so with no login to stop it, the server only
// answers requests addressed to a name an outsider cannot control: an IP literal, localhost, a
// single-label LAN name, a LAN-only suffix, the PUBLIC_URL host, or a name in ALLOWED_HOSTS.
// Players on the LAN use IP addresses and are unaffected. The raw Host header is checked, never
// X-Forwarded-Host (a page can set that one on its own same-origin requests).
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { sendError } from '../errors.ts';

/** Suffixes that only resolve inside a home network (or the machine itself). */
const LAN_SUFFIXES = ['.local', '.lan', '.home.arpa', '.internal', '.localdomain', '.localhost'];

/** The host name of a Host header: no port, no IPv6 brackets, no trailing dot, lower case. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end === -1 ? h : h.slice(1, end);
  }
  const colons = h.split(':').length - 1;
  const name = colons === 1 ? h.slice(0, h.indexOf(':')) : h;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** The names a config allows besides the built-in LAN names: PUBLIC_URL's host and ALLOWED_HOSTS. */
export function configuredHosts(config: Pick<Config, 'publicUrl' | 'allowedHosts'>): Set<string> {
  const out = new Set(config.allowedHosts.map(hostName));
  if (config.publicUrl) {
    try {
      out.add(hostName(new URL(config.publicUrl).host));
    } catch {
      // validated by the config already
    }
  }
  return out;
}

/** Whether a request addressed to `host` (a Host header) may be answered without a login. */
export function lanHostAllowed(host: string, allowed: ReadonlySet<string>): boolean {
  const name = hostName(host);
  if (name === '') return false;
  if (isIP(name) !== 0 || allowed.has(name)) return true;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(name)) return false;
  if (!name.includes('.')) return true; // single label: localhost, nas, my-pc
  return LAN_SUFFIXES.some((s) => name.endsWith(s));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The 403 for a host that is not allowed: what happened and the exact setting that allows it. */
export function refuseHost(req: FastifyRequest, reply: FastifyReply, host: string | null): FastifyReply {
  const rule =
    'This server has no login (HERESPHERE_AUTH_TOKEN is not set), so it only answers requests addressed to an IP address, ' +
    'localhost or a LAN name';
  const name = host === null ? '' : hostName(host).slice(0, 100).replace(/[^a-z0-9.:\-\[\]]/g, '?');
  const message =
    host === null
      ? `${rule}, and this request has no Host header naming one. Send the Host header (every browser and player does), or turn on the login with HERESPHERE_AUTH_TOKEN.`
      : `${rule}, and "${name}" is none of these. To use this name, add it to ALLOWED_HOSTS ` +
        `(for example ALLOWED_HOSTS=${name}) or set PUBLIC_URL to it, or turn on the login with HERESPHERE_AUTH_TOKEN.`;
  reply.header('cache-control', 'no-store');
  if (req.method === 'GET' && /text\/html/i.test(req.headers.accept ?? '')) {
    const html = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>debridsphere: host not allowed</title></head>` +
      `<body><h1>Host not allowed</h1><p>${escapeHtml(message)}</p></body></html>\n`;
    return reply.code(403).type('text/html; charset=utf-8').send(html);
  }
  return sendError(reply, 403, message);
}
