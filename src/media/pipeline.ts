// The media pipeline: answers "is the thumbnail / preview / probe of this file ready?" at once and,
// when it is not, queues the work (probe first when the duration is unknown). Work goes through one
// bounded queue, reads the CDN through the relay and lands in the LRU disk cache. A failure of the
// file is remembered with a reason and a retry time (failures.ts) so a broken file is not retried
// on every request; a busy source only pauses the job. Nothing here makes a request wait for ffmpeg.
// Once probed, the file may refine the stereo layout (the library's refineByProbe), and the cache
// name includes the layout, so a thumbnail made from a wrong guess is never served again. One run of
// a job against a URL lives in attempt.ts; what its result means for the library stays here.
import { setTimeout as delay } from 'node:timers/promises';
import type { MediaProbe, PictureVerdict, Stereo } from '../library/model.ts';
import { refineByProbe } from '../library/projection-sources.ts';
import { locateBinaries, type Binaries } from './binaries.ts';
import { FILE_NAMES, fileName } from './cache-names.ts';
import { DiskCache } from './disk-cache.ts';
import { mediaKeyOf, mediaKeyString } from './facts.ts';
import { FailureBook, jobKey } from './failures.ts';
import type { Outcome, ThumbResult } from './jobs.ts';
import { runJob, sourceFor } from './attempt.ts';
import { JobQueue, QueueClosedError, type Priority } from './queue.ts';
import { InFlightJobs } from './in-flight.ts';
import { REASONS, type ReasonCode } from './reasons.ts';
import { SourceRelay } from './relay.ts';
import { ChangeLog } from './change-log.ts';
import type { MediaKind, MediaPipelineOptions, MediaState, MediaStatus, MediaTarget } from './types.ts';

export type { MediaKind, MediaLookup, MediaPipelineOptions, MediaState, MediaStatus, MediaTarget } from './types.ts';
export type { MediaFacts, MediaKey, MediaFailureRecord } from './facts.ts';
export type { Priority as MediaPriority } from './queue.ts';
export { MemoryMediaFacts } from './facts.ts';
export { RETRY_LADDER_MS, BUSY_PAUSE_MS } from './failures.ts';
export { fileName } from './cache-names.ts';

/**
 * Pauses before re-running a job whose source was busy or whose ffmpeg timed out. After the last
 * one a busy source only postpones the job (nothing remembered); a timeout is recorded.
 */
const TRANSIENT_BACKOFF_MS: readonly number[] = [1_000, 5_000];
const PROBE_READY: MediaState = { state: 'ready', file: '', etag: '', size: 0 };
/** One attempt's outcome; a source that said how long to wait passes it on. */
type Attempt = Outcome<MediaState> & { retryAfterMs?: number | null };

export class MediaPipeline {
  private bins: Binaries | null = null;
  private readonly cache: DiskCache;
  private readonly queue: JobQueue;
  private readonly relay: SourceRelay | null;
  private readonly now: () => number;
  private readonly inflight: InFlightJobs;
  // Failures are loaded whole at start(), and probes come from memory too (opts.probeOf, or this
  // map when there is none), so answering "is it ready?" for 50,000 videos never touches SQLite; a
  // job re-reads its own file's entries first (another process may have written them).
  private readonly book: FailureBook;
  private readonly probes = new Map<string, MediaProbe>();
  private readonly closing = new AbortController();
  private startPromise: Promise<{ ffmpeg: boolean; ffprobe: boolean; message: string | null }> | null = null;
  /** Why ffmpeg work cannot run at all (missing binary, unusable cache), when it cannot. */
  private ffmpegMissing: ReasonCode | null = null;
  /** What status() says about that: sentences without paths (the log has the details). */
  private publicMessage: string | null = null;
  private cdnBytes = 0;
  private readonly log = new ChangeLog();
  /** Live ffmpeg/ffprobe process ids. */
  readonly processes = new Set<number>();

  constructor(private readonly opts: MediaPipelineOptions) {
    this.now = opts.now ?? Date.now;
    this.cache = new DiskCache({ dir: opts.cacheDir, maxBytes: opts.cacheMaxBytes, now: this.now, ...(opts.logger ? { logger: opts.logger } : {}) });
    this.queue = new JobQueue(opts.concurrency);
    this.inflight = new InFlightJobs(this.queue);
    this.book = new FailureBook(opts.facts, this.now, opts.logger);
    this.relay = opts.sourceMode === 'direct' ? null : new SourceRelay(opts.fetch ? { fetch: opts.fetch } : {});
  }

