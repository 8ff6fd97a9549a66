// Builds the running parts of the product from a config: store, RD client and scheduler, catalog
// and its writer, sync, resolver, media targets and pipeline, the video service, the asset signer.
// Assembly only: the rules live in the parts, and nothing here imports from api/ (the plugins above
// receive the parts they declare). Tests and benchmarks build the same parts pointed at the fake RD
// and a temp data dir, so nothing in the app is special-cased for them.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openStore, type Store } from './store/index.ts';
import { RdClient, RdScheduler, type RdClientOptions } from './realdebrid/index.ts';
import { Catalog } from './catalog/catalog.ts';
import { LibrarySync } from './sync/library-sync.ts';
import { Resolver } from './play/resolver.ts';
import { MediaPipeline, type MediaTarget } from './media/pipeline.ts';
import { MediaTargets } from './videos/targets.ts';
import { VideoService } from './videos/open.ts';
import { LibraryWriter } from './catalog/writer.ts';
import type { Video } from './library/model.ts';
import { assetPathFor } from './secret.ts';

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
  /** The one writer of the library: every change to the store and the catalog goes through it. */
  writer: LibraryWriter;
  now: () => number;
  /**
   * Turns an asset path (/thumb, /preview, /play, /hsp) into the path players fetch: signed with a
   * query token when auth is on (players fetch assets without headers), unchanged otherwise.
   */
  assetPath: (path: string) => string;
  /** The one way to open a video (HereSphere, DeoVR, browser). */
  videos: VideoService;
  /** Media targets of videos (what /thumb, /preview and the pipeline work on). */
  targets: MediaTargets;
  /** Shorthand for targets.of (tests, scripts). */
  mediaTarget(video: Video): MediaTarget | null;
  close(): Promise<void>;
}

export interface PartsOptions {
  logger: Logger;
  now?: () => number;
  /** RD resend policy (attempts, backoff base); tests shorten the backoff, the product keeps the defaults. */
  rdRetry?: RdClientOptions['retry'];
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
    ? new RdClient({ baseUrl: config.rdApiUrl, token: config.rdToken, scheduler, logger: logger.child({ part: 'rd' }), ...(opts.rdRetry ? { retry: opts.rdRetry } : {}) })
    : null;
  const catalog = new Catalog(store, now);
  catalog.loadAll();
  const writer = new LibraryWriter(store, catalog, now);
  const sync = new LibrarySync({ rd, store, catalog, writer, logger: logger.child({ part: 'sync' }), ttlMs: config.libraryTtlMs, backfillPerMinute: config.infoBackfillPerMinute, now });
  const resolver = new Resolver({ rd, store, catalog, writer, sync, logger: logger.child({ part: 'play' }), now });

  const targets = new MediaTargets({ catalog, resolver, logger: logger.child({ part: 'media' }), now });

  const media = new MediaPipeline({
    ffmpegPath: config.ffmpegPath,
    ffprobePath: config.ffprobePath,
    cacheDir: join(config.dataDir, 'media'),
    cacheMaxBytes: config.mediaCacheBytes,
    concurrency: config.mediaConcurrency,
    now,
    logger: logger.child({ part: 'media' }),
    facts: writer.mediaFacts(),
    resolveSource: (target, { refresh }) => targets.download(target, refresh),
    current: (target) => targets.current(target),
    // The catalog holds every probe already: the pipeline reads them there instead of keeping a copy.
    probeOf: (key) => catalog.probeOf(key),
    // Probes made here are written through the writer (facts above); ones found stored by another process land here.
    onProbe: (target, probe) => {
      writer.adoptProbe(target, probe);
    },
  });

  const videos = new VideoService({ catalog, sync, resolver, media, targets, hasRd: rd !== null, logger: logger.child({ part: 'open' }) });

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
    writer,
    now,
    assetPath: assetPathFor(config),
    videos,
    targets,
    mediaTarget: (video) => targets.of(video),
    async close() {
      sync.close();
      scheduler.close();
      await media.close();
      store.close();
    },
  };
}
