// Which routes a request without full access may reach, and what it gets instead. Deny by
// default: a route is protected unless this table names it, so a new route cannot slip through.
// Refusals speak each client's language: a player adapter may hand in its own refusal for its
// policy (HereSphere: a library-shaped 200 with `access` 0/-1, its login bar), browsers navigating
// to a page go to /login, everything else gets 401 JSON. This module imports no adapter.
import type { FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * Routes a page of another site may make a browser request to: the public ones and the browser
 * view's shell and assets (they reveal nothing and cost nothing; a link from elsewhere to `/`
 * must open the view). Everything else reveals the library or costs RD calls (issue 16 item 3).
 */
const CROSS_SITE_OK: ReadonlySet<string> = new Set(['GET /', 'HEAD /', 'GET /assets/:file', 'HEAD /assets/:file']);

export function crossSiteAllowed(method: string, routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && (policyOf(method, routeUrl) === 'public' || CROSS_SITE_OK.has(`${method} ${routeUrl}`));
}

/** Players may send credentials in POST bodies on these policies: refuse only after parsing. */
export function readsBodyCredentials(method: string, policy: Policy): boolean {
  return method === 'POST' && (policy === 'heresphere' || policy === 'deovr');
}

/** What a refused request offered: nothing (0) or something wrong (-1); > 0 s when locked out. */
export interface Refusal {
  access: 0 | -1;
  lockedSeconds: number;
}
/** A player adapter's refusal for the routes of its policy. */
export type Refuser = (req: FastifyRequest, reply: FastifyReply, r: Refusal) => FastifyReply;
export type Refusers = Partial<Record<Policy, Refuser>>;

function isPlayer(req: FastifyRequest): boolean {
  return /HereSphere|\[DEO|DeoVR/i.test(req.headers['user-agent'] ?? '') || req.headers['x-requested-with'] !== undefined;
}

function isHtmlNavigation(req: FastifyRequest): boolean {
  return req.method === 'GET' && /text\/html/i.test(req.headers.accept ?? '') && !isPlayer(req);
}

export function loginLocation(req: FastifyRequest): string {
  const path = req.url.split('?')[0] ?? '/';
  return path === '/' || !/^\/[A-Za-z0-9/_.\-]{0,200}$/.test(path) ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}

/** Answers a request that may not pass. */
export function deny(req: FastifyRequest, reply: FastifyReply, policy: Policy, v: Verdict, refusers: Refusers = {}): FastifyReply {
  reply.header('cache-control', 'no-store');
  const refusal: Refusal = { access: v.access === -1 ? -1 : 0, lockedSeconds: v.lockedMs > 0 ? Math.ceil(v.lockedMs / 1000) : 0 };
  const own = refusers[policy];
  if (own) return own(req, reply, refusal);
  if (refusal.lockedSeconds > 0) return sendLocked(reply, refusal.lockedSeconds);
  const access = refusal.access;
  if (req.routeOptions.url === '/' && /HereSphere/i.test(req.headers['user-agent'] ?? '') && (req.method === 'GET' || req.method === 'HEAD')) {
    return reply.redirect('/heresphere', 307);
  }
  if (v.badSignature) return sendError(reply, 403, 'This link is not valid (any more): reload the library to get fresh links.');
  if (policy !== 'asset' && !(req.url.startsWith('/api/')) && isHtmlNavigation(req)) return reply.redirect(loginLocation(req), 302);
  reply.header('www-authenticate', 'Bearer realm="debridsphere"');
  return sendError(reply, 401, access === -1 ? 'Wrong or expired credentials: log in again.' : 'Login required: open /login, or send Authorization: Bearer <token>.');
}

/** The one 429 answer for a locked-out address (also from the login routes). */
export function sendLocked(reply: FastifyReply, seconds: number, extra: Record<string, unknown> = {}): FastifyReply {
  reply.header('retry-after', String(seconds));
  return sendError(reply, 429, `Too many failed logins from this address: try again in ${seconds} s.`, extra);
}
