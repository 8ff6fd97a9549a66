// Builds the running parts of the product from a config: store, RD client and scheduler,
// catalog, sync, resolver, media pipeline. Tests and benchmarks build the same parts pointed at
// the fake RD and a temp data dir, so nothing in the app is special-cased for them.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openStore, type Store } from './store/index.ts';
import { RdClient, RdScheduler } from './realdebrid/index.ts';
import { Catalog } from './catalog/catalog.ts';
import { SavedViews } from './catalog/saved-views.ts';
import { LibrarySync } from './sync/library-sync.ts';
import { Resolver, BACKGROUND_REUSE_MS } from './play/resolver.ts';
import { MediaPipeline, type MediaLookup, type MediaTarget } from './media/pipeline.ts';
import { PlaybackEvents } from './api/heresphere/events.ts';
import { ScriptReader } from './media/scripts.ts';
import { HeatThumbs } from './media/heat-thumb.ts';
import { PlayError } from './play/errors.ts';
import type { Video } from './library/model.ts';
import { assetPathFor } from './api/auth/secret.ts';

export interface Parts {
  config: Config;
  logger: Logger;
  store: Store;
  scheduler: RdScheduler;
  rd: RdClient | null;
  catalog: Catalog;
  /** Saved views (issue 17): their owner, and the sections every player lists. */
  views: SavedViews;
  sync: LibrarySync;
  resolver: Resolver;
  media: MediaPipeline;
  events: PlaybackEvents;
  /** Reads funscripts once each (issue 17); sweep() after the library changed, request() when a video is opened. */
  scripts: ScriptReader;
  /** Thumbnails with the heatmap drawn in (THUMB_HEATMAP, issue 17). */
  heatThumbs: HeatThumbs;
  now: () => number;
  /**
   * Turns an asset path (/thumb, /preview, /play, /hsp) into the path players fetch: signed with a
   * query token when auth is on (players fetch assets without headers), unchanged otherwise.
   */
  assetPath: (path: string) => string;
  /** The media target (main video file) of a video, or null when it has nothing to show (yet). */
  mediaTarget(video: Video): MediaTarget | null;
  /**
   * The media target of a video, first fetching its file list (background priority) when it is not
   * known yet; null when it has no video file or the list could not be fetched (logged).
   */
  loadMediaTarget(video: Video): Promise<MediaTarget | null>;
  /** For /thumb and /preview: the target, a file list being fetched, no video file, or an unknown id. */
  mediaLookup(videoId: string): MediaLookup;
  /** A player just opened this video: queue a probe now if its duration is still unknown. */
  probeWhenOpened(video: Video): void;
  close(): Promise<void>;
}

export interface PartsOptions {
  logger: Logger;
  now?: () => number;
  fetch?: typeof fetch;
}

