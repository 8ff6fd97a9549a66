// JSON for the browser view (src/web): the whole library in one cached, gzipped response
// (sorting and filtering happen in the browser), one video's details, and the user's actions
// (favorite, rating, watched), which write to the same store as HereSphere write-back.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Parts } from '../parts.ts';
import type { Video } from '../library/model.ts';
import { buildTags, resolutionLabel } from '../library/tags.ts';
import { viewItemOf } from '../library/view.ts';
import { intensityOf } from '../library/funscript.ts';
import type { CompactVideo, LibraryResponse, LibraryStatus, MediaStatus, VideoDetail } from '../contract/web-api.ts';
import { paths } from './urls.ts';
import { sendError } from './errors.ts';
import { VideoIdParams } from './schemas.ts';
import { GzipJsonArray, JsonResponseCache, sendCachedJson } from './cached-json.ts';
import { connectUrls } from '../net.ts';
import { changesToken } from './changes-token.ts';
import { projectionDetail } from './projection.ts';
import { EVENT } from '../library/playback.ts';
import { brakeView } from './status.ts';

const ActionBody = Type.Object(
  {
    favorite: Type.Optional(Type.Boolean()),
    rating: Type.Optional(Type.Number({ minimum: 0, maximum: 5, multipleOf: 0.5 })),
    watched: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** The browser's VR viewer reports playback like a player does (library/playback.ts rules). */
const PlaybackBody = Type.Object(
  {
    event: Type.Union([Type.Literal('open'), Type.Literal('play'), Type.Literal('pause'), Type.Literal('close')]),
    timeMs: Type.Number({ minimum: 0, maximum: 1e9 }),
  },
  { additionalProperties: false },
);
const StatusQuery = Type.Object({ ids: Type.String({ maxLength: 200 * 17, pattern: '^[0-9a-f,]*$' }) });

export function compactVideo(v: Video, thumbReady: boolean, asset: (path: string) => string = (p) => p): CompactVideo {
  // What the view rule sorts and filters on comes from the one place the server's saved views read
  // it too; the rest is added to that object. (A spread into a literal that repeated two of its keys
  // took 10 µs a video: half a second for a 50k library.)
  return Object.assign(viewItemOf(v), {
    kind: v.projection.kind, // typed here; the view rule reads it as a string
    stereo: v.projection.stereo,
    width: v.width,
    height: v.height,
    projectionLabel: v.projection.label,
    // The one label rule (library/tags.ts), as in HereSphere's "Feature:Resolution" tag.
    resolution: resolutionLabel(v.width, v.height, v.projection.kind === 'flat') ?? '',
    playCount: v.user.playCount,
    thumbUrl: asset(paths.thumb(v.id)),
    previewUrl: asset(paths.preview(v.id)),
    thumbReady,
    files: v.videos.length,
    playable: v.playable,
    // The funscript heatmap (issue 17): 100 characters, only for videos whose script was read.
    heat: v.script?.ok ? v.script.heat : null,
  });
}

/** The parts this plugin uses. */
export type WebApiParts = Pick<Parts, 'config' | 'rd' | 'scheduler' | 'catalog' | 'sync' | 'writer' | 'videos' | 'targets' | 'media' | 'assetPath' | 'brake' | 'now' | 'scripts'>;

export default async function webApiRoutes(plain: FastifyInstance, opts: { parts: WebApiParts; httpsPort?: number | null }): Promise<void> {
  // Route types come from the schemas (req.params, req.body, req.query).
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { parts } = opts;
  const { catalog, sync, config } = parts;
  const cache = new JsonResponseCache(4);
  const videoChunks = new GzipJsonArray<Video>();

  const thumbReady = (v: Video): boolean => {
    const t = parts.targets.of(v);
    return t !== null && parts.media.isReady('thumb', t);
  };

  /** Why no thumbnail can be made for this video (generation failed, ffmpeg missing), else null. */
  const thumbProblem = (v: Video): string | null => {
    const t = parts.targets.of(v);
    const s = t && parts.media.peek('thumb', t);
    return s && (s.state === 'failed' || s.state === 'unavailable') ? s.reason : null;
  };

  const status = (): LibraryStatus => {
    const s = sync.status();
    const budget = parts.scheduler.snapshot();
    const cooldownSeconds = Math.ceil(parts.scheduler.cooldownRemainingMs() / 1000);
    return {
      token: !parts.rd ? 'missing' : s.problem === 'token-rejected' || budget.tokenRejected ? 'rejected' : 'ok',
      rd: s.problem === 'throttled' || cooldownSeconds > 0 ? 'throttled' : s.problem === 'unreachable' ? 'unreachable' : s.lastSyncAt ? 'ok' : 'unknown',
      message: s.message,
      lastSyncAt: s.lastSyncAt,
      syncing: s.syncing,
      syncProgress: s.progress,
      cooldownSeconds,
      backgroundUnrestricts: brakeView(parts),
    };
  };

  app.get('/api/library', async (req, reply) => {
    await parts.videos.freshLibrary('browser');
    const st = status();
    const https = opts.httpsPort ? { port: opts.httpsPort } : null;
    const listen = { publicUrl: config.publicUrl, host: config.host, port: config.port, https };
    // The media version matters too: a newly generated thumbnail flips thumbReady.
    const version = catalog.version * 1_000_003 + parts.media.version();
    const players = parts.videos.playersSeen();
    const key = `library ${st.token} ${st.rd} ${st.syncing} ${st.lastSyncAt} ${st.backgroundUnrestricts.paused} ${players.heresphere} ${players.deovr}`;
    const cached = cache.getBody(key, version, () => {
      const head = JSON.stringify({
        status: st,
        connect: {
          heresphere: connectUrls('/heresphere', listen),
          // Signed when login is on: DeoVR opens the library from the address alone (see auth/credentials.ts).
          deovr: connectUrls(parts.assetPath('/deovr'), listen),
        },
        players,
        auth: config.authToken !== null,
        total: catalog.size,
        // What this answer shows: an open page asks /api/changes for what came after it.
        changes: changesToken(catalog, parts.media),
      } satisfies Omit<LibraryResponse, 'videos'>);
      // Compressed in chunks: a new thumbnail or rating re-makes one chunk, not the whole library.
      return videoChunks.build(`${head.slice(0, -1)},"videos":`, catalog.list(), '}', (v, ready) => compactVideo(v, ready ?? thumbReady(v), parts.assetPath), thumbReady);
    });
    parts.scripts.sweep(); // funscripts not read yet (issue 17), in the background
    return sendCachedJson(req, reply, cached);
  });

  app.get('/api/videos/:id', { schema: { params: VideoIdParams } }, async (req, reply) => {
    // On failure the video as known: the files list says why it is incomplete.
    const v = await parts.videos.openVideo(req.params.id, { forPlayback: false });
    if (!v) return sendError(reply, 404, parts.videos.unknownMessage(req.params.id));
    const file = (f: Video['videos'][number]) => ({
      fileId: f.fileId,
      name: f.name,
      bytes: f.bytes,
      durationMs: f.probe?.durationMs ?? 0,
      width: f.probe?.width ?? 0,
      height: f.probe?.height ?? 0,
      playUrl: parts.assetPath(paths.play(v.id, f.fileId)),
      playable: f.playable,
      reason: f.unplayableReason,
    });
    return {
      ...compactVideo(v, thumbReady(v), parts.assetPath),
      files: v.videos.map(file),
      subtitles: v.subtitles.map((f) => ({ name: f.name, language: f.language, url: parts.assetPath(paths.play(v.id, f.fileId)) })),
      scripts: v.scripts.map((f) => ({ name: f.name, url: parts.assetPath(paths.play(v.id, f.fileId)), problem: f.script && !f.script.ok ? f.script.reason : null })),
      // The main script's figures (issue 17); null while not read yet or when there is none.
      script: v.script?.ok ? { actions: v.script.actions, lengthMs: v.script.lengthMs, avgSpeed: v.script.avgSpeed, maxSpeed: v.script.maxSpeed, intensity: intensityOf(v.script.avgSpeed) } : null,
      tags: buildTags(v).map((t) => t.name),
      projection: projectionDetail(v),
      resumeMs: v.user.resumeMs,
      unplayableReason: v.unplayableReason,
      thumbProblem: thumbProblem(v),
    } satisfies VideoDetail;
  });

  app.post(
    '/api/videos/:id',
    { schema: { params: VideoIdParams, body: ActionBody }, bodyLimit: 16 * 1024 },
    async (req, reply) => {
      const v = parts.videos.find(req.params.id);
      if (!v) return sendError(reply, 404, parts.videos.unknownMessage(req.params.id));
      const updated = parts.writer.userData(v.hash, req.body) ?? v;
      return compactVideo(updated, thumbReady(updated), parts.assetPath);
    },
  );

  app.post(
    '/api/videos/:id/playback',
    { schema: { params: VideoIdParams, body: PlaybackBody }, bodyLimit: 4 * 1024 },
    async (req, reply) => {
      const v = parts.videos.find(req.params.id);
      if (!v) return sendError(reply, 404, parts.videos.unknownMessage(req.params.id));
      // One session per video and browser address, kept apart from a headset app's by the prefix.
      const updated = parts.writer.playback(v, `browser ${req.ip}`, EVENT[req.body.event], req.body.timeMs) ?? v;
      return compactVideo(updated, thumbReady(updated), parts.assetPath);
    },
  );

  app.get('/api/media-status', { schema: { querystring: StatusQuery } }, async (req) => {
    const ids = req.query.ids.split(',').filter(Boolean).slice(0, 200);
    const out: MediaStatus = {};
    for (const id of ids) {
      const v = catalog.get(id);
      const t = v && parts.targets.of(v);
      if (!t) continue;
      const s = parts.media.peek('thumb', t);
      out[id] = s.state === 'ready' ? { thumb: 'ready' } : s.state === 'failed' || s.state === 'unavailable' ? { thumb: 'failed', reason: s.reason } : { thumb: 'pending' };
    }
    return out;
  });
}
