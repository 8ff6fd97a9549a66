// DeoVR's JSON (heresphere-protocol.md §5): the selection-scene library at /deovr (what DeoVR
// asks for when the user types only the address) and one JSON object per video. DeoVR logs in by
// re-POSTing the same URL with form fields `login`/`password` (§5.4); the auth plugin reads them
// into `req.access`, so this plugin parses that form body and answers in DeoVR's vocabulary.
// The library is served from the in-memory catalog, cached per library version; a video object
// lists /play URLs and never unrestricts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Parts } from '../../parts.ts';
import type { Video } from '../../library/model.ts';
import { baseUrl } from '../urls.ts';
import { sendError } from '../errors.ts';
import { VideoIdParams } from '../schemas.ts';
import { NO_TOKEN_MESSAGE } from '../../videos/open.ts';
import { GzipJsonLists, JsonResponseCache, PerBaseUrl, sendCachedJson } from '../cached-json.ts';
import { buildLibraryBody, formatVideo, messageLibrary, unauthorizedVideo, type DeoUrls } from './format.ts';

/** Login forms are two short fields; anything bigger is not DeoVR. */
const FORM_LIMIT = 8 * 1024;

/** What a request without full access sees instead of the library (§5.4: "-1" makes DeoVR say "Invalid login"). */
const ACCESS_MESSAGES: Record<'0' | '-1', string> = { '0': 'Login required', '-1': 'Login failed' };

/** The parts this plugin uses. */
export type DeoVrParts = Pick<Parts, 'config' | 'rd' | 'catalog' | 'videos' | 'views' | 'scripts' | 'assetPath' | 'now'>;

export default async function deovrRoutes(app: FastifyInstance, opts: { parts: DeoVrParts }): Promise<void> {
  const { parts } = opts;
  const { catalog, config } = parts;
  const cache = new JsonResponseCache(8);
  const scenesByBase = new PerBaseUrl(() => new GzipJsonLists<Video>());

  // DeoVR's login re-request is form-encoded; other bodies (JSON, empty, anything else) carry
  // nothing DeoVR needs, so they never fail a request: a POST answers like a GET. (Encapsulated:
  // the rest of the app keeps Fastify's own parsers.)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
    const text = String(body).trim();
    if (text.startsWith('{')) {
      try {
        return done(null, JSON.parse(text));
      } catch {
        // not JSON after all: ignored like any other body
      }
    }
    done(null, null);
  });

  const urls = (base: string): DeoUrls => ({ asset: (path) => base + parts.assetPath(path), heatThumbs: config.thumbHeatmap });
  const denied = (req: FastifyRequest): '0' | '-1' | null => (req.access === 1 ? null : req.access === -1 ? '-1' : '0');

  const library = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'HEAD') return reply.type('application/json; charset=utf-8').send();
    const deny = denied(req);
    if (deny) return reply.header('cache-control', 'no-store').send(messageLibrary(ACCESS_MESSAGES[deny], deny));
    if (!parts.rd) return reply.send(messageLibrary(NO_TOKEN_MESSAGE));
    await parts.videos.freshLibrary('deovr');
    const base = baseUrl(req, config.publicUrl);
    // Keyed by the hour too: "Recently added" and "This month" move with the clock (as in HereSphere's index).
    const hour = Math.floor(parts.now() / 3600_000);
    // One scene per section, saved views included (issue 17): the key follows the saved views.
    const stamp = parts.views.sectionsVersion();
    const cached = cache.getBody(`library ${base} ${hour} ${stamp.key}`, catalog.version, () => {
      const sections = parts.views.allSections(parts.now());
      if (sections.length === 0) return Buffer.from(JSON.stringify(messageLibrary(parts.videos.emptyLibraryMessage())));
      return buildLibraryBody(scenesByBase.get(base), sections, (id) => catalog.get(id), urls(base));
    });
    parts.scripts.sweep(); // funscripts not read yet (issue 17): heatmap thumbnails follow
    return sendCachedJson(req, reply, cached);
  };
  // `/deovr/` too: the app ignores a trailing slash on every route (app.ts).
  app.route({ method: ['GET', 'HEAD', 'POST'], url: '/deovr', bodyLimit: FORM_LIMIT, handler: library });

  const video = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const deny = denied(req);
    if (deny) return reply.header('cache-control', 'no-store').send(unauthorizedVideo(deny));
    const v = await parts.videos.openVideo(req.params.id, { forPlayback: true });
    if (!v) return sendError(reply, 404, parts.videos.unknownMessage(req.params.id));
    return reply.header('cache-control', 'no-store').send(formatVideo(v, urls(baseUrl(req, config.publicUrl))));
  };
  app.route<{ Params: { id: string } }>({
    method: ['GET', 'POST'],
    url: '/deovr/:id',
    schema: { params: VideoIdParams },
    bodyLimit: FORM_LIMIT,
    handler: video,
  });
}
