// Big, rarely-changing JSON responses (library index, scan data, browser library) are
// serialised once per library version and base URL, gzipped once, and answered with an ETag so
// a repeat request costs a hash lookup (or a 304) instead of a rebuild.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedBody {
  body: Buffer;
  etag: string;
  gzip: Buffer | null;
}

export class JsonResponseCache {
  private entries = new Map<string, { version: number; value: CachedBody }>();

  constructor(private readonly maxEntries = 16) {}

  get(key: string, version: number, build: () => unknown): CachedBody {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const body = Buffer.from(JSON.stringify(build()));
    const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
    const value: CachedBody = { body, etag, gzip: null };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

function acceptsGzip(req: FastifyRequest): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b/i.test(ae);
}

/** Sends a cached JSON body: 304 on a matching If-None-Match, gzip when accepted and worth it. */
export function sendCachedJson(req: FastifyRequest, reply: FastifyReply, cached: CachedBody): FastifyReply {
  reply.header('etag', cached.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  reply.type('application/json; charset=utf-8');
  if (req.headers['if-none-match'] === cached.etag) return reply.code(304).send();
  if (cached.body.length > 1024 && acceptsGzip(req)) {
    cached.gzip ??= gzipSync(cached.body, { level: 6 });
    return reply.header('content-encoding', 'gzip').send(cached.gzip);
  }
  return reply.send(cached.body);
}
