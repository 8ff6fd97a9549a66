// GET|HEAD /thumb/<video>.jpg and /preview/<video>.mp4: serve what the media pipeline has made, at
// once. A thumbnail that is not ready yet is queued (the user is looking now) and answered with a
// placeholder JPEG marked no-cache, so players and the browser always get a real image and ask
// again later; a preview that is not ready answers 503 + Retry-After (players), or 202 + Retry-After
// to the browser's readiness question (HEAD with `x-media-probe: 1`), which is not an error in its
// console; either is marked `x-media-state: pending` so it is not logged as a failure. A video whose file list is not
// loaded yet is answered the same way while the list is fetched in the background, and the job is
// queued once it is known; 404 "Unknown video." is only for ids that are not in the library; a clip
// that will not be made answers 404 with the reason (204 to the readiness question). Files
// are served with ETag (If-None-Match -> 304) and single Range requests (206), cached for a week:
// a made file changes only when the projection guess changes, and the ETag catches that on revalidation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { open } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { MediaLookup, MediaPipeline, MediaPriority, MediaState, MediaTarget } from '../media/pipeline.ts';
import { placeholderJpeg } from '../media/placeholder.ts';
import { sendError } from './errors.ts';
import { VideoIdParams } from './schemas.ts';

export interface MediaRoutesOptions {
  pipeline: MediaPipeline;
  /** The video's media target; a file list still to load is fetched at the job's class. */
  lookup: (videoId: string, job: MediaPriority) => MediaLookup;
}

/** The target, or why there is none yet; queues `kind` once a file list being fetched is known. */
function targetOf(found: Exclude<MediaLookup, null>, pipeline: MediaPipeline, kind: 'thumb' | 'preview'): MediaTarget | { pending: true } | { none: string } {
  if ('loading' in found) {
    void found.loading.then((t) => {
      if (t) pipeline.request(kind, t, PRIORITY[kind]);
    });
    return { pending: true };
  }
  return found;
}

/**
 * A preview is asked for by a person hovering a card (or a player's preview strip): someone waits
 * for it. A thumbnail is asked for because a card or a player's list shows it: on screen.
 */
const PRIORITY: Readonly<Record<'thumb' | 'preview', MediaPriority>> = { thumb: 'now', preview: 'wait' };
/** A preview being made for a person waiting is seconds away: ask again soon (the browser waits at least 1 s). */
const PREVIEW_RETRY_S = '1';

/** The leave call carries nothing: `{}`. */
const LeaveBody = Type.Object({}, { additionalProperties: false });
type Req = FastifyRequest<{ Params: { id: string } }>;

// private: thumbnails show the user's library; shared caches (proxies) must not keep them.
const CACHED = 'private, max-age=604800';

/** "Not made yet, ask again": 202 to a readiness question, 503 to a player's fetch. */
function notReady(req: Req, reply: FastifyReply, message: string): FastifyReply {
  reply.header('retry-after', PREVIEW_RETRY_S).header('x-media-state', 'pending').header('cache-control', 'no-store');
  if (req.method === 'HEAD' && req.headers['x-media-probe'] === '1') return reply.code(202).send();
  return sendError(reply, 503, message, { state: 'pending' });
}

/**
 * "This clip will not be made": 404 with the reason to a player's fetch; to the browser's readiness
 * question 204 marked `x-media-state` (the card already shows the reason), so a hover over a failed
 * video is not an error in its console.
 */
function cannotMake(req: Req, reply: FastifyReply, reason: string, state: 'failed' | 'unavailable'): FastifyReply {
  if (req.method === 'HEAD' && req.headers['x-media-probe'] === '1') return reply.code(204).header('x-media-state', state).header('cache-control', 'no-store').send();
  return sendError(reply, 404, reason, { state });
}

