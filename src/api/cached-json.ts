// Big, rarely-changing JSON responses (library index, scan data, browser library) are
// serialised once per library version and base URL, gzipped once, and answered with an ETag so
// a repeat request costs a hash lookup (or a 304) instead of a rebuild. Large bodies are kept
// gzipped only (every player and browser accepts gzip; the rare client that does not gets them
// unzipped on the fly), which keeps a 50,000-video library's cached bodies to a few MB.
// Big arrays are best serialised per item and joined (`jsonArrayBody`), optionally with the
// per-item text cached by the caller, so a change to one video does not re-format all of them.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedBody {
  /** The JSON itself; null when only the gzipped form is kept. */
  body: Buffer | null;
  etag: string;
  gzip: Buffer | null;
  /** Length of the JSON in bytes. */
  length: number;
}

/** Bodies at least this big are kept gzipped only. */
export const GZIP_ONLY_BYTES = 64 * 1024;
/** Smaller bodies are not worth compressing. */
const MIN_GZIP_BYTES = 1024;

export function cachedBody(body: Buffer): CachedBody {
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
  if (body.length < GZIP_ONLY_BYTES) return { body, etag, gzip: null, length: body.length };
  // Level 5: nearly level 6's size on JSON, noticeably faster on 20+ MB bodies.
  return { body: null, etag, gzip: gzipSync(body, { level: 5 }), length: body.length };
}

export class JsonResponseCache {
  private entries = new Map<string, { version: number; value: CachedBody }>();

  constructor(private readonly maxEntries = 16) {}

  /** The cached body of `key` for `version`, made from build()'s value (JSON.stringify) when stale. */
  get(key: string, version: number, build: () => unknown): CachedBody {
    return this.getBody(key, version, () => Buffer.from(JSON.stringify(build())));
  }

  /** Same, for a caller that serialises the JSON itself (see jsonArrayBody). */
  getBody(key: string, version: number, build: () => Buffer): CachedBody {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = cachedBody(build());
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * `${head}[item,item,...]${tail}` as UTF-8, byte for byte what JSON.stringify would make of the
 * whole, built from per-item JSON texts (items must serialise to a value, never undefined).
 */
export function jsonArrayBody(head: string, items: readonly string[], tail: string): Buffer {
  const parts: Buffer[] = [Buffer.from(`${head}[`)];
  // Joined in slices: one string per slice stays small and short-lived.
  const SLICE = 1000;
  for (let i = 0; i < items.length; i += SLICE) {
    const text = items.slice(i, i + SLICE).join(',');
    parts.push(Buffer.from(i === 0 ? text : `,${text}`));
  }
  parts.push(Buffer.from(`]${tail}`));
  return Buffer.concat(parts);
}

/**
 * Per-item JSON text cache keyed by the item object (Videos are rebuilt, never edited, when they
 * change) and a variant string (base URL, flags): unchanged items are not formatted again.
 */
export class ItemJsonCache<T extends object> {
  private maps = new Map<string, WeakMap<T, string>>();

  constructor(private readonly maxVariants = 8) {}

  text(variant: string, item: T, format: (item: T) => unknown): string {
    let m = this.maps.get(variant);
    if (!m) {
      if (this.maps.size >= this.maxVariants) this.maps.delete(this.maps.keys().next().value!);
      this.maps.set(variant, (m = new WeakMap()));
    }
    let t = m.get(item);
    if (t === undefined) {
      t = JSON.stringify(format(item));
      m.set(item, t);
    }
    return t;
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
  if (cached.length > MIN_GZIP_BYTES && acceptsGzip(req)) {
    cached.gzip ??= gzipSync(cached.body as Buffer, { level: 6 });
    return reply.header('content-encoding', 'gzip').send(cached.gzip);
  }
  return reply.send(cached.body ?? gunzipSync(cached.gzip as Buffer));
}
