// HereSphere's JSON web API (heresphere-protocol.md §1-4): library index, scan data, per-video
// objects with write-back, playback events and stored HSP files. Index and scan are served from
// the in-memory catalog and cached per library version; a video object never unrestricts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Parts } from '../../parts.ts';
import { userTagsFromWrite } from '../../library/tags.ts';
import { baseUrl } from '../urls.ts';
import { sendError } from '../errors.ts';
import { VideoIdParams } from '../schemas.ts';
import { NO_TOKEN_MESSAGE } from '../../videos/open.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { acceptAnyJson } from '../body.ts';
import { GzipJsonArray, JsonResponseCache, PerBaseUrl, sendCachedJson } from '../cached-json.ts';
import { formatIndex, formatScanEntry, formatVideo, messageIndex } from './format.ts';
import type { Video } from '../../library/model.ts';

export const HERESPHERE_VERSION_HEADER = 'HereSphere-JSON-Version';
const MAX_HSP_BYTES = 1024 * 1024;

const TagSchema = Type.Object(
  {
    name: Type.String({ maxLength: 500 }),
    // null: a whole-video tag, as some HereSphere versions send it (library/tags.ts timeSpan).
    start: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    end: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    track: Type.Optional(Type.Integer()),
    rating: Type.Optional(Type.Number()),
  },
  { additionalProperties: true },
);
const VideoBody = Type.Union([
  Type.Null(),
  Type.Object(
    {
      needsMediaSource: Type.Optional(Type.Boolean()),
      isFavorite: Type.Optional(Type.Boolean()),
      rating: Type.Optional(Type.Number({ minimum: 0, maximum: 5, multipleOf: 0.5 })),
      tags: Type.Optional(Type.Array(TagSchema, { maxItems: 1000 })),
      hsp: Type.Optional(Type.String({ maxLength: Math.ceil((MAX_HSP_BYTES * 4) / 3) + 4 })),
      deleteFile: Type.Optional(Type.Boolean()),
      username: Type.Optional(Type.String({ maxLength: 500 })),
      password: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { additionalProperties: true },
  ),
]);
type VideoBodyT = Static<typeof VideoBody>;
const EventBody = Type.Object(
  {
    event: Type.Integer({ minimum: 0, maximum: 3 }),
    time: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
    id: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: true },
);

/** The parts this plugin uses. */
export type HereSphereParts = Pick<Parts, 'config' | 'rd' | 'catalog' | 'store' | 'writer' | 'videos' | 'views' | 'scripts' | 'assetPath' | 'now'>;

export interface HereSphereOptions {
  parts: HereSphereParts;
  /** Serves the browser view for a plain browser GET /heresphere (from the static plugin). */
  sendBrowserView?: (reply: FastifyReply) => FastifyReply;
}

/** Whether a request URL is under HereSphere's API (every answer there carries the version header). */
export function isHerespherePath(url: string): boolean {
  return url === '/heresphere' || url.startsWith('/heresphere/') || url.startsWith('/heresphere?');
}

export function wantsBrowserView(req: FastifyRequest): boolean {
  const ua = req.headers['user-agent'] ?? '';
  const accept = req.headers.accept ?? '';
  return !/HereSphere/i.test(ua) && !req.headers['x-requested-with'] && /text\/html/.test(accept);
}

/** Strict base64 (standard or URL-safe alphabet, whitespace ignored); null when it is not, or decodes to nothing. */
function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return null;
  const bytes = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  return bytes.length > 0 ? bytes : null;
}