export default async function mediaRoutes(app: FastifyInstance, opts: MediaRoutesOptions): Promise<void> {
  const { pipeline, lookup } = opts;

  app.route({
    method: ['GET', 'HEAD'],
    url: '/thumb/:id.jpg',
    schema: { params: VideoIdParams },
    handler: async (req: Req, reply) => {
      const found = lookup(req.params.id, PRIORITY.thumb);
      if (!found) return sendError(reply, 404, 'Unknown video.');
      const target = targetOf(found, pipeline, 'thumb');
      let state: MediaState = 'pending' in target ? { state: 'pending' } : 'none' in target ? { state: 'unavailable', reason: target.none } : pipeline.request('thumb', target, PRIORITY.thumb);
      if (state.state === 'ready' && 'hash' in target) {
        if (await sendFile(req, reply, state, 'image/jpeg')) return reply;
        await pipeline.invalidate('thumb', target);
        state = pipeline.request('thumb', target, PRIORITY.thumb);
      }
      const ph = placeholderJpeg();
      reply
        .code(200)
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'no-cache')
        .header('x-media-state', state.state === 'ready' ? 'pending' : state.state) // ready here = made in the meantime
        .header('content-length', ph.body.length);
      return reply.send(req.method === 'HEAD' ? undefined : ph.body);
    },
  });

  app.route({
    method: ['GET', 'HEAD'],
    url: '/preview/:id.mp4',
    schema: { params: VideoIdParams },
    handler: async (req: Req, reply) => {
      const found = lookup(req.params.id, PRIORITY.preview);
      if (!found) return sendError(reply, 404, 'Unknown video.');
      const target = targetOf(found, pipeline, 'preview');
      if ('pending' in target) return notReady(req, reply, 'preview not ready: the file list of this torrent is being loaded');
      if ('none' in target) return cannotMake(req, reply, target.none, 'unavailable');
      let state = pipeline.request('preview', target, PRIORITY.preview);
      if (state.state === 'ready') {
        if (await sendFile(req, reply, state, 'video/mp4')) return reply;
        await pipeline.invalidate('preview', target);
        state = pipeline.request('preview', target, PRIORITY.preview);
      }
      if (state.state === 'failed' || state.state === 'unavailable') return cannotMake(req, reply, state.reason, state.state);
      return notReady(req, reply, 'preview not ready');
    },
  });

  // The pointer left the card: nobody waits for its preview any more, so a job not started yet
  // goes back behind the cards on screen (it is not dropped: the next hover finds it further on).
  app.post('/api/preview/:id/leave', { schema: { params: VideoIdParams, body: LeaveBody }, bodyLimit: 1024 }, async (req: Req, reply) => {
    const found = lookup(req.params.id, 'background'); // leaving loads nothing new at a person's class
    if (found && !('loading' in found) && !('none' in found)) pipeline.lower('preview', found, 'now');
    return reply.code(204).send();
  });
}

/** Parses a single `bytes=` range against `size`; null = no usable Range header, 'bad' = unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'bad' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'bad';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start >= size || start > end ? 'bad' : { start, end };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === etag;
  });
}

/** Serves a cached file; false when it vanished (evicted) so the caller falls back. */
async function sendFile(req: FastifyRequest, reply: FastifyReply, state: Extract<MediaState, { state: 'ready' }>, type: string): Promise<boolean> {
  reply.header('content-type', type).header('cache-control', CACHED).header('etag', state.etag).header('accept-ranges', 'bytes');
  if (etagMatches(req.headers['if-none-match'], state.etag)) {
    reply.code(304).send();
    return true;
  }
  const range = parseRange(req.headers.range, state.size);
  if (range === 'bad') {
    reply.code(416).header('content-range', `bytes */${state.size}`).send();
    return true;
  }
  const { start, end } = range ?? { start: 0, end: state.size - 1 };
  let fh;
  try {
    fh = await open(state.file, 'r');
  } catch {
    reply.removeHeader('etag').removeHeader('accept-ranges').removeHeader('cache-control');
    return false;
  }
  reply.code(range ? 206 : 200).header('content-length', end - start + 1);
  if (range) reply.header('content-range', `bytes ${start}-${end}/${state.size}`);
  if (req.method === 'HEAD') {
    await fh.close();
    reply.send();
    return true;
  }
  reply.send(fh.createReadStream({ start, end }));
  return true;
}
