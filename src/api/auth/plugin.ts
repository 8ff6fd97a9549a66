// The authentication gate (heresphere-protocol.md §2, §5.4): one global onRequest hook decides
// `req.access` for every request from whatever credentials it carries, and refuses anything the
// policy table does not open (deny by default: no per-route opt-in, no Accept-header exemption).
// HereSphere and DeoVR POST bodies may carry credentials, so those refusals wait for the body
// (preValidation). Before any credential is read, requests a foreign page made are refused on
// every route that reveals the library or costs RD calls (origin.ts). Also records the route
// table. Refusals in a player's own language come from its adapter (`refusers`), so this module
// imports none. Registered right after `decorateAccess(app)`; `skip-override` makes its hooks global.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Parts } from '../../parts.ts';
import { sendError } from '../errors.ts';
import { NOTHING, combine, type Verdict } from './credentials.ts';
import { authStateOf } from './state.ts';
import { configuredHosts, lanHostAllowed, refuseHost } from './hosts.ts';
import { crossSiteAllowed, deny, policyOf, readsBodyCredentials, type Refusers } from './policy.ts';
import { foreignPage, isStateChanging, sameOrigin } from './origin.ts';
import authRoutes from './routes.ts';

export interface RouteInfo {
  method: string;
  url: string;
  /** Which parts of the request the route validates with a schema. */
  schema: { params: boolean; querystring: boolean; body: boolean };
  bodyLimit: number | null;
}

const routeTables = new WeakMap<FastifyInstance, RouteInfo[]>();

/** Every route of an app built with this plugin (HEAD twins included), for tests and audits. */
export function routeTable(app: FastifyInstance): readonly RouteInfo[] {
  return routeTables.get(app) ?? [];
}

/** User name and password from a parsed HereSphere JSON body or DeoVR form body. */
function bodyCredentials(body: unknown): { username: unknown; password: unknown } | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.password !== 'string' || b.password === '') return null;
  return { username: b.username ?? b.login, password: b.password };
}

export interface AuthPluginOptions {
  parts: Parts;
  /** Player adapters' own refusals for their policies (the app wires HereSphere's). */
  refusers?: Refusers;
}

/** A page of another site asked for the library or a video: refused before any work (no RD call). */
function refuseForeignPage(reply: FastifyReply): FastifyReply {
  return sendError(reply, 403, 'Cross-site request refused: a page of another site may not load this server\'s library or videos. Open the server\'s own address instead.');
}

async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions): Promise<void> {
  const { parts } = opts;
  const refusers = opts.refusers ?? {};
  const { config } = parts;

  const routes: RouteInfo[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (r) => {
    const schema = r.schema ?? {};
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) {
      routes.push({
        method: String(method),
        url: r.url,
        schema: { params: schema.params !== undefined, querystring: schema.querystring !== undefined, body: schema.body !== undefined },
        bodyLimit: r.bodyLimit ?? null,
      });
    }
  });

  // Limiter and sessions belong to the process (one per Parts), not to this app: the HTTP and
  // HTTPS listeners share them.
  const auth = authStateOf(parts);
  if (!auth) {
    // Auth off: everyone has full access, but only when the request is addressed to a LAN name
    // (DNS rebinding, hosts.ts), and a browser page elsewhere still may not post here.
    const allowed = configuredHosts(config);
    app.addHook('onRequest', async (req, reply) => {
      req.access = 1;
      // No Host at all (HTTP/1.0, hand-made requests) names no allowed server either.
      const host = req.headers.host;
      if (typeof host !== 'string' || !lanHostAllowed(host, allowed)) return refuseHost(req, reply, host ?? null);
      if (isStateChanging(req.method) && req.headers.origin !== undefined && !sameOrigin(req, config.publicUrl)) {
        return sendError(reply, 403, 'Cross-site request refused.');
      }
      if (!crossSiteAllowed(req.method, req.routeOptions.url) && foreignPage(req, config.publicUrl)) return refuseForeignPage(reply);
    });
    await app.register(authRoutes, { parts, auth: null });
    return;
  }
  const { checker } = auth;
  const pending = new WeakMap<FastifyRequest, Verdict>();

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // Before any credential is looked at: a foreign page's request costs nothing.
    if (!crossSiteAllowed(req.method, req.routeOptions.url) && foreignPage(req, config.publicUrl)) return refuseForeignPage(reply);
    const policy = policyOf(req.method, req.routeOptions.url);
    const v = await checker.fromHeaders(req);
    req.access = v.access;
    // A cookie rides along on any request the browser makes, wherever the page came from: a
    // change made with one must come from our own page (players send no Origin at all).
    if (isStateChanging(req.method) && (req.headers.origin !== undefined || v.via === 'cookie') && !sameOrigin(req, config.publicUrl)) {
      return sendError(reply, 403, 'Cross-site request refused.');
    }
    if (v.access === 1 || policy === 'public') return;
    if (readsBodyCredentials(req.method, policy)) {
      pending.set(req, v);
      return;
    }
    if (policy === 'deovr' && v.lockedMs === 0) return;
    return deny(req, reply, policy, v, refusers);
  });

  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    const before = pending.get(req);
    if (!before) return;
    pending.delete(req);
    const creds = bodyCredentials(req.body);
    const v = combine(before, creds ? await checker.password(req, creds.username, creds.password) : NOTHING);
    req.access = v.access;
    if (v.access === 1) return;
    const policy = policyOf(req.method, req.routeOptions.url);
    if (policy === 'deovr' && v.lockedMs === 0) return;
    return deny(req, reply, policy, v, refusers);
  });

  await app.register(authRoutes, { parts, auth });
}

// Hooks apply to the whole app, not just this plugin's own scope (fastify-plugin's convention).
(authPlugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(authPlugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'debridsphere-auth';

export default authPlugin;
