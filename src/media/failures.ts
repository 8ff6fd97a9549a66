// What the media pipeline remembers about jobs that did not work, so a request never starts a job
// that is bound to fail again right away. Two kinds of memory:
// - a failure of the file itself (dead link, unreadable video...): stored in the facts store with
//   a retry time that grows 5 min -> 30 min -> 6 h, shown in /healthz and the browser view;
// - a pause after the source was busy (RD throttling or unreachable, CDN 5xx): kept in memory
//   only, short, never shown as the file's failure, forgotten on restart.
// Reasons kept and shown are the sentences of reasons.ts; the raw detail only goes to the log.
import type { Logger } from 'pino';
import { mediaKeyOf, mediaKeyString, type MediaFacts, type MediaFailureRecord, type MediaKey } from './facts.ts';
import { publicReason, REASONS, type ReasonCode } from './reasons.ts';
import type { MediaKind, MediaState } from './types.ts';

/** After the n-th failure in a row, wait this long before trying again (last row repeats). */
export const RETRY_LADDER_MS: readonly number[] = [5 * 60_000, 30 * 60_000, 6 * 3600_000];
/** How long a job waits after its source stayed busy through the quick retries (or longer if the source said so). */
export const BUSY_PAUSE_MS = 2 * 60_000;
/** Never pause longer than this for a busy source, whatever it asked for. */
const BUSY_PAUSE_MAX_MS = 3600_000;
const KINDS: ReadonlySet<string> = new Set<MediaKind>(['probe', 'thumb', 'preview']);

type FailureView = MediaKey & MediaFailureRecord;

export function jobKey(kind: MediaKind, t: MediaKey): string {
  return `${kind}\n${mediaKeyString(t)}`;
}

export class FailureBook {
  private readonly failures = new Map<string, FailureView>();
  private readonly paused = new Map<string, number>();

  constructor(
    private readonly facts: MediaFacts,
    private readonly now: () => number,
    private readonly logger: Logger | undefined,
  ) {}

  /** Everything stored (start-up: /healthz lists failures from before a restart). */
  load(): void {
    for (const f of this.facts.failures?.() ?? []) {
      if (KINDS.has(f.kind)) this.failures.set(jobKey(f.kind as MediaKind, f), { ...f, reason: publicReason(f.reason) });
    }
  }

  /** Takes what another process sharing the data directory stored for this file. */
  refresh(kind: MediaKind, target: MediaKey): void {
    const key = mediaKeyOf(target);
    const f = this.facts.getFailure(key, kind);
    if (f) this.failures.set(jobKey(kind, target), { ...key, ...f, reason: publicReason(f.reason) });
  }

  /** The remembered failure while its retry time has not come. */
  active(kind: MediaKind, target: MediaKey): Extract<MediaState, { state: 'failed' }> | null {
    const f = this.failures.get(jobKey(kind, target));
    return f && this.now() < f.retryAt ? { state: 'failed', reason: f.reason, retryAt: f.retryAt } : null;
  }

  /** True while the job waits out a busy source (its state stays 'pending'; nothing is queued). */
  isPaused(kind: MediaKind, target: MediaKey): boolean {
    const k = jobKey(kind, target);
    const until = this.paused.get(k);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.paused.delete(k);
    return false;
  }

  /** The file's own failure: stored, with the next step of the retry ladder. */
  record(kind: MediaKind, target: MediaKey & { path: string }, code: ReasonCode, detail: string): MediaState {
    const key = mediaKeyOf(target);
    const at = this.now();
    const reason = REASONS[code];
    const attempts = (this.facts.getFailure(key, kind)?.attempts ?? 0) + 1;
    const retryAt = at + RETRY_LADDER_MS[Math.min(attempts, RETRY_LADDER_MS.length) - 1]!;
    const rec = this.facts.recordFailure(key, kind, reason, retryAt, at);
    this.failures.set(jobKey(kind, target), { ...key, ...rec });
    this.logger?.warn({ kind, path: target.path, code, detail, attempts: rec.attempts, retryAt: new Date(retryAt).toISOString() }, 'media job failed');
    return { state: 'failed', reason, retryAt };
  }

  /** The source was busy: wait a while, remember nothing. */
  pause(kind: MediaKind, target: MediaKey & { path: string }, code: ReasonCode, detail: string, retryAfterMs: number | null): MediaState {
    const ms = Math.min(Math.max(BUSY_PAUSE_MS, retryAfterMs ?? 0), BUSY_PAUSE_MAX_MS);
    this.paused.set(jobKey(kind, target), this.now() + ms);
    this.logger?.info({ kind, path: target.path, code, detail, retryInMs: ms }, 'media job postponed: source busy');
    return { state: 'pending' };
  }

  /** The job worked: forget what went wrong before. */
  clear(kind: MediaKind, target: MediaKey): void {
    const k = jobKey(kind, target);
    this.paused.delete(k);
    if (this.failures.delete(k)) this.facts.clearFailure(mediaKeyOf(target), kind);
  }

  /** Newest first. */
  list(): Array<{ hash: string; path: string; kind: string; reason: string; retryAt: number }> {
    return [...this.failures.values()]
      .sort((a, b) => b.at - a.at)
      .map((f) => ({ hash: f.hash, path: f.path, kind: f.kind, reason: f.reason, retryAt: f.retryAt }));
  }

  /** Jobs waiting out a busy source now. */
  get pausedCount(): number {
    let n = 0;
    for (const until of this.paused.values()) if (this.now() < until) n++;
    return n;
  }
}