export default async function heresphereRoutes(app: FastifyInstance, opts: HereSphereOptions): Promise<void> {
  const { parts } = opts;
  const { catalog, store, writer, config } = parts;
  const cache = new JsonResponseCache();
  const scanByBase = new PerBaseUrl(() => new GzipJsonArray<Video>());

  // HereSphere accepts a JSON body whatever its content type, and an empty body means {}.
  app.removeAllContentTypeParsers();
  acceptAnyJson(app);

  const indexBody = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!parts.rd) return reply.send(messageIndex(NO_TOKEN_MESSAGE));
    await parts.videos.freshLibrary('heresphere');
    const base = baseUrl(req, config.publicUrl);
    // The index shows ids in sections only: it changes with the list and favourites, not with
    // every probe or rating (listVersion), and at least hourly for the date windows.
    const hour = Math.floor(parts.now() / 3600_000);
    // Saved views are sections too (issue 17): the stamp follows them and what they list.
    const stamp = parts.views.sectionsVersion();
    const cached = cache.get(`index ${base} ${hour} ${stamp.key}`, stamp.version, () => {
      const sections = parts.views.allSections(parts.now());
      if (sections.length === 0) return messageIndex(parts.videos.emptyLibraryMessage());
      return formatIndex(sections, base);
    });
    parts.scripts.sweep(); // funscripts not read yet (issue 17): intensity tags and heatmaps follow
    return sendCachedJson(req, reply, cached);
  };

  app.route({
    method: ['GET', 'HEAD'],
    url: '/heresphere',
    handler: async (req, reply) => {
      if (req.method === 'GET' && opts.sendBrowserView && wantsBrowserView(req)) return opts.sendBrowserView(reply);
      if (req.method === 'HEAD') return reply.type('application/json; charset=utf-8').send();
      return indexBody(req, reply);
    },
  });
  app.post('/heresphere', { bodyLimit: 64 * 1024 }, indexBody);

  const scan = async (req: FastifyRequest, reply: FastifyReply) => {
    catalog.syncWithStore();
    const base = baseUrl(req, config.publicUrl);
    // Each video's entry is formatted once and re-used until that video changes.
    const chunks = scanByBase.get(base);
    const cached = cache.getBody(`scan ${base}`, catalog.version, () => chunks.build('{"scanData":', catalog.list(), '}', (v) => formatScanEntry(v, base)));
    return sendCachedJson(req, reply, cached);
  };
  app.post('/heresphere/scan', { bodyLimit: 64 * 1024 }, scan);
  app.get('/heresphere/scan', scan);

  const videoHandler = async (req: FastifyRequest<{ Params: { id: string }; Body: VideoBodyT }>, reply: FastifyReply) => {
    let video = parts.videos.find(req.params.id);
    if (!video) return sendError(reply, 404, parts.videos.unknownMessage(req.params.id));
    const body = req.body ?? {};
    const hash = video.hash;
    // Everything is checked before anything is stored: a refused request changes nothing.
    let hsp: Buffer | null = null;
    if (typeof body.hsp === 'string') {
      hsp = decodeBase64(body.hsp);
      if (!hsp) return sendError(reply, 400, 'hsp must be base64 data.');
    }
    const tags = Array.isArray(body.tags) ? userTagsFromWrite(body.tags) : null;
    const wrote = typeof body.isFavorite === 'boolean' || typeof body.rating === 'number' || tags !== null || hsp !== null;
    if (wrote) {
      video =
        writer.userData(hash, {
          ...(typeof body.isFavorite === 'boolean' ? { favorite: body.isFavorite } : {}),
          ...(typeof body.rating === 'number' ? { rating: body.rating } : {}),
          ...(tags ? { tags } : {}),
          ...(hsp ? { hsp } : {}),
        }) ?? video;
    }
    if (body.deleteFile === true && config.allowDelete && parts.rd) {
      const summary = catalog.summaryOf(video);
      if (summary) {
        try {
          await parts.rd.deleteTorrent(summary.id);
        } catch (err) {
          req.log.warn({ video: video.id, err: err instanceof Error ? err.message : String(err) }, 'Real-Debrid refused to delete the torrent');
          return sendError(reply, 502, 'Real-Debrid did not delete the torrent; nothing was changed. Try again later.');
        }
        writer.removeTorrent(summary.id);
        req.log.info({ video: video.id }, 'torrent deleted from Real-Debrid at the player’s request');
        return reply.send({});
      }
    }
    // Media is listed whenever it is known; RD is asked for the file list (and a probe queued) only
    // when the player is about to play: needsMediaSource true, or absent on a plain read. A
    // write-back that omits it (a favourite toggled) never costs an RD call.
    const needsMediaSource = body.needsMediaSource !== false;
    const aboutToPlay = body.needsMediaSource === true || (body.needsMediaSource === undefined && !wrote);
    // HereSphere keeps the projection it is first told: a video object is never answered from the
    // torrent name alone when the file list can be had (one interactive call, stored for good).
    const guessOnly = !wrote && !video.filesKnown;
    if (aboutToPlay) video = await parts.videos.prepare(video, { forPlayback: true });
    else if (guessOnly) video = await parts.videos.prepare(video, { forPlayback: false, probe: false });
    const base = baseUrl(req, config.publicUrl);
    return reply.send(formatVideo(video, { base, asset: (path) => base + parts.assetPath(path), heatThumbs: config.thumbHeatmap }, { needsMediaSource }));
  };
  const videoRoute = { schema: { params: VideoIdParams, body: VideoBody }, bodyLimit: 2 * 1024 * 1024 };
  app.post('/heresphere/:id', videoRoute, videoHandler);
  app.get('/heresphere/:id', { schema: { params: VideoIdParams } }, videoHandler);

  // Route types come from the schemas from here on.
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.post(
    '/heresphere/:id/event',
    { schema: { params: VideoIdParams, body: EventBody }, bodyLimit: 64 * 1024 },
    async (req, reply) => {
      const video = parts.videos.find(req.params.id);
      if (!video) return sendError(reply, 404, parts.videos.unknownMessage(req.params.id));
      writer.playback(video, req.ip, req.body.event, req.body.time ?? 0);
      return reply.code(200).type('text/plain').send('');
    },
  );

  typed.get('/hsp/:id', { schema: { params: VideoIdParams } }, async (req, reply) => {
    const video = parts.videos.find(req.params.id);
    const bytes = video ? store.user.getHsp(video.hash) : null;
    if (!bytes) return sendError(reply, 404, 'No HSP stored for this video.');
    return reply.type('application/octet-stream').header('cache-control', 'no-store').send(bytes);
  });

}
