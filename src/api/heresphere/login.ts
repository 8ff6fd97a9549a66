// HereSphere's side of logging in (heresphere-protocol.md §2): POST /heresphere/auth trades a user
// name and the token for the opaque auth-token, and a refused HereSphere request is answered with
// a library-shaped 200 whose `access` 0/-1 drives the player's login bar. The auth plugin stays
// free of HereSphere's formats: the app hands it `heresphereRefusal` for the 'heresphere' policy.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Parts } from '../../parts.ts';
import { acceptFormOrJson } from '../body.ts';
import { authStateOf } from '../auth/state.ts';
import { loginLocation, sendLocked, type Refusal } from '../auth/policy.ts';
import { messageIndex } from './format.ts';
import { wantsBrowserView } from './routes.ts';

const BODY_LIMIT = 8 * 1024;
const MESSAGES = { 0: 'Login required', '-1': 'Login failed' } as const;

const HsAuthBody = Type.Union([
  Type.Null(),
  Type.Object({ username: Type.Optional(Type.String({ maxLength: 1000 })), password: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: true }),
]);

/** The refusal of a HereSphere route in the player's own language. */
export function heresphereRefusal(req: FastifyRequest, reply: FastifyReply, r: Refusal): FastifyReply {
  if (r.lockedSeconds > 0) {
    return sendLocked(reply, r.lockedSeconds, { ...messageIndex(`Too many failed logins: wait ${r.lockedSeconds} s`, -1) });
  }
  if (req.routeOptions.url === '/heresphere' && req.method === 'GET' && wantsBrowserView(req)) return reply.redirect(loginLocation(req), 302);
  const body = messageIndex(MESSAGES[r.access], r.access);
  return reply.code(200).type('application/json; charset=utf-8').send(req.routeOptions.url === '/heresphere/scan' ? { ...body, scanData: [] } : body);
}

/** POST /heresphere/auth, in its own scope: any body is read as JSON (HereSphere's content types vary). */
export default async function heresphereLogin(app: FastifyInstance, opts: { parts: Parts }): Promise<void> {
  const auth = authStateOf(opts.parts);
  acceptFormOrJson(app, BODY_LIMIT);
  app.post<{ Body: Static<typeof HsAuthBody> }>('/heresphere/auth', { schema: { body: HsAuthBody }, bodyLimit: BODY_LIMIT }, async (req, reply) => {
    reply.header('cache-control', 'no-store').type('application/json; charset=utf-8');
    if (!auth) return reply.send({ 'auth-token': '', access: 1 });
    const body = req.body ?? {};
    const v = typeof body.password === 'string' && body.password !== '' ? await auth.checker.password(req, body.username, body.password) : { access: req.access, lockedMs: 0 };
    if (v.lockedMs > 0) return heresphereRefusal(req, reply, { access: -1, lockedSeconds: Math.ceil(v.lockedMs / 1000) });
    if (v.access === 1) return reply.send({ 'auth-token': auth.secrets.heresphereToken, access: 1 });
    return reply.send(messageIndex(MESSAGES[v.access === -1 ? -1 : 0], v.access === -1 ? -1 : 0));
  });
}
