// Serves the built browser view (dist/web, made by scripts/build-web.mjs): the HTML shell with a
// strict Content-Security-Policy, and its assets under /assets/. The ancestor app broke its own
// page with its CSP; here the page has no inline script or style, so the strict policy holds.
// GET / itself is routed in app.ts (HereSphere's browser is redirected there) via sendIndexHtml.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { statSync, readFileSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';

export const DEFAULT_DIST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

/** media-src allows http(s) because /play redirects to the Real-Debrid CDN. */
export const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: https: http:",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/** Only flat names the build writes: no separators, no dot-files, no traversal. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)+$/;

/** esbuild's chunk names (scripts/build-web.mjs chunkNames '[name]-[hash]'). */
const HASHED_CHUNK = /^[a-z]+-[A-Z0-9]{8}\.js$/;

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}
const cache = new Map<string, Cached>();

/** File contents, re-read only when the build replaced the file; null when absent.
 *  Synchronous on purpose: a handful of small files, read once, then one stat per request. */
function load(path: string): Cached | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
  const body = readFileSync(path);
  const entry = { mtimeMs: st.mtimeMs, size: st.size, body, etag: `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"` };
  cache.set(path, entry);
  return entry;
}

/** The page's own policy; the headers every answer gets are set by ./headers.ts. */
function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('content-security-policy', CSP).header('cross-origin-opener-policy', 'same-origin');
}

/** The browser view's HTML shell (also used for a plain browser GET /heresphere). */
export function sendIndexHtml(reply: FastifyReply, distDir: string = DEFAULT_DIST_DIR): FastifyReply {
  const file = load(join(distDir, 'index.html'));
  securityHeaders(reply).header('cache-control', 'no-cache');
  if (!file) {
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The browser view is not built yet. Run "npm run build:web" (npm start does it for you).');
  }
  return reply.code(200).type(TYPES['.html']!).send(file.body);
}

export interface StaticOptions {
  distDir?: string;
}

export default async function staticRoutes(app: FastifyInstance, opts: StaticOptions): Promise<void> {
  const distDir = opts.distDir ?? DEFAULT_DIST_DIR;

  app.get<{ Params: { file: string }; Querystring: { v?: string } }>(
    '/assets/:file',
    {
      exposeHeadRoute: true,
      schema: {
        params: Type.Object({ file: Type.String({ pattern: SAFE_NAME.source, maxLength: 100 }) }),
        querystring: Type.Object({ v: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })) }),
      },
    },
    async (req: FastifyRequest<{ Params: { file: string }; Querystring: { v?: string } }>, reply) => {
      const name = req.params.file;
      const type = TYPES[extname(name).toLowerCase()];
      const file = SAFE_NAME.test(name) && type ? load(join(distDir, name)) : null;
      if (!file || !type) return reply.code(404).type('application/json; charset=utf-8').send({ error: 'Not found' });
      securityHeaders(reply)
        .header('etag', file.etag)
        // Hashed URLs (?v=<content hash>, written by the build) never change; others revalidate.
        // So are code-split chunks, whose names carry their content hash (viewer-<hash>.js).
        .header('cache-control', req.query.v || HASHED_CHUNK.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
      return reply.code(200).type(type).send(file.body);
    },
  );
}
