// Background backfill of torrent infos (realdebrid.md §4.4): in the players' order (favorites, then newest), a batch a minute, at
// background priority; while nobody else uses Real-Debrid, batch after batch (the scheduler then
// lets background calls use the budget nobody uses). It must survive failures: a torrent RD no longer knows (404) or refuses
// for itself is skipped until the next full listing, so it cannot block every older one; RD
// trouble backs off and retries; a rejected token or locked account stops it until the next
// refresh starts it again.
import type { Logger } from 'pino';
import type { LibraryRepo } from '../store/index.ts';
import { RdError, type RdErrorKind } from '../realdebrid/index.ts';
import type { TorrentSummary } from '../library/model.ts';

/** Pause between batches (a batch is `perMinute` infos). */
export const BACKFILL_PAUSE_MS = 60_000;
/** Pause between batches while nobody else uses Real-Debrid: the scheduler paces the calls. */
export const BACKFILL_IDLE_PAUSE_MS = 1_000;
/** Waits after consecutive failed batches (RD down or throttling), then the last one repeats. */
export const BACKFILL_BACKOFF_MS: ReadonlyArray<number> = [5_000, 30_000, 120_000, 300_000];

/** What one failed info fetch means: skip that torrent (its own problem), back off (RD's), or stop (ours). */
export const BACKFILL_ON_ERROR: Readonly<Record<RdErrorKind, 'skip' | 'backoff' | 'stop'>> = Object.freeze({
  not_found: 'skip',
  blocked: 'skip',
  dead: 'skip',
  bad_request: 'skip',
  transient: 'backoff',
  network: 'backoff',
  timeout: 'backoff',
  throttled: 'backoff',
  cooldown: 'backoff',
  unavailable: 'backoff',
  fair_use: 'backoff',
  auth: 'stop',
  permission: 'stop',
  not_premium: 'stop',
  ip_blocked: 'stop',
  disabled: 'stop',
});

export interface InfoBackfillOptions {
  library: Pick<LibraryRepo, 'idsMissingInfo' | 'get'>;
  /** Fetches and stores one torrent's info. */
  fetchInfo: (summary: TorrentSummary) => Promise<unknown>;
  /** RD trouble worth showing in the sync status (backoff and stop cases). */
  onError: (err: unknown) => void;
  logger: Logger;
  /** Infos per batch; 0 turns the backfill off. */
  perMinute: number;
  /** True while nobody else uses Real-Debrid: the next batch follows at once (the budget nobody uses). */
  idle?: () => boolean;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export class InfoBackfill {
  private timer: { handle: unknown } | null = null;
  private running = false;
  private failures = 0;
  private closed = false;
  /** Torrents passed over until the next full listing (e.g. deleted on RD). */
  private readonly skipped = new Set<string>();

  constructor(private readonly opts: InfoBackfillOptions) {}

  /** Runs a batch after `delayMs`, unless one is already running or waiting. */
  schedule(delayMs: number): void {
    if (this.closed || this.timer || this.running || this.opts.perMinute <= 0) return;
    const timer = {
      handle: this.opts.setTimer(() => {
        if (this.timer === timer) this.timer = null;
        void this.batch();
      }, delayMs),
    };
    this.timer = timer;
  }

  skip(torrentId: string): void {
    this.skipped.add(torrentId);
  }

  /** After a full listing: the store now holds only what RD knows, so everything is worth asking again. */
  clearSkipped(): void {
    this.skipped.clear();
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.opts.clearTimer(this.timer.handle);
    this.timer = null;
  }

  private async batch(): Promise<void> {
    if (this.closed || this.running) return;
    this.running = true;
    let next: number | null = null;
    try {
      next = await this.fetchSome(this.opts.perMinute);
    } catch (err) {
      this.opts.logger.error({ err }, 'torrent info backfill failed');
    } finally {
      this.running = false; // before rescheduling: schedule() ignores calls while a batch runs
    }
    if (next !== null) this.schedule(next);
  }

  /** Fetches up to `max` missing infos, favorites then newest (the players' tabs). Returns when to go on (ms), or null when done or stopped. */
  private async fetchSome(max: number): Promise<number | null> {
    const { library } = this.opts;
    const ids = library.idsMissingInfo(max + this.skipped.size).filter((id) => !this.skipped.has(id)).slice(0, max);
    if (ids.length === 0) return null;
    for (const id of ids) {
      if (this.closed) return null;
      const summary = library.get(id);
      if (!summary) continue;
      try {
        await this.opts.fetchInfo(summary);
        this.failures = 0;
      } catch (err) {
        const action = err instanceof RdError ? BACKFILL_ON_ERROR[err.kind] : 'skip';
        if (action === 'skip') {
          this.skipped.add(id);
          this.opts.logger.info({ torrent: id, reason: err instanceof Error ? err.message : String(err) }, 'torrent info skipped');
          continue;
        }
        this.opts.onError(err);
        if (action === 'stop') return null;
        const wait = BACKFILL_BACKOFF_MS[Math.min(this.failures, BACKFILL_BACKOFF_MS.length - 1)]!;
        this.failures++;
        return wait;
      }
    }
    return this.opts.idle?.() ? BACKFILL_IDLE_PAUSE_MS : BACKFILL_PAUSE_MS;
  }
}