export function createParts(config: Config, opts: PartsOptions): Parts {
  const now = opts.now ?? Date.now;
  const logger = opts.logger;
  const store = openStore(config.dataDir);
  const scheduler = new RdScheduler({
    callsPerMinute: config.rdCallsPerMinute,
    backgroundUnrestrictsPerMinute: config.rdBackgroundUnrestrictsPerMinute,
    now,
  });
  const rd = config.rdToken
    ? new RdClient({ baseUrl: config.rdApiUrl, token: config.rdToken, scheduler, logger: logger.child({ part: 'rd' }), ...(opts.fetch ? { fetch: opts.fetch } : {}) })
    : null;
  const catalog = new Catalog(store, now);
  catalog.loadAll();
  const sync = new LibrarySync({ rd, store, catalog, logger: logger.child({ part: 'sync' }), ttlMs: config.libraryTtlMs, backfillPerMinute: config.infoBackfillPerMinute, now });
  const resolver = new Resolver({ rd, store, catalog, sync, logger: logger.child({ part: 'play' }), now });

  const mediaTarget = (video: Video): MediaTarget | null => {
    const f = video.videos.find((x) => x.playable) ?? video.videos[0];
    if (!f) return null;
    return { hash: video.hash, path: f.path, bytes: f.bytes, stereo: video.projection.stereo, projection: video.projection, durationMs: f.probe?.durationMs ?? 0 };
  };

  // File lists fetched for media (one fetch per torrent at a time; after a failure, wait a minute).
  const FILE_LIST_RETRY_MS = 60_000;
  const fileLoads = new Map<string, Promise<MediaTarget | null>>();
  const fileLoadFailedAt = new Map<string, number>();
  const loadMediaTarget = (video: Video): Promise<MediaTarget | null> => {
    const known = mediaTarget(video);
    if (known || video.filesKnown) return Promise.resolve(known);
    const failedAt = fileLoadFailedAt.get(video.hash);
    if (failedAt !== undefined && now() - failedAt < FILE_LIST_RETRY_MS) return Promise.resolve(null);
    let load = fileLoads.get(video.hash);
    if (!load) {
      load = resolver
        .withFiles(video, 'background')
        .then((v) => {
          fileLoadFailedAt.delete(video.hash);
          return mediaTarget(v);
        })
        .catch((err: unknown) => {
          fileLoadFailedAt.set(video.hash, now());
          logger.warn({ video: video.id, err: err instanceof Error ? err.message : String(err) }, 'could not fetch the file list for media');
          return null;
        })
        .finally(() => fileLoads.delete(video.hash));
      fileLoads.set(video.hash, load);
    }
    return load;
  };

  const media = new MediaPipeline({
    ffmpegPath: config.ffmpegPath,
    ffprobePath: config.ffprobePath,
    cacheDir: join(config.dataDir, 'media'),
    cacheMaxBytes: config.mediaCacheBytes,
    concurrency: config.mediaConcurrency,
    now,
    logger: logger.child({ part: 'media' }),
    facts: store.media,
    resolveSource: async (target, { refresh }) => {
      const video = catalog.getByHash(target.hash);
      if (!video) throw new PlayError('not-found', 'video left the library');
      const withFiles = await resolver.withFiles(video, 'background');
      const file = withFiles.videos.find((f) => f.path === target.path && f.bytes === target.bytes) ?? withFiles.videos.find((f) => f.playable);
      if (!file) throw new PlayError('missing-link', 'no playable file');
      const r = await resolver.resolve(video.id, file.fileId, { priority: 'background', reuseMs: BACKGROUND_REUSE_MS, refresh });
      return r.download;
    },
    // The catalog holds every probe already: the pipeline reads them there instead of keeping a copy.
    probeOf: (key) => catalog.probeOf(key),
    onProbe: (target, probe) => {
      catalog.setProbe(target, probe);
    },
  });
  const events = new PlaybackEvents(store, now);
  const scripts = new ScriptReader({
    resolve: async (video, file) => (await resolver.resolve(video.id, file.fileId, { priority: 'background', reuseMs: BACKGROUND_REUSE_MS })).download,
    onFacts: (key, facts) => {
      store.scripts.put(key, facts, now());
      catalog.setScript(key, facts);
    },
    // Without a token nothing can be fetched: no sweep queues work that can only fail.
    list: () => (rd ? catalog.list() : []),
    version: () => catalog.version, // file lists arrive without changing the list
    logger: logger.child({ part: 'scripts' }),
    now,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  return {
    config,
    logger,
    store,
    scheduler,
    rd,
    catalog,
    views: new SavedViews(store, catalog, now),
    sync,
    resolver,
    media,
    events,
    scripts,
    heatThumbs: new HeatThumbs({ dir: join(config.dataDir, 'heat-thumbs'), ffmpegPath: config.ffmpegPath, logger: logger.child({ part: 'heat-thumbs' }) }),
    now,
    assetPath: assetPathFor(config),
    mediaTarget,
    loadMediaTarget,
    mediaLookup(videoId) {
      const video = catalog.get(videoId);
      if (!video) return null;
      const target = mediaTarget(video);
      if (target) return target;
      if (video.filesKnown) return { none: 'This torrent has no video file.' };
      return { loading: loadMediaTarget(video) };
    },
    probeWhenOpened(video) {
      const target = mediaTarget(video);
      if (target && target.durationMs === 0) media.requestProbe(target, 'now');
    },
    async close() {
      sync.close();
      scripts.close();
      scheduler.close();
      await media.close();
      store.close();
    },
  };
}
