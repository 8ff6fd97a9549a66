// The routes of logging in: the browser login page (HTML + its own script and style, no inline
// code) with POST /login and POST /logout, and HereSphere's POST /heresphere/auth, which trades
// a user name and the token for an opaque auth-token. Encapsulated, so their lenient body
// parsers (JSON or form, whatever the content type says) do not leak into other routes.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Parts } from '../../parts.ts';
import { messageIndex } from '../heresphere/format.ts';
import { sendError } from '../errors.ts';
import type { AuthSecrets } from './secret.ts';
import type { CredentialChecker } from './credentials.ts';
import { sessionCookie, type Sessions } from './session.ts';
import { LOGIN_CSP } from '../headers.ts';
import { sendLocked } from './policy.ts';
import { acceptAnyJson } from '../body.ts';

const BODY_LIMIT = 8 * 1024;
const FORM = 'application/x-www-form-urlencoded';

const LoginBody = Type.Union([
  Type.Null(),
  Type.Object({ token: Type.Optional(Type.String({ maxLength: 1000 })), next: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
]);
const HsAuthBody = Type.Union([
  Type.Null(),
  Type.Object({ username: Type.Optional(Type.String({ maxLength: 1000 })), password: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: true }),
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

function isHttps(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

export default async function authRoutes(app: FastifyInstance, opts: AuthRoutesOptions): Promise<void> {
  const { auth } = opts;
  const loginHtml = loginPage(opts.parts.config.authUsername);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  acceptAnyJson(app, BODY_LIMIT);

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
    const v = auth.checker.password(req, undefined, req.body?.token ?? '', true);
    if (v.lockedMs > 0) {
      const seconds = Math.ceil(v.lockedMs / 1000);
      reply.header('retry-after', String(seconds));
      return sendLocked(reply, `Too many failed logins from this address: try again in ${seconds} s.`);
    }
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

  app.post<{ Body: Static<typeof HsAuthBody> }>('/heresphere/auth', { schema: { body: HsAuthBody }, bodyLimit: BODY_LIMIT }, async (req, reply) => {
    reply.header('cache-control', 'no-store').type('application/json; charset=utf-8');
    if (!auth) return reply.send({ 'auth-token': '', access: 1 });
    const body = req.body ?? {};
    const v = typeof body.password === 'string' && body.password !== '' ? auth.checker.password(req, body.username, body.password) : { access: req.access, lockedMs: 0 };
    if (v.lockedMs > 0) {
      const seconds = Math.ceil(v.lockedMs / 1000);
      reply.header('retry-after', String(seconds));
      return sendLocked(reply, `Too many failed logins from this address: try again in ${seconds} s.`, { ...messageIndex(`Too many failed logins: wait ${seconds} s`, -1) });
    }
    if (v.access === 1) return reply.send({ 'auth-token': auth.secrets.heresphereToken, access: 1 });
    return reply.send(v.access === -1 ? messageIndex('Login failed', -1) : messageIndex('Login required', 0));
  });
}

