// GET|HEAD /play/<video>/<file>: resolves the file to a Real-Debrid download on demand
// (interactive priority) and redirects the player there (302, no-store), or with PLAY_MODE=proxy
// streams it through this server with Range passed through. Subtitles and scripts use the same
// route, so nothing is unrestricted until a player asks for it. `?via=server` asks for the proxy
// whatever PLAY_MODE says: the browser's VR viewer needs same-origin (readable) frames for WebGL
// when the download server sends no CORS headers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { Readable } from 'node:stream';
import type { Parts } from '../parts.ts';
import { PlayError } from '../play/errors.ts';
import { sendError, sendPlayError } from './errors.ts';

const Params = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  // A digit string, not a coerced number: "0x10" or "1e1" must not become another file.
  fileId: Type.String({ pattern: '^[0-9]{1,7}$' }),
});

const Query = Type.Object({ via: Type.Optional(Type.Literal('server')) });

/** A headset gets an answer (302, or 503 + Retry-After) within about this long, whatever RD does. */
export const PLAY_ANSWER_MS = 12_000;
const SLOW_RETRY_MS = 5_000;

function withinAnswerTime<T>(work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new PlayError('upstream-busy', 'Real-Debrid is slow to answer; the file is still being prepared, try again in a few seconds.', SLOW_RETRY_MS));
    }, PLAY_ANSWER_MS);
    timer.unref();
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

const PASS_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag'];

/**
 * How long the download host may take to start answering (headers) before the link is treated as
 * unreachable: a node that swallows connections must not hold a player for undici's 5 minutes.
 */
export const CDN_ANSWER_TIMEOUT_MS = 10_000;

/** CDN statuses that mean "this download URL is no good any more": unrestrict again, once. */
const STALE_STATUSES = new Set([401, 403, 404, 410]);

export default async function playRoutes(app: FastifyInstance, opts: { parts: Pick<Parts, 'config' | 'resolver'>; cdnAnswerTimeoutMs?: number }): Promise<void> {
  const { parts } = opts;
  const answerMs = opts.cdnAnswerTimeoutMs ?? CDN_ANSWER_TIMEOUT_MS;

  const handler = async (req: FastifyRequest<{ Params: { id: string; fileId: string }; Querystring: { via?: 'server' } }>, reply: FastifyReply) => {
    const fileId = Number(req.params.fileId);
    let resolved;
    try {
      // Each RD call has its own 11 s deadline; a cold video may need two (file list, unrestrict).
      // The headset still hears back within PLAY_ANSWER_MS: the work goes on and the retry finds it cached.
      resolved = await withinAnswerTime(parts.resolver.resolve(req.params.id, fileId, { priority: 'interactive' }));
    } catch (err) {
      if (err instanceof PlayError) return sendPlayError(reply, err);
      throw err;
    }
    if (parts.config.playMode === 'proxy' || req.query.via === 'server') return proxy(req, reply, resolved.download, answerMs, (why, cdnStatus) =>
      parts.resolver.resolve(req.params.id, fileId, { priority: 'interactive', refresh: why === 'stale' ? true : 'unreachable', ...(cdnStatus !== null ? { cdnStatus } : {}) }).then((r) => r.download),
    );
    return reply.code(302).header('cache-control', 'no-store').header('location', resolved.download).send();
  };

  app.route({ method: ['GET', 'HEAD'], url: '/play/:id/:fileId', schema: { params: Params, querystring: Query }, handler });
}

/**
 * Streams the CDN response through, passing Range both ways. The stored download URL is replaced
 * once (a new unrestrict) when the CDN refuses it (expired) or when its host cannot be reached:
 * refused connection, no answer within `answerMs` (a download node gone; in the demo, the
 * previous run's fake RD whose port is closed).
 */
async function proxy(req: FastifyRequest, reply: FastifyReply, url: string, answerMs: number, refresh: (why: 'stale' | 'unreachable', cdnStatus: number | null) => Promise<string>): Promise<FastifyReply> {
  const headers: Record<string, string> = {};
  const range = req.headers.range;
  if (typeof range === 'string' && /^bytes=\d*-\d*$/.test(range)) headers.range = range;
  const controller = new AbortController();
  req.raw.on('close', () => controller.abort());
  const fetchOnce = async (u: string): Promise<Response | null> => {
    const answer = new AbortController();
    const timer = setTimeout(() => answer.abort(), answerMs);
    try {
      return await fetch(u, { method: req.method === 'HEAD' ? 'HEAD' : 'GET', headers, signal: AbortSignal.any([controller.signal, answer.signal]), redirect: 'follow' });
    } catch (err) {
      if (controller.signal.aborted) throw err; // the player left
      return null; // unreachable: refused, reset, DNS, or no answer in time
    } finally {
      clearTimeout(timer);
    }
  };
  let upstream: Response | null;
  try {
    upstream = await fetchOnce(url);
    if (!upstream || STALE_STATUSES.has(upstream.status)) {
      await upstream?.body?.cancel();
      upstream = await fetchOnce(await refresh(upstream ? 'stale' : 'unreachable', upstream?.status ?? null));
    }
  } catch (err) {
    if (err instanceof PlayError) return sendPlayError(reply, err);
    return sendError(reply, 502, 'The Real-Debrid download server did not answer.');
  }
  if (!upstream) return sendError(reply, 502, 'The Real-Debrid download server did not answer.');
  if (upstream.status >= 400) {
    await upstream.body?.cancel();
    return sendError(reply, upstream.status === 416 ? 416 : 502, upstream.status === 416 ? 'Range not satisfiable.' : 'The Real-Debrid download server refused the file.');
  }
  for (const h of PASS_HEADERS) {
    const v = upstream.headers.get(h);
    if (v !== null) reply.header(h, v);
  }
  // Some CDNs ignore Range and answer 200: fine for the client, it just gets the whole file.
  reply.code(upstream.status).header('cache-control', 'no-store');
  if (req.method === 'HEAD' || !upstream.body) {
    await upstream.body?.cancel();
    return reply.send();
  }
  return reply.send(Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream));
}
