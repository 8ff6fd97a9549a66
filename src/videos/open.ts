// One way to open a video (architecture.md, "one way to open a video"): HereSphere, DeoVR and the
// browser view ask here for a video, with or without what playback needs, so the three agree on
// freshness (other processes' writes are picked up first), on when RD is asked for a file list,
// and on when a probe is queued. Adapters only format what they get. Since every library listing
// comes through here, this is also where the server notes when a headset player last loaded the
// library (the browser folds its "On the headset" panel once one has).
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/catalog.ts';
import type { LibrarySync } from '../sync/library-sync.ts';
import type { Video } from '../library/model.ts';
import type { MediaPipeline } from '../media/pipeline.ts';
import { PlayError } from '../play/errors.ts';
import type { Resolver } from '../play/resolver.ts';
import type { MediaTargets } from './targets.ts';
import type { ScriptReader } from '../media/scripts.ts';

export interface OpenOptions {
  /**
   * true: a player is about to play it, so the file list is fetched and, when RD gave fewer links
   * than files, links are matched by name so every listed source streams its own file. false: the
   * file list only (the browser's details).
   */
  forPlayback: boolean;
  /** false: the file list only, no probe queued (a player reading a video object it will not play now). Default true. */
  probe?: boolean;
}

export interface VideoServiceDeps {
  catalog: Catalog;
  sync: LibrarySync;
  resolver: Resolver;
  media: MediaPipeline;
  targets: MediaTargets;
  /** Funscripts are read once their video is opened (issue 17). */
  scripts?: ScriptReader;
  /** Whether a Real-Debrid token is configured (without one nothing is fetched). */
  hasRd: boolean;
  logger: Logger;
  now: () => number;
}

/** Who asks for the library listing: a headset player, or the browser view. */
export type LibraryViewer = 'heresphere' | 'deovr' | 'browser';
/** When each headset player last loaded the library (ISO time), null when not since this server started. */
export type PlayersSeen = Record<Exclude<LibraryViewer, 'browser'>, string | null>;

/** What players show instead of the library when no token is configured. */
export const NO_TOKEN_MESSAGE = 'Set RD_API_TOKEN to see your Real-Debrid library';

export class VideoService {
  // Memory only: after a restart the panel opens again until a headset loads the library once more.
  private readonly seen: PlayersSeen = { heresphere: null, deovr: null };

  constructor(private readonly deps: VideoServiceDeps) {}

  /**
   * Before a library listing: the very first sync is awaited, a stale library is refreshed in the
   * background (the stored one is answered at once), and other processes' writes are picked up.
   * A player's listing is noted (playersSeen) as soon as it asks.
   */
  async freshLibrary(viewer: LibraryViewer): Promise<void> {
    if (viewer !== 'browser') this.seen[viewer] = new Date(this.deps.now()).toISOString();
    await this.deps.sync.ensureFresh();
    this.deps.catalog.syncWithStore();
  }

  /** When HereSphere and DeoVR last loaded the library from this server (a copy). */
  playersSeen(): PlayersSeen {
    return { ...this.seen };
  }

  /** Why the library has no sections: still loading, nothing downloaded yet, or what went wrong. */
  emptyLibraryMessage(): string {
    const st = this.deps.sync.status();
    return st.message ?? (st.lastSyncAt ? 'Your Real-Debrid library has no downloaded videos yet' : 'Loading your Real-Debrid library…');
  }

  /** The video as the library knows it now (writes by other processes included); null for an unknown id. Never asks RD. */
  find(id: string): Video | null {
    this.deps.catalog.syncWithStore();
    return this.deps.catalog.get(id);
  }

  /** What to tell a player or the browser about an id find() does not know (removed from Real-Debrid, or never known). */
  unknownMessage(id: string): string {
    return this.deps.resolver.unknownMessage(id);
  }

  /** find() then prepare(): null for an unknown id. */
  async openVideo(id: string, opts: OpenOptions): Promise<Video | null> {
    const video = this.find(id);
    return video ? this.prepare(video, opts) : null;
  }

  /**
   * What a viewer about to look at or play the video needs: its file list (one RD call when cold),
   * and a probe queued when its duration is unknown. When RD fails, the video as known is returned
   * (playback reports the precise problem).
   */
  async prepare(video: Video, opts: OpenOptions): Promise<Video> {
    let v = video;
    if (this.deps.hasRd) {
      try {
        v = opts.forPlayback ? await this.deps.resolver.forPlayback(video, 'interactive') : await this.deps.resolver.withFiles(video, 'interactive');
      } catch (err) {
        this.deps.logger.warn({ video: video.id, kind: err instanceof PlayError ? err.kind : 'unknown' }, 'file list unavailable');
      }
    }
    const target = this.deps.targets.of(v);
    if (opts.probe !== false && target && target.durationMs === 0) this.deps.media.requestProbe(target, 'wait'); // a person is waiting
    this.deps.scripts?.request(v);
    return v;
  }
}
