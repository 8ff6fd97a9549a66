// The media pipeline: answers "is the thumbnail / preview / probe of this file ready?" at once and,
// when it is not, queues the work (probe first when the duration is unknown). Work goes through one
// bounded queue, reads the CDN through the relay, lands in the LRU disk cache, and a failure is
// remembered with a reason and a retry time (5 min, 30 min, then 6 h) so a broken file is not
// retried on every request. Nothing here ever makes a request wait for ffmpeg.
import { createHash } from 'node:crypto';
import type { MediaProbe } from '../library/model.ts';
import { locateBinaries, type Binaries } from './binaries.ts';
import { DiskCache } from './disk-cache.ts';
import { mediaKeyOf, mediaKeyString, type MediaFacts, type MediaFailureRecord } from './facts.ts';
import { previewJob, probeJob, thumbJob, type JobContext, type Outcome } from './jobs.ts';
import { JobQueue, QueueClosedError, type Priority } from './queue.ts';
import { SourceRelay } from './relay.ts';
import type { MediaKind, MediaPipelineOptions, MediaState, MediaStatus, MediaTarget } from './types.ts';

export type { MediaKind, MediaPipelineOptions, MediaState, MediaStatus, MediaTarget } from './types.ts';
export type { MediaFacts, MediaKey, MediaFailureRecord } from './facts.ts';
export { MemoryMediaFacts } from './facts.ts';

/** After the n-th failure in a row, wait this long before trying again (last row repeats). */
export const RETRY_LADDER_MS: readonly number[] = [5 * 60_000, 30 * 60_000, 6 * 3600_000];
const TIMEOUTS: Readonly<Record<MediaKind, number>> = { probe: 30_000, thumb: 60_000, preview: 180_000 };
/** Pauses before re-running a job whose CDN read stalled or failed (then the failure is recorded). */
const TRANSIENT_BACKOFF_MS: readonly number[] = [1_000, 5_000];
/** Bump a kind's version when its output changes: old files are then simply never used again (LRU drops them). */
const FILE_NAMES: Readonly<Record<'thumb' | 'preview', string>> = { thumb: 'thumb1.jpg', preview: 'preview1.mp4' };
const PROBE_READY: MediaState = { state: 'ready', file: '', etag: '', size: 0 };

type FailureView = { hash: string; path: string; bytes: number } & MediaFailureRecord;

export class MediaPipeline {
  private bins: Binaries | null = null;
  private readonly cache: DiskCache;
  private readonly queue: JobQueue;
  private readonly relay: SourceRelay | null;
  private readonly now: () => number;
  private readonly inflight = new Map<string, Promise<MediaState>>();
  // Both loaded whole at start(), so answering "is it ready?" for 50,000 videos never touches
  // SQLite; a job re-reads its own file's entries first (another process may have written them).
  private readonly failures = new Map<string, FailureView>();
  private readonly probes = new Map<string, MediaProbe>();
  private readonly closing = new AbortController();
  private startPromise: Promise<{ ffmpeg: boolean; ffprobe: boolean; message: string | null }> | null = null;
  private cdnBytes = 0;
  private changes = 0;
  /** Live ffmpeg/ffprobe process ids. */
  readonly processes = new Set<number>();

  constructor(private readonly opts: MediaPipelineOptions) {
    this.now = opts.now ?? Date.now;
    this.cache = new DiskCache({ dir: opts.cacheDir, maxBytes: opts.cacheMaxBytes, now: this.now, ...(opts.logger ? { logger: opts.logger } : {}) });
    this.queue = new JobQueue(opts.concurrency);
    this.relay = opts.sourceMode === 'direct' ? null : new SourceRelay(opts.fetch ? { fetch: opts.fetch } : {});
  }

