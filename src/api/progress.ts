// GET /api/changes (issue 13): the videos that changed since an open page's last look, so the
// browser view shows new durations, resolutions, thumbnails and failure reasons without reloading
// the whole library, plus the progress figures of status.ts (the same ones /healthz shows). A token
// names what the page has seen; when the list itself changed (or too much to tell), the answer
// says `reload`.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Parts } from '../parts.ts';
import type { Video } from '../library/model.ts';
import { compactVideo } from './web.ts';
import { changesToken, parseChangesToken } from './changes-token.ts';
import { libraryProgress, type ProgressParts } from './status.ts';

/** More changed videos than this in one answer: the page reloads the library instead. */
const MAX_CHANGED = 2_000;
const ChangesQuery = Type.Object({ since: Type.Optional(Type.String({ maxLength: 64, pattern: '^[0-9.]*$' })) });

export default async function changesRoutes(app: FastifyInstance, opts: { parts: ProgressParts & Pick<Parts, 'catalog' | 'targets' | 'assetPath'> }): Promise<void> {
  const { parts } = opts;
  const { catalog, media } = parts;

  app.get<{ Querystring: Static<typeof ChangesQuery> }>('/api/changes', { schema: { querystring: ChangesQuery } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    catalog.syncWithStore();
    const token = changesToken(catalog, media);
    const progress = libraryProgress(parts);
    const since = parseChangesToken(req.query.since);
    if (!since || since.list !== catalog.listVersion) return { token, reload: true, videos: [], progress };
    const byMedia = media.changedSince(since.media);
    if (byMedia === null) return { token, reload: true, videos: [], progress };
    const changed = new Map<string, Video>();
    for (const v of catalog.changedSince(since.version)) changed.set(v.id, v);
    for (const hash of byMedia) {
      const v = catalog.getByHash(hash);
      if (v) changed.set(v.id, v);
    }
    if (changed.size > MAX_CHANGED) return { token, reload: true, videos: [], progress };
    const thumbReady = (v: Video): boolean => {
      const t = parts.targets.of(v);
      return t !== null && media.isReady('thumb', t);
    };
    return { token, reload: false, videos: [...changed.values()].map((v) => compactVideo(v, thumbReady(v), parts.assetPath)), progress };
  });
}
