// Assembles the HTTP app from its parts (passed in, so tests build it on a fake RD and a temp
// data dir). Each concern is its own small Fastify plugin; this file only wires them together.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import type { Parts } from './parts.ts';
import { installErrorHandlers } from './api/errors.ts';
import { decorateAccess } from './api/access.ts';
import authPlugin from './api/auth/plugin.ts';
import heresphereRoutes, { HERESPHERE_VERSION_HEADER } from './api/heresphere/routes.ts';
import playRoutes from './api/play.ts';
import deovrRoutes from './api/deovr/routes.ts';
import healthRoutes from './api/health.ts';
import webApiRoutes from './api/web.ts';
import projectionRoutes from './api/projection.ts';
import mediaRoutes from './api/media.ts';
import staticRoutes, { sendIndexHtml } from './api/static.ts';

export interface AppOptions {
  parts: Parts;
  https?: import('node:https').ServerOptions;
  httpsPort?: number | null;
}

export const BODY_LIMIT = 64 * 1024;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { parts } = opts;
  const app = Fastify({
    loggerInstance: parts.logger.child({ part: 'http' }),
    // One readable line per failed request (onResponse below) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    trustProxy: true,
    ...(opts.https ? { https: opts.https } : {}),
  } as FastifyServerOptions) as unknown as FastifyInstance;

  installErrorHandlers(app);
  decorateAccess(app);
  // gzip for JSON, HTML and JS when asked; big cached responses arrive pre-gzipped and are left alone.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip'] });
  await app.register(authPlugin, { parts });

  // Every response under /heresphere carries the version header, errors and 404s included.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/heresphere' || req.url.startsWith('/heresphere/') || req.url.startsWith('/heresphere?')) {
      reply.header(HERESPHERE_VERSION_HEADER, '1');
    }
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  app.addHook('onResponse', async (req, reply) => {
    const ms = Math.round(reply.elapsedTime);
    if (reply.statusCode >= 500) req.log.warn({ method: req.method, url: req.routeOptions.url, status: reply.statusCode, ms }, 'request failed');
    else req.log.debug({ method: req.method, url: req.routeOptions.url, status: reply.statusCode, ms }, 'request');
  });

  // Players announce themselves: HereSphere's browser lands on its API.
  app.get('/', { exposeHeadRoute: true }, async (req, reply) => {
    if (/HereSphere/i.test(req.headers['user-agent'] ?? '')) return reply.code(307).header('location', '/heresphere').send();
    return sendIndexHtml(reply);
  });

  await app.register(heresphereRoutes, { parts, sendBrowserView: sendIndexHtml });
  await app.register(deovrRoutes, { parts });
  await app.register(playRoutes, { parts });
  await app.register(healthRoutes, { parts });
  await app.register(webApiRoutes, { parts, httpsPort: opts.httpsPort ?? null });
  await app.register(projectionRoutes, { parts });
  await app.register(mediaRoutes, {
    pipeline: parts.media,
    lookup: (id: string) => parts.targets.lookup(parts.videos.find(id)),
  });
  await app.register(staticRoutes, {});
  return app;
}
