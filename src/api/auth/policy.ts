// Which routes a request without full access may reach, and what it gets instead. Deny by
// default: a route is protected unless this table names it, so a new route cannot slip through.
// Refusals speak each client's language: HereSphere gets a library-shaped 200 with `access`
// 0/-1 (its login bar), browsers navigating to a page go to /login, everything else gets 401 JSON.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { messageIndex } from '../heresphere/format.ts';
import { wantsBrowserView } from '../heresphere/routes.ts';
import { sendError } from '../errors.ts';
import type { Verdict } from './credentials.ts';

/**
 * public: anyone (the answer may still depend on `req.access`, e.g. /healthz).
 * heresphere: HereSphere JSON; body credentials are read before refusing.
 * deovr: DeoVR JSON; the DeoVR routes read `req.access` and answer with `authorized`.
 * asset: files players fetch without headers; a path signature opens them.
 * protected: full access only.
 */
export type Policy = 'public' | 'heresphere' | 'deovr' | 'asset' | 'protected';

const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /healthz',
  'HEAD /healthz',
  'GET /login',
  'HEAD /login',
  'POST /login',
  'POST /logout',
  'GET /login.js',
  'HEAD /login.js',
  'GET /login.css',
  'HEAD /login.css',
  'POST /heresphere/auth',
]);

const PREFIX_POLICIES: ReadonlyArray<readonly [RegExp, Policy]> = [
  [/^\/heresphere(?:\/|$)/, 'heresphere'],
  [/^\/deovr(?:\/|$)/, 'deovr'],
  [/^\/(?:thumb|preview|play|hsp)\//, 'asset'],
];

/** The policy of a matched route (`req.routeOptions.url`); unknown routes are protected. */
export function policyOf(method: string, routeUrl: string | undefined): Policy {
  if (routeUrl === undefined) return 'protected';
  if (PUBLIC_ROUTES.has(`${method} ${routeUrl}`)) return 'public';
  return PREFIX_POLICIES.find(([re]) => re.test(routeUrl))?.[1] ?? 'protected';
}

/** Players may send credentials in POST bodies on these policies: refuse only after parsing. */
export function readsBodyCredentials(method: string, policy: Policy): boolean {
  return method === 'POST' && (policy === 'heresphere' || policy === 'deovr');
}

const HS_MESSAGES = { 0: 'Login required', '-1': 'Login failed' } as const;

function isPlayer(req: FastifyRequest): boolean {
  return /HereSphere|\[DEO|DeoVR/i.test(req.headers['user-agent'] ?? '') || req.headers['x-requested-with'] !== undefined;
}

function isHtmlNavigation(req: FastifyRequest): boolean {
  return req.method === 'GET' && /text\/html/i.test(req.headers.accept ?? '') && !isPlayer(req);
}

function loginLocation(req: FastifyRequest): string {
  const path = req.url.split('?')[0] ?? '/';
  return path === '/' || !/^\/[A-Za-z0-9/_.\-]{0,200}$/.test(path) ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}

/** Answers a request that may not pass. */
export function deny(req: FastifyRequest, reply: FastifyReply, policy: Policy, v: Verdict): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (v.lockedMs > 0) {
    const seconds = Math.ceil(v.lockedMs / 1000);
    const message = `Too many failed logins from this address: try again in ${seconds} s.`;
    reply.header('retry-after', String(seconds));
    const library = policy === 'heresphere' ? { ...messageIndex(`Too many failed logins: wait ${seconds} s`, -1) } : {};
    return sendLocked(reply, message, library);
  }
  const access = v.access === -1 ? -1 : 0;
  if (policy === 'heresphere') {
    if (req.routeOptions.url === '/heresphere' && req.method === 'GET' && wantsBrowserView(req)) return reply.redirect(loginLocation(req), 302);
    const body = messageIndex(HS_MESSAGES[access], access);
    return reply.code(200).type('application/json; charset=utf-8').send(req.routeOptions.url === '/heresphere/scan' ? { ...body, scanData: [] } : body);
  }
  if (req.routeOptions.url === '/' && /HereSphere/i.test(req.headers['user-agent'] ?? '') && (req.method === 'GET' || req.method === 'HEAD')) {
    return reply.redirect('/heresphere', 307);
  }
  if (v.badSignature) return sendError(reply, 403, 'This link is not valid (any more): reload the library to get fresh links.');
  if (policy !== 'asset' && !(req.url.startsWith('/api/')) && isHtmlNavigation(req)) return reply.redirect(loginLocation(req), 302);
  reply.header('www-authenticate', 'Bearer realm="debridsphere"');
  return sendError(reply, 401, access === -1 ? 'Wrong or expired credentials: log in again.' : 'Login required: open /login, or send Authorization: Bearer <token>.');
}

/** The one 429 answer (also from the login routes). */
export function sendLocked(reply: FastifyReply, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return sendError(reply, 429, message, extra);
}
