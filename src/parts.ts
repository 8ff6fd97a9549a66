// Builds the running parts of the product from a config: store, RD client and scheduler, catalog
// and its writer, sync, resolver, media targets and pipeline, the video service, the asset signer.
// Assembly only: the rules live in the parts, and nothing here imports from api/ (the plugins above
// receive the parts they declare). Tests and benchmarks build the same parts pointed at the fake RD
// and a temp data dir, so nothing in the app is special-cased for them.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openStore, type Store } from './store/index.ts';
import { AccountBrake, RdClient, RdScheduler, type RdClientOptions } from './realdebrid/index.ts';
import { Catalog } from './catalog/catalog.ts';
import { LibrarySync } from './sync/library-sync.ts';
import type { Video } from './library/model.ts';
import { Resolver, BACKGROUND_REUSE_MS } from './play/resolver.ts';
import { MediaPipeline } from './media/pipeline.ts';
import { MediaTargets } from './videos/targets.ts';
import { VideoService } from './videos/open.ts';
import { LibraryWriter } from './catalog/writer.ts';
import { SavedViews } from './catalog/saved-views.ts';
import { ScriptReader } from './media/scripts.ts';
import { HeatThumbs } from './media/heat-thumb.ts';
import { BackgroundProber, type ProbeWork } from './media/prober.ts';
import { assetPathFor } from './secret.ts';

export interface Parts {
  config: Config;
  logger: Logger;
  store: Store;
  scheduler: RdScheduler;
  /** Fair-use / ban brake and daily cap on background unrestricts: background planners ask it first. */
  brake: AccountBrake;
  rd: RdClient | null;
  catalog: Catalog;
  sync: LibrarySync;
  resolver: Resolver;
  media: MediaPipeline;
  /** The one writer of the library: every change to the store and the catalog goes through it. */
  writer: LibraryWriter;
  /** Saved views (issue 17): their owner, and the sections every player lists. */
  views: SavedViews;
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
  /** The one way to open a video (HereSphere, DeoVR, browser). */
  videos: VideoService;
  /** Media targets of videos (what /thumb, /preview and the pipeline work on). */
  targets: MediaTargets;
  /** Probes every video file (every part) in the background, newest first. */
  prober: BackgroundProber<Video>;
  close(): Promise<void>;
}

/** RD refuses beyond ~22 calls per 10 s (DMM's addMagnet pacing): stay under it whatever the minute allows. */
const RD_CALLS_PER_10S = 20;
/**
 * Background unrestricts never come in bursts (fast bulk unrestricts precede fair-use errors,
 * rdt-client #433): at most a quarter of the per-minute setting in any 10 s (5 with the default 20),
 * never fewer than 3.
 */
const backgroundUnrestrictsPer10s = (perMinute: number): number => Math.max(3, Math.ceil(perMinute / 4));
const META_BRAKE = 'rd.brake';

export interface PartsOptions {
  logger: Logger;
  now?: () => number;
  /** RD resend policy (attempts, backoff base); tests shorten the backoff, the product keeps the defaults. */
  rdRetry?: RdClientOptions['retry'];
  /** Pauses before re-running a media job whose source failed for a moment; tests shorten them, the product keeps [1 s, 5 s]. */
  mediaBackoffMs?: readonly number[];
}

