// GET|HEAD /thumb/heat/<video>.jpg (issue 17): the thumbnail with the funscript heatmap drawn along
// its bottom edge, what HereSphere and DeoVR are given when THUMB_HEATMAP is on. Under /thumb/ so
// it is an asset like the plain one (signed when login is on). Until the composite exists (no
// script read yet, thumbnail still being made, ffmpeg busy) it redirects to the plain thumbnail,
// uncached, so the player asks again next time and the plain thumbnail stays the fallback.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { createReadStream } from 'node:fs';
import type { Parts } from '../parts.ts';
import { paths } from './urls.ts';
import { sendError } from './errors.ts';

const Params = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) });

export default async function heatThumbRoutes(app: FastifyInstance, opts: { parts: Pick<Parts, 'assetPath' | 'catalog' | 'heatThumbs' | 'media' | 'targets'> }): Promise<void> {
  const { parts } = opts;
  const thumbs = parts.heatThumbs;

  app.route<{ Params: { id: string } }>({
    method: ['GET', 'HEAD'],
    url: '/thumb/heat/:id.jpg',
    schema: { params: Params },
    handler: async (req, reply) => {
      const video = parts.catalog.get(req.params.id);
      if (!video) return sendError(reply, 404, 'Unknown video.');
      const target = parts.targets.of(video);
      const plain = target ? parts.media.request('thumb', target, 'now') : null;
      const made = plain?.state === 'ready' && video.script?.ok ? thumbs.get(video.id, video.script.heat, plain.file, plain.etag) : null;
      if (!made) return reply.code(307).header('cache-control', 'no-cache').header('location', parts.assetPath(paths.thumb(video.id))).send();
      reply.header('content-type', 'image/jpeg').header('cache-control', 'private, max-age=604800').header('etag', made.etag);
      if (req.headers['if-none-match'] === made.etag) return reply.code(304).send();
      reply.header('content-length', made.size);
      return reply.send(req.method === 'HEAD' ? undefined : createReadStream(made.file));
    },
  });
}