  /** Locates and checks the binaries, scans the cache, removes stale temp files. Safe to call twice. */
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
      for (const f of this.opts.facts.failures?.() ?? []) {
        if (f.kind in TIMEOUTS) this.failures.set(jobKey(f.kind as MediaKind, f), f);
      }
      for (const [k, probe] of this.opts.facts.allProbes?.() ?? []) this.probes.set(k, probe);
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
    return this.changes + this.cache.version;
  }

  /** Awaitable variant (warm-up script, tests): resolves when the job finished or failed. */
  ensure(kind: MediaKind, target: MediaTarget, priority: Priority = 'background'): Promise<MediaState> {
    const key = jobKey(kind, target);
    const running = this.inflight.get(key);
    if (running) {
      this.queue.raise(key, priority);
      if (kind !== 'probe') this.queue.raise(jobKey('probe', target), priority);
      return running;
    }
    const now = this.stateOf(kind, target);
    if (now.state !== 'pending' || this.closing.signal.aborted) return Promise.resolve(now);
    const p = this.work(kind, target, priority).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Forget a cached file that vanished from disk (the next request makes it again). */
  invalidate(kind: 'thumb' | 'preview', target: MediaTarget): Promise<void> {
    return this.cache.remove(fileName(kind, target));
  }

  status(): MediaStatus {
    const failures = [...this.failures.values()]
      .sort((a, b) => b.at - a.at)
      .map((f) => ({ hash: f.hash, path: f.path, kind: f.kind, reason: f.reason, retryAt: f.retryAt }));
    return {
      running: this.queue.running,
      queued: this.queue.queued,
      failures,
      cacheBytes: this.cache.bytes,
      cacheFiles: this.cache.files,
      ffmpeg: this.bins?.ffmpeg != null,
      ffprobe: this.bins?.ffprobe != null,
      message: this.bins?.message ?? null,
      cdnBytes: this.cdnBytes,
    };
  }

  /** Highest number of jobs that ran at once. */
  get peakConcurrency(): number {
    return this.queue.peak;
  }

  async onIdle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight.values()]);
    await this.queue.onIdle();
  }

  /** Kills running jobs, drops queued ones, stops the relay. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.queue.close();
    await Promise.allSettled([...this.inflight.values()]);
    await this.relay?.close();
  }

  private ask(kind: MediaKind, target: MediaTarget, priority: Priority): MediaState {
    const state = this.stateOf(kind, target);
    if (state.state === 'pending') {
      this.ensure(kind, target, priority).catch((err: unknown) => this.opts.logger?.error({ err, kind }, 'media job crashed'));
    }
    return state;
  }

  /** The state right now, from memory (and the facts store on first sight of a file). */
  private stateOf(kind: MediaKind, target: MediaTarget, use = true): MediaState {
    if (!this.bins) return { state: 'pending' };
    const bin = kind === 'probe' ? this.bins.ffprobe : this.bins.ffmpeg;
    if (!bin) return { state: 'unavailable', reason: this.bins.message ?? `${kind === 'probe' ? 'ffprobe' : 'ffmpeg'} unavailable` };
    if (kind === 'probe') {
      if (this.probeOf(target)) return PROBE_READY;
    } else {
      const name = fileName(kind, target);
      const e = use ? this.cache.get(name) : this.cache.peek(name);
      if (e) return { state: 'ready', file: e.file, etag: e.etag, size: e.size };
    }
    const own = this.activeFailure(kind, target);
    if (own) return own;
    if (kind !== 'probe' && this.needsProbe(target)) {
      const probe = this.activeFailure('probe', target);
      if (probe) return { ...probe, reason: `probe failed: ${probe.reason}` };
    }
    return { state: 'pending' };
  }

  private needsProbe(target: MediaTarget): boolean {
    return !(target.durationMs > 0) && !this.probeOf(target) && this.bins?.ffprobe != null;
  }

  private probeOf(target: MediaTarget): MediaProbe | null {
    return this.probes.get(mediaKeyString(target)) ?? null;
  }

  private activeFailure(kind: MediaKind, target: MediaTarget): Extract<MediaState, { state: 'failed' }> | null {
    const f = this.failures.get(jobKey(kind, target));
    return f && this.now() < f.retryAt ? { state: 'failed', reason: f.reason, retryAt: f.retryAt } : null;
  }

  /** Takes what another process sharing the data directory stored for this file since start(). */
  private refreshFromFacts(kind: MediaKind, target: MediaTarget): void {
    const key = mediaKeyOf(target);
    const probe = this.opts.facts.getProbe(key);
    if (probe) this.probes.set(mediaKeyString(key), probe);
    const f = this.opts.facts.getFailure(key, kind);
    if (f) this.failures.set(jobKey(kind, target), { ...key, ...f });
  }

  /** Probe first when needed, then the job itself with the retry policy. */
  private async work(kind: MediaKind, target: MediaTarget, priority: Priority): Promise<MediaState> {
    await this.start();
    this.refreshFromFacts(kind, target);
    const before = this.stateOf(kind, target);
    if (before.state !== 'pending') return before;
    if (kind !== 'probe' && this.needsProbe(target)) {
      await this.ensure('probe', target, priority);
      const after = this.stateOf(kind, target);
      if (after.state !== 'pending') return after;
    }
    const key = jobKey(kind, target);
    let refresh = false;
    for (let transient = 0; ; ) {
      const out = await this.queue.add(key, priority, (signal) => this.attempt(kind, target, refresh, signal)).catch(
        (err: unknown): Outcome<MediaState> => ({
          ok: false,
          reason: err instanceof Error ? err.message : String(err),
          retry: err instanceof QueueClosedError || this.closing.signal.aborted ? 'cancelled' : 'final',
        }),
      );
      if (out.ok) return out.value;
      if (out.retry === 'cancelled' || this.closing.signal.aborted) return { state: 'pending' };
      if (out.retry === 'refresh' && !refresh) {
        refresh = true;
        continue;
      }
      const pause = out.retry === 'transient' ? (this.opts.transientBackoffMs ?? TRANSIENT_BACKOFF_MS)[transient++] : undefined;
      if (pause === undefined) return this.fail(kind, target, out.reason);
      if (!(await sleep(pause, this.closing.signal))) return { state: 'pending' };
    }
  }

  /** One attempt inside a queue slot: get a download URL, run the job, record the result. */
  private async attempt(kind: MediaKind, target: MediaTarget, refresh: boolean, signal: AbortSignal): Promise<Outcome<MediaState>> {
    let url: string;
    try {
      url = await this.opts.resolveSource(target, { refresh });
    } catch (err) {
      return { ok: false, reason: `no download link: ${err instanceof Error ? err.message : String(err)}`, retry: 'final' };
    }
    if (signal.aborted) return { ok: false, reason: 'cancelled', retry: 'cancelled' };
    const relay = this.relay?.open(url) ?? null;
    const ctx: JobContext = {
      source: relay ? { relay } : { direct: url },
      signal,
      timeoutMs: this.opts.jobTimeoutMs ?? TIMEOUTS[kind],
      onSpawn: (pid) => this.processes.add(pid),
      onExit: (pid) => this.processes.delete(pid),
    };
    const started = this.now();
    try {
      if (kind === 'probe') {
        const out = await probeJob(this.bins!.ffprobe!.path, ctx);
        if (!out.ok) return out;
        this.opts.facts.putProbe(mediaKeyOf(target), out.value);
        this.probes.set(mediaKeyString(target), out.value);
        this.succeeded(kind, target);
        try {
          this.opts.onProbe?.(target, out.value);
        } catch (err) {
          this.opts.logger?.error({ err }, 'onProbe failed');
        }
        return { ok: true, value: PROBE_READY };
      }
      const durationMs = target.durationMs > 0 ? target.durationMs : (this.probeOf(target)?.durationMs ?? 0);
      const job = { bin: this.bins!.ffmpeg!.path, cache: this.cache, name: fileName(kind, target), stereo: target.stereo, durationMs };
      const out = await (kind === 'thumb' ? thumbJob : previewJob)(job, ctx);
      if (!out.ok) return out;
      this.succeeded(kind, target);
      return { ok: true, value: { state: 'ready', file: out.value.file, etag: out.value.etag, size: out.value.size } };
    } finally {
      relay?.close();
      this.cdnBytes += relay?.bytes ?? 0;
      this.opts.logger?.debug({ kind, path: target.path, ms: this.now() - started, cdnBytes: relay?.bytes ?? null }, 'media job done');
    }
  }

  private succeeded(kind: MediaKind, target: MediaTarget): void {
    this.changes++;
    const k = jobKey(kind, target);
    if (this.failures.delete(k)) this.opts.facts.clearFailure(mediaKeyOf(target), kind);
  }

  private fail(kind: MediaKind, target: MediaTarget, reason: string): MediaState {
    this.changes++;
    const key = mediaKeyOf(target);
    const at = this.now();
    const attempts = (this.opts.facts.getFailure(key, kind)?.attempts ?? 0) + 1;
    const retryAt = at + RETRY_LADDER_MS[Math.min(attempts, RETRY_LADDER_MS.length) - 1]!;
    const rec = this.opts.facts.recordFailure(key, kind, reason, retryAt, at);
    this.failures.set(jobKey(kind, target), { ...key, ...rec });
    this.opts.logger?.warn({ kind, path: target.path, reason, attempts: rec.attempts, retryAt: new Date(retryAt).toISOString() }, 'media job failed');
    return { state: 'failed', reason, retryAt };
  }
}

function jobKey(kind: MediaKind, t: { hash: string; path: string; bytes: number }): string {
  return `${kind}\n${mediaKeyString(t)}`;
}

/** Cache file name: a digest of the file's identity (no user text in paths) + kind + version. */
export function fileName(kind: 'thumb' | 'preview', t: { hash: string; path: string; bytes: number }): string {
  return `${createHash('sha256').update(mediaKeyString(t)).digest('hex').slice(0, 32)}-${FILE_NAMES[kind]}`;
}

/** Resolves true after `ms`, false at once when aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
