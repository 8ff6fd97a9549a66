// What the media pipeline works on for a video: its main file as a media target that carries what
// the model decided (video id, file id, stereo layout: the library refines it by the probed frame
// size), so /thumb, /preview and the pipeline never go back from a file to its video to decide
// again; after a probe the pipeline asks current() for the model's new decision. Also fetches a file list the
// media routes need (background priority, once per torrent at a time, a minute's pause after a
// failure) and gives the pipeline its download URLs through the resolver.
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/catalog.ts';
import type { Video, VideoFile } from '../library/model.ts';
import { mediaFile } from '../library/video.ts';
import type { MediaLookup, MediaPriority, MediaTarget } from '../media/pipeline.ts';
import type { RdPriority } from '../realdebrid/index.ts';
import { BACKGROUND_REUSE_MS, type Resolver } from '../play/resolver.ts';

/**
 * How RD is asked for a media job's link: a person waiting (hover preview, opened video) spends the
 * interactive lane; what is on screen goes before background work and outside its caps, but leaves
 * the scheduler's headroom to people; background work keeps its own caps.
 */
export const MEDIA_RD_PRIORITY: Readonly<Record<MediaPriority, RdPriority>> = { wait: 'interactive', now: 'foreground', background: 'background' };

/** After a failed file-list fetch for media, wait this long before asking RD again. */
const FILE_LIST_RETRY_MS = 60_000;

export class MediaTargets {
  private readonly loads = new Map<string, Promise<MediaTarget | null>>();
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly deps: { catalog: Catalog; resolver: Resolver; logger: Logger; now: () => number }) {}

  /** The target as the library decides it now (a probe may have refined the stereo layout); the same when the video left. */
  current(target: MediaTarget): MediaTarget {
    const video = this.deps.catalog.get(target.videoId);
    return (video && this.of(video)) ?? target;
  }

  /** The media target (main video file) of a video, or null when it has nothing to show (yet). */
  of(video: Video): MediaTarget | null {
    const f = mediaFile(video);
    return f ? this.ofFile(video, f) : null;
  }

  /** The media target of one video file (every part is probed in the background). */
  ofFile(video: Video, f: VideoFile): MediaTarget {
    return {
      videoId: video.id,
      fileId: f.fileId,
      hash: video.hash,
      path: f.path,
      bytes: f.bytes,
      stereo: video.projection.stereo,
      durationMs: f.probe?.durationMs ?? 0,
    };
  }

  /**
   * The media target of a video, first fetching its file list when it is not known yet, at the
   * class of the media job that needs it (a hover is a person waiting: interactive, not behind the
   * file-list backfill in the background lane, where the hover bench waited over 2 minutes); null
   * when it has no video file or the list could not be fetched (logged).
   */
  load(video: Video, job: MediaPriority = 'background'): Promise<MediaTarget | null> {
    const known = this.of(video);
    if (known || video.filesKnown) return Promise.resolve(known);
    const failedAt = this.failedAt.get(video.hash);
    if (failedAt !== undefined && this.deps.now() - failedAt < FILE_LIST_RETRY_MS) return Promise.resolve(null);
    // One load per torrent and class: a person's does not join a background one (the sync's info
    // flights make sure RD is still asked once when classes allow it).
    const key = `${video.hash} ${job}`;
    let load = this.loads.get(key);
    if (!load) {
      load = this.deps.resolver
        .withFiles(video, MEDIA_RD_PRIORITY[job])
        .then((v) => {
          this.failedAt.delete(video.hash);
          return this.of(v);
        })
        .catch((err: unknown) => {
          this.failedAt.set(video.hash, this.deps.now());
          this.deps.logger.warn({ video: video.id, err: err instanceof Error ? err.message : String(err) }, 'could not fetch the file list for media');
          return null;
        })
        .finally(() => this.loads.delete(key));
      this.loads.set(key, load);
    }
    return load;
  }

  /** For /thumb and /preview: the target, a file list being fetched (at the job's class), no video file, or (null) an unknown video. */
  lookup(video: Video | null, job: MediaPriority = 'background'): MediaLookup {
    if (!video) return null;
    const target = this.of(video);
    if (target) return target;
    if (video.filesKnown) return { none: 'This torrent has no video file.' };
    return { loading: this.load(video, job) };
  }

  /**
   * The pipeline's source: a download URL for the target's file (long reuse: one link serves the
   * file's probe, thumbnail and preview). The job's class decides how RD is asked (MEDIA_RD_PRIORITY).
   */
  async download(target: MediaTarget, refresh: boolean | 'unreachable', job: MediaPriority = 'background'): Promise<string> {
    const r = await this.deps.resolver.resolve(target.videoId, target.fileId, { priority: MEDIA_RD_PRIORITY[job], reuseMs: BACKGROUND_REUSE_MS, refresh });
    return r.download;
  }
}
