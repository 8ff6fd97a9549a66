// The routes of logging in: the browser login page (HTML + its own script and style, no inline
// code) with POST /login and POST /logout (HereSphere's POST /heresphere/auth lives with its
// adapter, heresphere/login.ts). Encapsulated, so their lenient body parsers (JSON or form,
// whatever the content type says) do not leak into other routes.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Parts } from '../../parts.ts';
import { sendError } from '../errors.ts';
import type { AuthSecrets } from './secret.ts';
import type { CredentialChecker } from './credentials.ts';
import { sessionCookie, type Sessions } from './session.ts';
import { LOGIN_CSP } from '../headers.ts';
import { sendLocked } from './policy.ts';
import { acceptFormOrJson } from '../body.ts';

const BODY_LIMIT = 8 * 1024;
const FORM = 'application/x-www-form-urlencoded';

const LoginBody = Type.Union([
  Type.Null(),
  Type.Object({ token: Type.Optional(Type.String({ maxLength: 1000 })), next: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
]);

const file = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url));
const STATIC: ReadonlyArray<readonly [string, string, string]> = [
  ['/login.js', 'login.js', 'text/javascript; charset=utf-8'],
  ['/login.css', 'login.css', 'text/css; charset=utf-8'],
];

export interface AuthRoutesOptions {
  parts: Parts;
  /** null when auth is off. */
  auth: { secrets: AuthSecrets; sessions: Sessions; checker: CredentialChecker } | null;
}

/** Only same-server paths after logging in: no scheme, no `//host`, no backslash tricks. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![\/\\])[A-Za-z0-9/_.\-?=&%]{0,500}$/.test(next) ? next : '/';
}

/**
 * The login page, with the player hint matching the config: players must send AUTH_USERNAME
 * when it is set (the name itself is not shown to anonymous visitors), any name otherwise.
 */
export function loginPage(authUsername: string | null): Buffer {
  const user = authUsername === null ? 'any user name' : 'the user name set in <code>AUTH_USERNAME</code> on the server';
  return Buffer.from(file('login.html').toString('utf8').replaceAll('{{PLAYER_USER}}', user));
}

function isForm(req: FastifyRequest): boolean {
  return String(req.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
}

/** Secure cookies over https, a TLS proxy's X-Forwarded-Proto included (it can only add Secure). */
function isHttps(req: FastifyRequest): boolean {
  const fwd = req.headers['x-forwarded-proto'];
  return req.protocol === 'https' || (typeof fwd === 'string' && fwd.split(',')[0]!.trim().toLowerCase() === 'https');
}

export default async function authRoutes(app: FastifyInstance, opts: AuthRoutesOptions): Promise<void> {
  const { auth } = opts;
  const loginHtml = loginPage(opts.parts.config.authUsername);

  acceptFormOrJson(app, BODY_LIMIT);

  for (const [url, name, type] of STATIC) {
    const bytes = file(name);
    app.get(url, async (_req, reply) => reply.type(type).header('cache-control', 'no-cache').send(bytes));
  }

  app.get('/login', async (req, reply) => {
    if (!auth || req.access === 1) return reply.redirect('/', 302);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', LOGIN_CSP).send(loginHtml);
  });

  app.post<{ Body: Static<typeof LoginBody> }>('/login', { schema: { body: LoginBody }, bodyLimit: BODY_LIMIT }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const next = safeNext(req.body?.next);
    if (!auth) return isForm(req) ? reply.redirect(next, 303) : reply.send({ ok: true, next });
    const v = await auth.checker.password(req, undefined, req.body?.token ?? '', true);
    if (v.lockedMs > 0) return sendLocked(reply, Math.ceil(v.lockedMs / 1000));
    if (v.access !== 1) {
      if (isForm(req)) return reply.redirect(`/login?failed=1${next === '/' ? '' : `&next=${encodeURIComponent(next)}`}`, 303);
      return sendError(reply, 401, 'Wrong token.');
    }
    reply.header('set-cookie', sessionCookie(auth.sessions.issue(), isHttps(req)));
    return isForm(req) ? reply.redirect(next, 303) : reply.send({ ok: true, next });
  });

  // `everywhere` (JSON true or form "1"/"on") ends every browser session, in every process on the
  // data dir; only someone logged in may do that. Plain logout ends the sessions this browser sent.
  app.post('/logout', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const everywhere = body.everywhere === true || body.everywhere === '1' || body.everywhere === 'on' || body.everywhere === 'true';
    if (everywhere && auth) {
      if (req.access !== 1) return sendError(reply, 401, 'Log in first: only a logged-in browser or client may log out every session.');
      auth.sessions.revokeAll();
    }
    auth?.sessions.revoke(req.headers.cookie);
    reply.header('set-cookie', sessionCookie(null, isHttps(req)));
    return isForm(req) ? reply.redirect('/login', 303) : reply.send({ ok: true, everywhere: everywhere && auth !== null });
  });
}