  /**
   * Locates and checks the binaries, scans the cache, removes stale temp files. Safe to call twice.
   * Logs a missing ffmpeg once (callers need not repeat it); `message` has the details for a console.
   */
  start(): Promise<{ ffmpeg: boolean; ffprobe: boolean; message: string | null }> {
    this.startPromise ??= (async () => {
      const [found, scan] = await Promise.all([
        locateBinaries({ ffmpegPath: this.opts.ffmpegPath, ffprobePath: this.opts.ffprobePath }),
        this.cache.init().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
        this.relay?.start(),
      ]);
      // An unusable cache directory is reported like a missing ffmpeg: nothing can be made.
      const bins = scan instanceof Error ? { ...found, ffmpeg: null, message: `media cache directory ${this.opts.cacheDir} is unusable (${scan.message}); thumbnails and previews show a placeholder.` } : found;
      this.bins = bins;
      this.ffmpegMissing = scan instanceof Error ? 'cache-unusable' : bins.ffmpeg ? null : 'ffmpeg-missing';
      const missing = [this.ffmpegMissing, bins.ffprobe ? null : ('ffprobe-missing' as const)].filter((c) => c !== null);
      this.publicMessage = missing.length > 0 ? missing.map((c) => REASONS[c]).join(' ') : null;
      this.book.load();
      if (!this.opts.probeOf) for (const [k, probe] of this.opts.facts.allProbes?.() ?? []) this.probes.set(k, probe);
      if (bins.message) this.opts.logger?.warn(bins.message);
      this.opts.logger?.info({ ffmpeg: bins.ffmpeg?.version ?? null, ffprobe: bins.ffprobe?.version ?? null, cacheFiles: this.cache.files, cacheBytes: this.cache.bytes, tempRemoved: scan instanceof Error ? 0 : scan.tempRemoved }, 'media pipeline ready');
      return { ffmpeg: bins.ffmpeg !== null, ffprobe: bins.ffprobe !== null, message: bins.message };
    })();
    return this.startPromise;
  }

  /** Never waits for ffmpeg: the state now and, when not ready, the job is queued. */
  request(kind: 'thumb' | 'preview', target: MediaTarget, priority: Priority): MediaState {
    return this.ask(kind, target, priority);
  }

  requestProbe(target: MediaTarget, priority: Priority): MediaState {
    return this.ask('probe', target, priority);
  }

  /** The state now, without queueing anything or counting as a use. */
  peek(kind: MediaKind, target: MediaTarget): MediaState {
    return this.stateOf(kind, target, false);
  }

  isReady(kind: MediaKind, target: MediaTarget): boolean {
    return this.peek(kind, target).state === 'ready';
  }

  /** Grows whenever some state may have changed (a job finished or failed, a file was evicted). */
  version(): number {
    return this.log.changes + this.cache.version;
  }

  /** Awaitable variant (warm-up script, tests): resolves when the job finished, failed or was postponed (pending). */
  ensure(kind: MediaKind, target: MediaTarget, priority: Priority = 'background'): Promise<MediaState> {
    const key = jobKey(kind, target);
    const running = this.inflight.get(key);
    if (running) {
      this.inflight.raise(key, priority);
      if (kind !== 'probe') this.inflight.raise(jobKey('probe', target), priority);
      return running;
    }
    const now = this.stateOf(kind, target);
    if (now.state !== 'pending' || this.closing.signal.aborted || this.book.isPaused(kind, target)) return Promise.resolve(now);
    return this.inflight.start(key, () => this.work(kind, target, priority));
  }

  /** Nobody waits for this file any more (the pointer left the card): its queued jobs go back to `priority`. */
  lower(kind: 'thumb' | 'preview', target: MediaTarget, priority: Priority): void {
    this.inflight.lower(jobKey(kind, target), priority);
    this.inflight.lower(jobKey('probe', target), priority);
  }

  /** The priority a queued or running job of this file has now, or null when none is queued. */
  queuedPriority(kind: MediaKind, target: MediaTarget): Priority | null {
    return this.queue.priorityOf(jobKey(kind, target));
  }

  /** Forget a cached file that vanished from disk (the next request makes it again). */
  invalidate(kind: 'thumb' | 'preview', target: MediaTarget): Promise<void> {
    return this.cache.remove(fileName(kind, target, this.stereoOf(target)));
  }

  status(): MediaStatus {
    return {
      running: this.queue.running,
      queued: this.queue.queued,
      postponed: this.book.pausedCount,
      failures: this.book.list(),
      cacheBytes: this.cache.bytes,
      cacheFiles: this.cache.files,
      cacheThumbs: this.cache.countEnding(FILE_NAMES.thumb),
      ffmpeg: this.bins?.ffmpeg != null,
      ffprobe: this.bins?.ffprobe != null,
      message: this.publicMessage,
      cdnBytes: this.cdnBytes,
    };
  }

  /** Highest number of jobs that ran at once. */
  get peakConcurrency(): number {
    return this.queue.peak;
  }

