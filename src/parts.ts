// Builds the running parts of the product from a config: store, RD client and scheduler,
// catalog, sync, resolver, media pipeline. Tests and benchmarks build the same parts pointed at
// the fake RD and a temp data dir, so nothing in the app is special-cased for them.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openStore, type Store } from './store/index.ts';
import { RdClient, RdScheduler } from './realdebrid/index.ts';
import { Catalog } from './catalog/catalog.ts';
import { LibrarySync } from './sync/library-sync.ts';
import { Resolver, BACKGROUND_REUSE_MS } from './play/resolver.ts';
import { MediaPipeline, type MediaTarget } from './media/pipeline.ts';
import { PlaybackEvents } from './api/heresphere/events.ts';
import type { Video } from './library/model.ts';
import { assetPathFor } from './api/auth/secret.ts';

export interface Parts {
  config: Config;
  logger: Logger;
  store: Store;
  scheduler: RdScheduler;
  rd: RdClient | null;
  catalog: Catalog;
  sync: LibrarySync;
  resolver: Resolver;
  media: MediaPipeline;
  events: PlaybackEvents;
  now: () => number;
  /**
   * Turns an asset path (/thumb, /preview, /play, /hsp) into the path players fetch: signed with a
   * query token when auth is on (players fetch assets without headers), unchanged otherwise.
   */
  assetPath: (path: string) => string;
  /** The media target (main video file) of a video, or null when it has nothing to show. */
  mediaTarget(video: Video): MediaTarget | null;
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
    return { hash: video.hash, path: f.path, bytes: f.bytes, stereo: video.projection.stereo, durationMs: f.probe?.durationMs ?? 0 };
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
      if (!video) throw new Error('video left the library');
      const withFiles = await resolver.withFiles(video, 'background');
      const file = withFiles.videos.find((f) => f.path === target.path && f.bytes === target.bytes) ?? withFiles.videos.find((f) => f.playable);
      if (!file) throw new Error('no playable file');
      const r = await resolver.resolve(video.id, file.fileId, { priority: 'background', reuseMs: BACKGROUND_REUSE_MS, refresh });
      return r.download;
    },
    onProbe: (target, probe) => {
      catalog.setProbe(target, probe);
    },
  });
  const events = new PlaybackEvents(store, now);

  return {
    config,
    logger,
    store,
    scheduler,
    rd,
    catalog,
    sync,
    resolver,
    media,
    events,
    now,
    assetPath: assetPathFor(config),
    mediaTarget,
    probeWhenOpened(video) {
      const target = mediaTarget(video);
      if (target && target.durationMs === 0) media.requestProbe(target, 'now');
    },
    async close() {
      sync.close();
      scheduler.close();
      await media.close();
      store.close();
    },
  };
}
