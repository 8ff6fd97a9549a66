// One attempt at one media job (probe, thumb or preview) against one download URL: run the process,
// check what it wrote, move it into the cache. Each attempt ends in an Outcome that says whether
// trying again could help (an expired link wants a fresh one, a stalled CDN wants a pause, a broken
// file wants nothing), so the pipeline's retry policy lives in one table instead of in the jobs.
// A failure carries a reason code (its sentence is what users see) and the raw detail for the log.
import { open, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { MediaProbe, PictureVerdict, Stereo } from '../library/model.ts';
import { analyzePicture, PICTURE_HEIGHT, PICTURE_WIDTH } from '../library/picture.ts';
import { netInputOptions } from './args.ts';
import type { DiskCache, CacheEntry } from './disk-cache.ts';
import { parseProbe, probeArgs } from './ffprobe.ts';
import { previewArgs, previewMoments } from './preview.ts';
import type { RelaySession } from './relay.ts';
import { describeFailure, runProcess, succeeded, type RunResult } from './run.ts';
import { thumbArgs } from './thumbnail.ts';
import type { ReasonCode } from './reasons.ts';

/**
 * refresh: get a new download URL once; reconnect: the download host did not answer, get a new
 * download URL once (it may be on another host), then treat it as transient; transient: pause and try again, then wait without
 * remembering a failure (the source is busy, not the file); slow: pause and try again, then
 * remember the failure (a file that keeps ffmpeg busy past the limit); final: remember it.
 */
export type Retry = 'refresh' | 'reconnect' | 'transient' | 'slow' | 'final' | 'cancelled';
export interface Failure {
  code: ReasonCode;
  /** For the log only: may hold paths and ffmpeg's stderr. */
  detail: string;
  retry: Retry;
}
export type Outcome<T> = { ok: true; value: T } | ({ ok: false } & Failure);

export interface JobContext {
  /** The download URL, or a relay session in front of it. */
  source: { direct: string } | { relay: RelaySession };
  signal: AbortSignal;
  timeoutMs: number;
  onSpawn: (pid: number) => void;
  onExit: (pid: number) => void;
}

export interface FileJob {
  bin: string;
  cache: DiskCache;
  name: string;
  stereo: Stereo;
  durationMs: number;
  /** The video's frame size when probed: the thumbnail job then also judges the picture. */
  frame?: { width: number; height: number };
}

/** A thumbnail, and the verdict on its whole frame when one was asked for (null: the frame tells nothing). */
export type ThumbResult = CacheEntry & { picture?: PictureVerdict | null };

/** CDN statuses that mean "this download URL is no good any more": get a fresh one, once. */
const REFRESH_STATUSES = new Set([401, 403, 404, 410]);
/** stderr patterns when ffmpeg read the URL itself (no relay to report the status). */
const STDERR_RETRY: ReadonlyArray<[RegExp, Retry]> = [
  [/Server returned (401|403|404|410)|HTTP error (401|403|404|410)/i, 'refresh'],
  [/Connection (refused|timed out)|timed out/i, 'reconnect'],
  [/Server returned 5\d\d|HTTP error 5\d\d|Connection reset|I\/O error/i, 'transient'],
];

function inputUrl(ctx: JobContext): string {
  return 'relay' in ctx.source ? ctx.source.relay.input() : ctx.source.direct;
}

/** Why a run failed and whether another try could help. `output`: the temp file it was writing. */
export function classify(r: RunResult, ctx: JobContext, output?: string): Failure {
  if (r.aborted || ctx.signal.aborted) return { code: 'internal', detail: 'cancelled', retry: 'cancelled' };
  const relay = 'relay' in ctx.source ? ctx.source.relay : null;
  const s = relay?.upstreamStatus ?? null;
  if (relay && s !== null && s !== 416) {
    const detail = relay.upstreamError ?? `CDN answered ${s}`;
    if (REFRESH_STATUSES.has(s)) return { code: 'cdn-refused', detail, retry: 'refresh' };
    return s >= 500 || s === 429 ? { code: 'cdn-busy', detail, retry: 'transient' } : { code: 'cdn-refused', detail, retry: 'final' };
  }
  if (r.timedOut) return { code: 'timeout', detail: describeFailure(r, ctx.timeoutMs), retry: 'slow' };
  if (r.spawnError) return { code: 'ffmpeg-start', detail: describeFailure(r), retry: 'final' };
  // Killed by a signal we did not send (out of memory, antivirus, a user): not the file's fault.
  if (r.code === null) return { code: 'internal', detail: `killed from outside: ${describeFailure(r)}`, retry: 'transient' };
  if (relay?.upstreamUnreachable) return { code: 'cdn-busy', detail: relay.upstreamError ?? 'CDN unreachable', retry: 'reconnect' };
  if (relay?.upstreamError) return { code: 'cdn-busy', detail: relay.upstreamError, retry: 'transient' };
  const detail = describeFailure(r);
  // ffmpeg could not write its output (cache folder gone, read-only, full): say so, not "unreadable".
  if (output && (r.stderrTail.includes(output) || r.stderrTail.includes(basename(output)))) return { code: 'cache-write', detail, retry: 'final' };
  const hit = STDERR_RETRY.find(([re]) => re.test(r.stderrTail));
  if (!hit) return { code: 'unreadable', detail, retry: 'final' };
  return { code: hit[1] === 'refresh' ? 'cdn-refused' : 'cdn-busy', detail, retry: hit[1] };
}

async function run(bin: string, args: string[], ctx: JobContext, maxStdout = 0): Promise<RunResult> {
  let pid: number | null = null;
  try {
    return await runProcess(bin, args, {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      maxStdout,
      onSpawn: (p) => {
        pid = p;
        ctx.onSpawn(p);
      },
    });
  } finally {
    if (pid !== null) ctx.onExit(pid);
  }
}

export async function probeJob(bin: string, ctx: JobContext): Promise<Outcome<MediaProbe>> {
  const r = await run(bin, probeArgs(inputUrl(ctx), netInputOptions()), ctx, 1024 * 1024);
  if (!succeeded(r)) return { ok: false, ...classify(r, ctx) };
  try {
    return { ok: true, value: parseProbe(r.stdout) };
  } catch (err) {
    return { ok: false, code: 'unreadable', detail: (err as Error).message, retry: 'final' };
  }
}

/** What is wrong with a finished file (by its first bytes); null = fine. */
export async function checkOutput(kind: 'thumb' | 'preview', file: string): Promise<{ code: ReasonCode; detail: string } | null> {
  let head: Buffer;
  let size: number;
  try {
    const fh = await open(file, 'r');
    try {
      size = (await fh.stat()).size;
      head = Buffer.alloc(12);
      await fh.read(head, 0, 12, 0);
    } finally {
      await fh.close();
    }
  } catch {
    return { code: 'no-frame', detail: 'ffmpeg wrote no file' };
  }
  if (size === 0) return { code: 'no-frame', detail: 'ffmpeg wrote an empty file (no frame at that point?)' };
  if (kind === 'thumb') return head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff ? null : { code: 'bad-output', detail: 'output is not a JPEG' };
  return head.subarray(4, 8).toString('latin1') === 'ftyp' ? null : { code: 'bad-output', detail: 'output is not an MP4' };
}

/** Runs ffmpeg into a temp file, validates it and renames it into the cache. Never leaves the temp file. */
async function fileJob(job: FileJob, kind: 'thumb' | 'preview', args: (tmp: string) => string[], ctx: JobContext): Promise<Outcome<CacheEntry>> {
  const tmp = job.cache.tempPath(job.name);
  try {
    const r = await run(job.bin, args(tmp), ctx);
    if (!succeeded(r)) return { ok: false, ...classify(r, ctx, tmp) };
    const bad = await checkOutput(kind, tmp);
    if (bad) return { ok: false, ...bad, retry: 'final' };
    try {
      return { ok: true, value: await job.cache.commit(job.name, tmp) };
    } catch (err) {
      return { ok: false, code: 'cache-write', detail: err instanceof Error ? err.message : String(err), retry: 'final' };
    }
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

export async function thumbJob(job: FileJob, ctx: JobContext): Promise<Outcome<ThumbResult>> {
  const pictureOut = job.frame ? job.cache.tempPath(`${job.name}.gray`) : undefined;
  const make = (durationMs: number) => (out: string) =>
    thumbArgs({ input: inputUrl(ctx), net: netInputOptions(), durationMs, stereo: job.stereo, out, ...(pictureOut ? { pictureOut } : {}) });
  try {
    let out = await fileJob(job, 'thumb', make(job.durationMs), ctx);
    // A wrong duration can seek past the last frame: one more try from the start.
    if (!out.ok && out.retry === 'final' && job.durationMs > 0 && out.code === 'no-frame') out = await fileJob(job, 'thumb', make(0), ctx);
    if (!out.ok || !pictureOut || !job.frame) return out;
    return { ok: true, value: { ...out.value, picture: await judge(pictureOut, job.frame) } };
  } finally {
    if (pictureOut) await rm(pictureOut, { force: true }).catch(() => undefined);
  }
}

/** The picture verdict from the raw gray frame; null when it is missing or tells nothing. */
async function judge(file: string, frame: { width: number; height: number }): Promise<PictureVerdict | null> {
  const pixels = await readFile(file).catch(() => null);
  if (!pixels || pixels.length !== PICTURE_WIDTH * PICTURE_HEIGHT) return null;
  return analyzePicture({ width: PICTURE_WIDTH, height: PICTURE_HEIGHT, pixels }, frame.width, frame.height);
}

export async function previewJob(job: FileJob, ctx: JobContext): Promise<Outcome<CacheEntry>> {
  const moments = previewMoments(job.durationMs);
  return fileJob(job, 'preview', (out) => previewArgs({ inputs: moments.map(() => inputUrl(ctx)), net: netInputOptions(), moments, stereo: job.stereo, out }), ctx);
}
