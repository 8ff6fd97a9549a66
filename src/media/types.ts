// The media pipeline's public shapes: what callers ask about (a target), what they get back (a
// state), how the pipeline is configured and what it reports for /healthz.
import type { Logger } from 'pino';
import type { MediaProbe, ProjectionGuess, Stereo } from '../library/model.ts';
import type { MediaFacts, MediaKey } from './facts.ts';

/**
 * path = file path inside the torrent; (hash, path, bytes) is the stable identity. The video and
 * file ids say which file of the library it is, as the model decided (src/videos/targets.ts).
 */
export interface MediaTarget {
  videoId: string;
  /** RD's file id within the torrent. */
  fileId: number;
  hash: string;
  path: string;
  bytes: number;
  /** The stereo layout as the library decided it (used as is when `projection` is absent). */
  stereo: Stereo;
  /**
   * For targets made without the library (tools, tests): the projection guess, which the pipeline
   * refines by the probed frame size with the library's own rule. The product leaves it out and
   * passes `current` instead, so the library decides once.
   */
  projection?: ProjectionGuess;
  durationMs: number /* 0 if unknown */;
}

/**
 * What a media route finds for a video id: a target; a known video whose file list is still being
 * fetched (`loading` settles with the target, or null when there is none); a known video without any
 * video file (`none`: why, as a sentence); or null for an id that is not in the library.
 */
export type MediaLookup = MediaTarget | { loading: Promise<MediaTarget | null> } | { none: string } | null;
export type MediaKind = 'probe' | 'thumb' | 'preview';
export type MediaState =
  | { state: 'ready'; file: string; etag: string; size: number }
  | { state: 'pending' }
  | { state: 'failed'; reason: string; retryAt: number }
  | { state: 'unavailable'; reason: string };

export interface MediaPipelineOptions {
  ffmpegPath: string | null;
  ffprobePath: string | null;
  cacheDir: string;
  cacheMaxBytes: number;
  concurrency: number;
  /** One limit for every kind; default probe 30 s, thumb 60 s, preview 180 s. */
  jobTimeoutMs?: number;
  now?: () => number;
  logger?: Logger;
  resolveSource: (target: MediaTarget, opts: { refresh: boolean | 'unreachable' }) => Promise<string>;
  /** The target as the library decides it now: asked after a probe, which may refine its stereo layout. */
  current?: (target: MediaTarget) => MediaTarget;
  facts: MediaFacts;
  onProbe?: (target: MediaTarget, probe: MediaProbe) => void;
  /**
   * Where probes already live in memory (the catalog), so the pipeline keeps no second copy and
   * does not read them all again at start; onProbe must then keep it current. Without it the
   * pipeline loads the facts' probes itself.
   */
  probeOf?: (key: MediaKey) => MediaProbe | null;
  /** 'relay' (default): ffmpeg reads through the bounded-range relay; 'direct': ffmpeg reads the URL itself. */
  sourceMode?: 'relay' | 'direct';
  /** fetch used by the relay (tests). */
  fetch?: typeof fetch;
  /** Pauses before re-running a job whose CDN read stalled or failed; default [1 s, 5 s]. */
  transientBackoffMs?: readonly number[];
}

export interface MediaStatus {
  running: number;
  queued: number;
  /** Jobs waiting out a busy source (RD throttled or unreachable); not failures. */
  postponed: number;
  failures: Array<{ hash: string; path: string; kind: string; reason: string; retryAt: number }>;
  cacheBytes: number;
  cacheFiles: number;
  ffmpeg: boolean;
  ffprobe: boolean;
  message: string | null;
  /** Bytes read from the CDN by jobs since start. */
  cdnBytes: number;
}
