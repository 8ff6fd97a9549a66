// Assembles the HTTP app from its parts (passed in, so tests build it on a fake RD and a temp
// data dir). Each concern is its own small Fastify plugin; this file only wires them together.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import type { Parts } from './parts.ts';
import { installErrorHandlers } from './api/errors.ts';
import { clientErrorHandler, frameworkErrors, installHeaders, type PathHeader } from './api/headers.ts';
import { decorateAccess } from './api/access.ts';
import authPlugin from './api/auth/plugin.ts';
import heresphereLogin, { heresphereRefusal } from './api/heresphere/login.ts';
import heresphereRoutes, { HERESPHERE_VERSION_HEADER, isHerespherePath } from './api/heresphere/routes.ts';
import playRoutes from './api/play.ts';
import deovrRoutes from './api/deovr/routes.ts';
import healthRoutes from './api/health.ts';
import webApiRoutes from './api/web.ts';
import changesRoutes from './api/progress.ts';
import savedViewRoutes from './api/views.ts';
import heatThumbRoutes from './api/heat-thumb.ts';
import projectionRoutes from './api/projection.ts';
import mediaRoutes from './api/media.ts';
import staticRoutes, { sendIndexHtml } from './api/static.ts';

export interface AppOptions {
  parts: Parts;
  https?: import('node:https').ServerOptions;
  httpsPort?: number | null;
}

export const BODY_LIMIT = 64 * 1024;

/** Every answer under /heresphere carries the version header, errors and 404s included. */
const PATH_HEADERS: readonly PathHeader[] = [{ matches: isHerespherePath, name: HERESPHERE_VERSION_HEADER, value: '1' }];

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { parts } = opts;
  const app = Fastify({
    loggerInstance: parts.logger.child({ part: 'http' }),
    // One readable line per failed request (onResponse below) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // X-Forwarded-For names the client (req.ip: playback sessions, failed-login limits) only when
    // the socket is a proxy TRUST_PROXY names; anyone else could forge it. URLs still follow
    // X-Forwarded-Proto/Host (api/urls.ts), which only change what the sender itself is told.
    trustProxy: parts.config.trustProxy.length > 0 ? [...parts.config.trustProxy] : false,
    // A request without Host reaches the hooks (auth off refuses it like an unknown host) instead
    // of getting Node's bare 400 without the security headers.
    http: { requireHostHeader: false },
    ...(opts.https ? { https: { ...opts.https, requireHostHeader: false } } : {}),
    frameworkErrors: frameworkErrors(PATH_HEADERS),
    clientErrorHandler,
    // `/heresphere/` and `/deovr/` are the library, as in XBVR and stash-vr (players and users type
    // the slash); without this `/heresphere/` matched `/heresphere/:id` with an empty id (400).
    routerOptions: { ignoreTrailingSlash: true },
  } as FastifyServerOptions) as unknown as FastifyInstance;

  installHeaders(app, PATH_HEADERS);
  installErrorHandlers(app);
  decorateAccess(app);
  // gzip for JSON, HTML and JS when asked; big cached responses arrive pre-gzipped and are left alone.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip'] });
  await app.register(authPlugin, { parts, refusers: { heresphere: heresphereRefusal } });

  app.addHook('onResponse', async (req, reply) => {
    const ms = Math.round(reply.elapsedTime);
    // A 5xx marked pending ("being made, ask again": previews) is expected, not a failure.
    const expected = reply.getHeader('x-media-state') === 'pending';
    if (reply.statusCode >= 500 && !expected) req.log.warn({ method: req.method, url: req.routeOptions.url, status: reply.statusCode, ms }, 'request failed');
    else req.log.debug({ method: req.method, url: req.routeOptions.url, status: reply.statusCode, ms }, 'request');
  });

  // Players announce themselves: HereSphere's browser lands on its API.
  app.get('/', { exposeHeadRoute: true }, async (req, reply) => {
    if (/HereSphere/i.test(req.headers['user-agent'] ?? '')) return reply.code(307).header('location', '/heresphere').send();
    return sendIndexHtml(reply);
  });

  await app.register(heresphereLogin, { parts });
  await app.register(heresphereRoutes, { parts, sendBrowserView: sendIndexHtml });
  await app.register(deovrRoutes, { parts });
  await app.register(playRoutes, { parts });
  await app.register(healthRoutes, { parts });
  await app.register(webApiRoutes, { parts, httpsPort: opts.httpsPort ?? null });
  await app.register(changesRoutes, { parts });
  await app.register(savedViewRoutes, { parts });
  await app.register(heatThumbRoutes, { parts });
  await app.register(projectionRoutes, { parts });
  await app.register(mediaRoutes, {
    pipeline: parts.media,
    lookup: (id, job) => parts.targets.lookup(parts.videos.find(id), job),
  });
  await app.register(staticRoutes, {});
  return app;
}
