// Big, rarely-changing JSON responses (library index, scan data, browser library) are
// serialised once per library version and base URL, gzipped once, and answered with an ETag so
// a repeat request costs a hash lookup (or a 304) instead of a rebuild. Large bodies are kept
// gzipped only (every player and browser accepts gzip; the rare client that does not gets them
// unzipped on the fly), which keeps a 50,000-video library's cached bodies to a few MB.
// Lists of every video are built by GzipJsonArray in compressed chunks, so a change to one video
// re-formats and re-compresses one chunk, not the whole library.
import { createHash } from 'node:crypto';
import { constants as zlibConstants, crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
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

  /** Same, for a caller that makes the body itself (a Buffer of JSON, or a GzipJsonArray result). */
  getBody(key: string, version: number, build: () => Buffer | CachedBody): CachedBody {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const made = build();
    const value = Buffer.isBuffer(made) ? cachedBody(made) : made;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final deflate block: ends a stream made of sync-flushed pieces. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

function gf2Times(mat: Uint32Array, vec: number): number {
  let sum = 0;
  for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i] as number;
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, mat: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(mat, mat[n] as number);
}

/** CRC-32 of A+B from crc(A), crc(B) and |B| (zlib's crc32_combine). */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd);
  gf2Square(odd, even);
  let c = crc1 >>> 0;
  let len = len2;
  for (;;) {
    gf2Square(even, odd);
    if (len % 2 === 1) c = gf2Times(even, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len % 2 === 1) c = gf2Times(odd, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
  }
  return (c ^ crc2) >>> 0;
}

/** A piece of a gzip body: compressed on its own (sync flush, no final block), with what the trailer and ETag need. */
export interface Piece {
  deflated: Buffer;
  crc: number;
  length: number;
  digest: Buffer;
}

function piece(text: string): Piece {
  const raw = Buffer.from(text);
  return {
    deflated: deflateRawSync(raw, { level: 6, finishFlush: zlibConstants.Z_SYNC_FLUSH }),
    crc: crc32(raw),
    length: raw.length,
    digest: createHash('sha1').update(raw).digest(),
  };
}

/** One gzip member from pieces compressed independently (each back-reference stays inside its piece). */
function joinPieces(pieces: readonly Piece[]): CachedBody {
  let crc = 0;
  let length = 0;
  const hash = createHash('sha1');
  for (const p of pieces) {
    crc = crc32Combine(crc, p.crc, p.length);
    length += p.length;
    hash.update(p.digest);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  const gzip = Buffer.concat([GZIP_HEADER, ...pieces.map((p) => p.deflated), FINAL_BLOCK, trailer]);
  return { body: null, etag: `"${hash.digest('base64url').slice(0, 22)}"`, gzip, length };
}

interface Chunk<T> {
  items: T[];
  stamps: unknown[] | null;
  piece: Piece;
}

/**
 * The JSON `${head}[item,item,...]${tail}` of a long list (every video), kept as gzip pieces of
 * CHUNK items: when a few items change (a probe, a rating), only their chunks are formatted and
 * compressed again, and the answer is the pieces joined (no re-compression of the whole). Items
 * are compared by identity (Videos are rebuilt, never edited) plus an optional stamp per item for
 * outside state the format depends on. Memory: the compressed pieces only.
 */
export class GzipJsonArray<T extends object> {
  private chunks: Array<Chunk<T>> = [];
  private ends = new Map<string, Piece>();

  constructor(private readonly chunkSize = 256) {}

  private end(text: string): Piece {
    let p = this.ends.get(text);
    if (!p) {
      if (this.ends.size >= 8) this.ends.clear();
      this.ends.set(text, (p = piece(text)));
    }
    return p;
  }

  build(head: string, items: readonly T[], tail: string, format: (item: T) => unknown, stamp?: (item: T) => unknown): CachedBody {
    return joinPieces(this.pieces(head, items, tail, format, stamp));
  }

  /** The same body as compressed pieces, for a caller that joins several lists into one body. */
  pieces(head: string, items: readonly T[], tail: string, format: (item: T) => unknown, stamp?: (item: T) => unknown): Piece[] {
    const pieces: Piece[] = [this.end(`${head}[`)];
    const next: Array<Chunk<T>> = [];
    for (let i = 0, k = 0; i < items.length; i += this.chunkSize, k++) {
      const slice = items.slice(i, i + this.chunkSize);
      const stamps = stamp ? slice.map(stamp) : null;
      const old = this.chunks[k];
      const same =
        old !== undefined && old.items.length === slice.length && old.items.every((x, j) => x === slice[j]) &&
        (stamps === null || (old.stamps !== null && old.stamps.every((x, j) => x === stamps[j])));
      const chunk = same ? old : { items: slice, stamps, piece: piece((k === 0 ? '' : ',') + slice.map((x) => JSON.stringify(format(x))).join(',')) };
      next.push(chunk);
      pieces.push(chunk.piece);
    }
    this.chunks = next;
    pieces.push(this.end(`]${tail}`));
    return pieces;
  }
}

/** One named list of a GzipJsonLists body: `${head}[items]${tail}`. */
export interface JsonList<T> {
  /** Identifies the list between builds (its chunks are re-used when its items did not change). */
  key: string;
  head: string;
  items: readonly T[];
  tail: string;
}

/**
 * `${head}` + lists separated by commas + `${tail}`, each list a GzipJsonArray (DeoVR's scenes:
 * a few sections, each listing thousands of videos). Lists that disappear are forgotten.
 */
export class GzipJsonLists<T extends object> {
  private lists = new Map<string, GzipJsonArray<T>>();

  build(head: string, lists: ReadonlyArray<JsonList<T>>, tail: string, format: (item: T) => unknown): CachedBody {
    const pieces: Piece[] = [piece(head)];
    const next = new Map<string, GzipJsonArray<T>>();
    lists.forEach((l, i) => {
      const array = this.lists.get(l.key) ?? new GzipJsonArray<T>();
      next.set(l.key, array);
      pieces.push(...array.pieces((i === 0 ? '' : ',') + l.head, l.items, l.tail, format));
    });
    this.lists = next;
    pieces.push(piece(tail));
    return joinPieces(pieces);
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

/**
 * One chunked builder per base URL: formatted entries embed absolute URLs, and a server is
 * reached under a few names at most (LAN address, localhost, public URL). The oldest goes first.
 */
export class PerBaseUrl<T> {
  private readonly byBase = new Map<string, T>();

  constructor(
    private readonly make: () => T,
    private readonly max = 4,
  ) {}

  get(base: string): T {
    let v = this.byBase.get(base);
    if (v === undefined) {
      if (this.byBase.size >= this.max) this.byBase.delete(this.byBase.keys().next().value!);
      this.byBase.set(base, (v = this.make()));
    }
    return v;
  }
}