export function createParts(config: Config, opts: PartsOptions): Parts {
  const now = opts.now ?? Date.now;
  const logger = opts.logger;
  const store = openStore(config.dataDir);
  const brake = new AccountBrake({
    dailyCap: config.rdBackgroundUnrestrictsPerDay,
    now,
    // kept in the data dir: a restart neither lifts a brake nor resets the day's count
    persist: { load: () => store.meta.get(META_BRAKE), save: (doc) => store.meta.set(META_BRAKE, doc) },
  });
  const scheduler = new RdScheduler({
    callsPerMinute: config.rdCallsPerMinute,
    backgroundUnrestrictsPerMinute: config.rdBackgroundUnrestrictsPerMinute,
    callsPer10s: RD_CALLS_PER_10S,
    backgroundUnrestrictsPer10s: backgroundUnrestrictsPer10s(config.rdBackgroundUnrestrictsPerMinute),
    brake,
    now,
  });
  const rd = config.rdToken
    ? new RdClient({ baseUrl: config.rdApiUrl, token: config.rdToken, scheduler, logger: logger.child({ part: 'rd' }), ...(opts.rdRetry ? { retry: opts.rdRetry } : {}) })
    : null;
  const catalog = new Catalog(store, now);
  catalog.loadAll();
  const writer = new LibraryWriter(store, catalog, now);
  const sync = new LibrarySync({ rd, store, catalog, writer, logger: logger.child({ part: 'sync' }), ttlMs: config.libraryTtlMs, backfillPerMinute: config.infoBackfillPerMinute, rdIdle: () => scheduler.idle(), now });
  const resolver = new Resolver({ rd, store, catalog, writer, sync, logger: logger.child({ part: 'play' }), now, brake });

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
    resolveSource: (target, { refresh, priority }) => targets.download(target, refresh, priority),
    current: (target) => targets.current(target),
    // The catalog holds every probe already: the pipeline reads them there instead of keeping a copy.
    probeOf: (key) => catalog.probeOf(key),
    ...(opts.mediaBackoffMs ? { transientBackoffMs: opts.mediaBackoffMs } : {}),
    // Probes made here are written through the writer (facts above); ones found stored by another process land here.
    onProbe: (target, probe) => {
      writer.adoptProbe(target, probe);
    },
  });

  const scripts = new ScriptReader({
    resolve: async (video, file) => (await resolver.resolve(video.id, file.fileId, { priority: 'background', reuseMs: BACKGROUND_REUSE_MS })).download,
    onFacts: (key, facts) => {
      writer.putScript(key, facts);
    },
    // Without a token nothing can be fetched: no sweep queues work that can only fail.
    list: () => (rd ? catalog.list() : []),
    version: () => catalog.version, // file lists arrive without changing the list
    logger: logger.child({ part: 'scripts' }),
    now,
  });

  const videoService = new VideoService({ catalog, sync, resolver, media, targets, scripts, hasRd: rd !== null, logger: logger.child({ part: 'open' }), now });

  // Every playable video file of the library, newest torrent first: what the prober walks. A
  // torrent whose file list is unknown is loaded first (background priority), then its files.
  // The walk starts over when torrents or file lists changed (not on every probe).
  const probeWork = (v: Video): ProbeWork[] =>
    v.filesKnown || v.videos.length > 0
      ? v.videos.filter((f) => f.playable).map((f) => targets.ofFile(v, f))
      : [{ key: v.hash, loadFiles: () => targets.load(v) }];
  const prober = new BackgroundProber<Video>({
    sources: () => catalog.list(), // newest first already
    listKey: () => `${catalog.listVersion} ${catalog.filesUnknownCount()}`,
    work: probeWork,
    countable: () => catalog.isBuilt(),
    version: () => catalog.version,
    peek: (t) => media.peek('probe', t),
    ensure: (t, priority) => media.ensure('probe', t, priority),
    // One more than the background's ffmpeg slots: a job fetches its link while another probes
    // (the durations bench: 16 files a minute one at a time, under the budget of 20). The media
    // queue keeps one slot free of background work for what people look at.
    slots: Math.max(2, config.mediaConcurrency),
    // The account brake and daily cap hold the prober too (its jobs unrestrict in the background).
    backgroundWaitMs: () => brake.waitMs(now()),
  });

  return {
    config,
    logger,
    store,
    scheduler,
    brake,
    rd,
    catalog,
    sync,
    resolver,
    media,
    writer,
    views: new SavedViews(store, catalog, now),
    scripts,
    heatThumbs: new HeatThumbs({ dir: join(config.dataDir, 'heat-thumbs'), ffmpegPath: config.ffmpegPath, logger: logger.child({ part: 'heat-thumbs' }) }),
    now,
    assetPath: assetPathFor(config),
    videos: videoService,
    targets,
    prober,
    async close() {
      prober.close();
      sync.close();
      scripts.close();
      scheduler.close();
      await media.close();
      store.close();
    },
  };
}