  async onIdle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled(this.inflight.all());
    await this.queue.onIdle();
  }

  /** Kills running jobs, drops queued ones, stops the relay. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.queue.close();
    await Promise.allSettled(this.inflight.all());
    await this.relay?.close();
  }

  /** The stereo layout jobs use: the library's guess, refined by the probed frame size (same rule as the library). */
  stereoOf(target: MediaTarget): Stereo {
    const probe = this.probeOf(target);
    return target.projection && probe ? refineByProbe(target.projection, probe).stereo : target.stereo;
  }

  private ask(kind: MediaKind, target: MediaTarget, priority: Priority): MediaState {
    const state = this.stateOf(kind, target);
    if (state.state === 'pending' && !this.book.isPaused(kind, target)) {
      this.ensure(kind, target, priority).catch((err: unknown) => this.opts.logger?.error({ err, kind }, 'media job crashed'));
    }
    return state;
  }

  /** The state right now, from memory (and the facts store on first sight of a file). */
  private stateOf(kind: MediaKind, target: MediaTarget, use = true): MediaState {
    if (!this.bins) return { state: 'pending' };
    const missing: ReasonCode | null = kind === 'probe' ? (this.bins.ffprobe ? null : 'ffprobe-missing') : this.ffmpegMissing;
    if (missing) return { state: 'unavailable', reason: REASONS[missing] };
    if (kind === 'probe') {
      // A probe stored before side data was read (no `spatial`) is asked again once, when a
      // player opens the video or a tool asks: the file's own metadata may settle its projection.
      const p = this.probeOf(target);
      if (p && p.spatial !== undefined) return PROBE_READY;
    } else {
      const name = fileName(kind, target, this.stereoOf(target));
      const e = use ? this.cache.get(name) : this.cache.peek(name);
      if (e) return { state: 'ready', file: e.file, etag: e.etag, size: e.size };
    }
    const own = this.book.active(kind, target);
    if (own) return own;
    if (kind !== 'probe' && this.needsProbe(target)) {
      const probe = this.book.active('probe', target);
      if (probe) return probe;
    }
    return { state: 'pending' };
  }

  private needsProbe(target: MediaTarget): boolean {
    return !(target.durationMs > 0) && !this.probeOf(target) && this.bins?.ffprobe != null;
  }

  private probeOf(target: MediaTarget): MediaProbe | null {
    return this.opts.probeOf ? this.opts.probeOf(target) : (this.probes.get(mediaKeyString(target)) ?? null);
  }

  /** A probe made here or found in the facts: kept where probeOf() reads it, and passed on. */
  private learnProbe(target: MediaTarget, probe: MediaProbe): void {
    if (!this.opts.probeOf) this.probes.set(mediaKeyString(target), probe);
    try {
      this.opts.onProbe?.(target, probe);
    } catch (err) {
      this.opts.logger?.error({ err }, 'onProbe failed');
    }
  }

  /** Takes what another process sharing the data directory stored for this file since start(). */
  private refreshFromFacts(kind: MediaKind, target: MediaTarget): void {
    const key = mediaKeyOf(target);
    const probe = this.opts.facts.getProbe(key);
    if (probe && !this.probeOf(target)) this.learnProbe(target, probe);
    this.book.refresh(kind, target);
  }

  /** Probe first when needed, then the job itself with the retry policy. */
  private async work(kind: MediaKind, target: MediaTarget, priority: Priority): Promise<MediaState> {
    await this.start();
    this.refreshFromFacts(kind, target);
    const before = this.stateOf(kind, target);
    if (before.state !== 'pending') return before;
    if (kind !== 'probe' && this.needsProbe(target)) {
      await this.ensure('probe', target, priority);
      // The library may have refined the stereo layout from the probe: the job uses its decision.
      target = this.opts.current?.(target) ?? target;
      const after = this.stateOf(kind, target);
      if (after.state !== 'pending') return after;
      // The probe waits out a busy source: so does this job (asking again later costs nothing).
      if (this.needsProbe(target) && this.book.isPaused('probe', target)) return after;
    }
    const key = jobKey(kind, target);
    let refresh: boolean | 'unreachable' = false;
    for (let transient = 0; ; ) {
      // Work nobody waits for gets its link before it takes an ffmpeg slot: waiting for RD (the
      // background lane, or the 10-second window that 300 cards' thumbnails fill) must not hold a
      // slot that a hovered preview needs (the hover bench: 8 s median while 300 thumbnails were asked).
      const pre: { url: string } | Attempt | null = priority !== 'wait' ? await this.source(target, refresh, priority) : null;
      const out: Attempt =
        pre !== null && !('url' in pre)
          ? pre
          : await this.queue.add(key, this.inflight.classNow(key, priority), (signal) => this.attempt(kind, target, refresh, signal, this.queue.priorityOf(key) ?? priority, pre?.url)).catch(
              (err: unknown): Attempt => ({
                ok: false,
                code: 'internal',
                detail: err instanceof Error ? err.message : String(err),
                retry: err instanceof QueueClosedError || this.closing.signal.aborted ? 'cancelled' : 'final',
              }),
            );
      if (out.ok) return out.value;
      if (out.retry === 'cancelled' || this.closing.signal.aborted) return { state: 'pending' };
      if ((out.retry === 'refresh' || out.retry === 'reconnect') && !refresh) {
        refresh = out.retry === 'refresh' ? true : 'unreachable';
        continue;
      }
      // A host still unreachable with a fresh link is down for now: wait like any busy source.
      const again = out.retry === 'transient' || out.retry === 'slow' || out.retry === 'reconnect';
      const pause = again ? (this.opts.transientBackoffMs ?? TRANSIENT_BACKOFF_MS)[transient++] : undefined;
      if (pause === undefined) {
        this.touched(target);
        if (out.retry === 'transient' || out.retry === 'reconnect') return this.book.pause(kind, target, out.code, out.detail, out.retryAfterMs ?? null);
        return this.book.record(kind, target, out.code, out.detail);
      }
      const slept = await delay(pause, true, { signal: this.closing.signal }).catch(() => false);
      if (!slept) return { state: 'pending' };
    }
  }

  /** A download URL for the target, or the failed attempt saying why there is none. */
  private source(target: MediaTarget, refresh: boolean | 'unreachable', priority: Priority): Promise<{ url: string } | Attempt> {
    return sourceFor(this.opts.resolveSource, target, refresh, priority);
  }

  /** One attempt inside a queue slot: get a download URL (unless one came along), run the job, record the result. */
  private async attempt(kind: MediaKind, target: MediaTarget, refresh: boolean | 'unreachable', signal: AbortSignal, priority: Priority, given?: string): Promise<Attempt> {
    const src = given !== undefined ? { url: given } : await this.source(target, refresh, priority);
    if (!('url' in src)) return src;
    if (signal.aborted) return { ok: false, code: 'internal', detail: 'cancelled', retry: 'cancelled' };
    const probe = this.probeOf(target);
    const facts = { stereo: this.stereoOf(target), durationMs: target.durationMs > 0 ? target.durationMs : (probe?.durationMs ?? 0), probe };
    const tools = {
      bins: this.bins!,
      cache: this.cache,
      relay: this.relay,
      ...(this.opts.jobTimeoutMs !== undefined ? { timeoutMs: this.opts.jobTimeoutMs } : {}),
      processes: this.processes,
      now: this.now,
      ...(this.opts.logger ? { logger: this.opts.logger } : {}),
      onBytes: (n: number) => void (this.cdnBytes += n),
    };
    const out = await runJob(kind, target, src.url, signal, facts, tools);
    if (!out.ok) return out;
    if (out.value.kind === 'probe') {
      // A picture verdict comes from the thumbnail, not from ffprobe: a new probe keeps it.
      const next = probe?.picture === undefined ? out.value.probe : { ...out.value.probe, picture: probe.picture };
      this.opts.facts.putProbe(mediaKeyOf(target), next);
      this.succeeded(kind, target);
      this.learnProbe(target, next);
      return { ok: true, value: PROBE_READY };
    }
    this.succeeded(kind, target);
    const entry = out.value.entry;
    const picture = (entry as ThumbResult).picture;
    if (probe && picture !== undefined) this.learnPicture(target, probe, picture);
    return { ok: true, value: { state: 'ready', file: entry.file, etag: entry.etag, size: entry.size } };
  }

  /** Something a viewer sees of this file changed: counted, and remembered per torrent. */
  private touched(target: MediaTarget): void {
    this.log.touch(target.hash);
  }

  /** The job-change count now (an open page passes it back to changedSince). */
  get changeCount(): number {
    return this.log.changes;
  }

  /** Torrent hashes whose media (thumbnail made, failure) changed after `count`; null when that is too far back to tell. */
  changedSince(count: number): string[] | null {
    return this.log.since(count);
  }

  /** A new picture verdict is stored with the probe and passed on like one (the projection may change). */
  private learnPicture(target: MediaTarget, probe: MediaProbe, picture: PictureVerdict | null): void {
    if (JSON.stringify(probe.picture ?? null) === JSON.stringify(picture) && probe.picture !== undefined) return;
    const next = { ...probe, picture };
    this.opts.facts.putProbe(mediaKeyOf(target), next);
    this.learnProbe(target, next);
  }

  private succeeded(kind: MediaKind, target: MediaTarget): void {
    this.touched(target);
    this.book.clear(kind, target);
  }
}
