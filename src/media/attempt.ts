// One media job run against one download URL: the relay in front of the CDN (bounded reads, bytes
// counted, the URL off ffmpeg's command line), the job's time limit and process bookkeeping, and the
// job itself by kind. What the result means for the library (store the probe, keep the picture
// verdict, clear failures) stays with the pipeline (./pipeline.ts), which owns that state.
import type { MediaProbe, Stereo } from '../library/model.ts';
import type { Binaries } from './binaries.ts';
import { fileName } from './cache-names.ts';
import type { CacheEntry, DiskCache } from './disk-cache.ts';
import { previewJob, probeJob, thumbJob, type JobContext, type Outcome, type ThumbResult } from './jobs.ts';
import type { SourceRelay } from './relay.ts';
import type { MediaKind, MediaPipelineOptions, MediaTarget } from './types.ts';
import type { Priority } from './queue.ts';
import { sourceFailure } from './reasons.ts';
import type { Logger } from '../log.ts';

const TIMEOUTS: Readonly<Record<MediaKind, number>> = { probe: 30_000, thumb: 60_000, preview: 180_000 };

export interface AttemptTools {
  bins: Binaries;
  cache: DiskCache;
  relay: SourceRelay | null;
  /** Overrides the per-kind time limit (tests). */
  timeoutMs?: number;
  processes: Set<number>;
  now: () => number;
  logger?: Logger;
  /** CDN bytes this run read through the relay. */
  onBytes: (bytes: number) => void;
}

/** What the file job needs from the model: the layout decided once, the duration, the probe when there is one. */
export interface FileFacts {
  stereo: Stereo;
  durationMs: number;
  probe: MediaProbe | null;
}

export type KindResult = { kind: 'probe'; probe: MediaProbe } | { kind: 'thumb' | 'preview'; entry: ThumbResult | CacheEntry };

/** Runs one job of `kind` for `target` from `url` inside a queue slot. */
export async function runJob(kind: MediaKind, target: MediaTarget, url: string, signal: AbortSignal, facts: FileFacts, tools: AttemptTools): Promise<Outcome<KindResult>> {
  const relay = tools.relay?.open(url) ?? null;
  const ctx: JobContext = {
    source: relay ? { relay } : { direct: url },
    signal,
    timeoutMs: tools.timeoutMs ?? TIMEOUTS[kind],
    onSpawn: (pid) => tools.processes.add(pid),
    onExit: (pid) => tools.processes.delete(pid),
  };
  const started = tools.now();
  try {
    if (kind === 'probe') {
      const out = await probeJob(tools.bins.ffprobe!.path, ctx);
      return out.ok ? { ok: true, value: { kind, probe: out.value } } : out;
    }
    const job = { bin: tools.bins.ffmpeg!.path, cache: tools.cache, name: fileName(kind, target, facts.stereo), stereo: facts.stereo, durationMs: facts.durationMs };
    // A thumbnail of a probed file also judges its whole frame (library/picture.ts).
    const { probe } = facts;
    const out = kind === 'thumb' ? await thumbJob(probe ? { ...job, frame: { width: probe.width, height: probe.height } } : job, ctx) : await previewJob(job, ctx);
    return out.ok ? { ok: true, value: { kind, entry: out.value } } : out;
  } finally {
    relay?.close();
    tools.onBytes(relay?.bytes ?? 0);
    tools.logger?.debug({ kind, path: target.path, ms: tools.now() - started, cdnBytes: relay?.bytes ?? null }, 'media job done');
  }
}

/** A failed attempt that says whether and when to try again (a source that said how long to wait passes it on). */
export type FailedAttempt = Extract<Outcome<never>, { ok: false }> & { retryAfterMs?: number | null };

/** A download URL for the target, or the failed attempt saying why there is none. */
export async function sourceFor(resolve: MediaPipelineOptions['resolveSource'], target: MediaTarget, refresh: boolean | 'unreachable', priority: Priority): Promise<{ url: string } | FailedAttempt> {
  try {
    // The job's class decides how RD is asked: a person waiting or a card on screen spends the
    // interactive budget, background work its own.
    return { url: await resolve(target, { refresh, priority }) };
  } catch (err) {
    const f = sourceFailure(err);
    const detail = `no download link: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, code: f.code, detail, retry: f.transient ? 'transient' : 'final', retryAfterMs: f.retryAfterMs };
  }
}
