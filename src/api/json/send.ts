// Answers with a prepared JSON body: 304 on a matching If-None-Match, gzip when the client accepts
// it and the body is worth it, unzipped on the fly for the rare client that does not.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from './body.ts';

/** Smaller bodies are not worth compressing. */
const MIN_GZIP_BYTES = 1024;

function acceptsGzip(req: FastifyRequest): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b/i.test(ae);
}

/** Sends a cached JSON body: 304 on a matching If-None-Match, gzip when accepted and worth it. */
export function sendCachedJson(req: FastifyRequest, reply: FastifyReply, cached: CachedBody): FastifyReply {
  reply.header('etag', cached.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  reply.type('application/json; charset=utf-8');
  if (req.headers['if-none-match'] === cached.etag) return reply.code(304).send();
  if (cached.length > MIN_GZIP_BYTES && acceptsGzip(req)) {
    cached.gzip ??= gzipSync(cached.body as Buffer, { level: 6 });
    return reply.header('content-encoding', 'gzip').send(cached.gzip);
  }
  return reply.send(cached.body ?? gunzipSync(cached.gzip as Buffer));
}
