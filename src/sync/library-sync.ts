// Keeps the stored library fresh without ever making a player wait (but the very first request
// of a brand-new install): full listings, cheap head checks, and torrent-info backfill
// at background priority (./backfill.ts). Only `downloaded` torrents are browsable; infos are
// fetched once, and a player never waits behind a background fetch of the same info.
import type { Logger } from 'pino';
import type { Store } from '../store/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { LibraryWriter } from '../catalog/writer.ts';
import type { RdClient, RdPriority } from '../realdebrid/index.ts';
import { RdError, RdTransientError, rdPolicy, toInfo, toSummary, type RdFault } from '../realdebrid/index.ts';
import type { TorrentInfo, TorrentSummary } from '../library/model.ts';
import { InfoBackfill } from './backfill.ts';
import { CONFIRM_GAP_MS, REMOVED_KEEP_MS, decideRemovals } from './removal-policy.ts';

export type SyncProblem = 'token-missing' | 'token-rejected' | 'unreachable' | 'throttled' | null;

export interface SyncStatus {
  lastSyncAt: string | null;
  syncing: boolean;
  progress: { done: number; total: number } | null;
  problem: SyncProblem;
  message: string | null;
  infosMissing: number;
}

const HEAD_LIMIT = 50;
const FULL_EVERY_MS = 6 * 3600_000;
const META_LAST_SYNC = 'library.lastSyncAt';
const META_LAST_FULL = 'library.lastFullAt';
/** What the library status says for each kind of RD fault (realdebrid/policy.ts). */
const SYNC_PROBLEM: Readonly<Record<RdFault, SyncProblem>> = {
  token: 'token-rejected',
  pacing: 'throttled',
  account: 'unreachable',
  file: 'unreachable',
  blocked: 'unreachable',
  gone: 'unreachable',
  traffic: 'unreachable',
  busy: 'unreachable',
  ours: 'unreachable',
};
const RANK: Record<RdPriority, number> = { interactive: 0, foreground: 1, background: 2 };

export interface LibrarySyncOptions {
  rd: RdClient | null;
  store: Store;
  /** Read only: how many videos lack a file list. */
  catalog: Catalog;
  /** Every change to the stored library goes through it. */
  writer: LibraryWriter;
  logger: Logger;
  ttlMs: number;
  now?: () => number;
  /** Background info backfill: at most this many info calls a minute (the scheduler's background cap also applies). */
  backfillPerMinute?: number;
  /** Backfill timers; default setTimeout (unref'd). Tests pass a manual clock's. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class LibrarySync {
  private running: Promise<void> | null = null;
  private lastAttemptAt = 0;
  private progress: SyncStatus['progress'] = null;
  private problem: SyncProblem;
  private message: string | null = null;
  private infoFlights = new Map<string, { promise: Promise<TorrentInfo>; priority: RdPriority }>();
  private readonly backfill: InfoBackfill;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly opts: LibrarySyncOptions) {
    this.now = opts.now ?? Date.now;
    this.backfill = new InfoBackfill({
      library: opts.store.library,
      fetchInfo: (summary) => this.ensureInfo(summary, 'background'),
      onError: (err) => this.noteError(err),
      logger: opts.logger,
      perMinute: opts.rd ? (opts.backfillPerMinute ?? 30) : 0,
      setTimer: opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref()),
      clearTimer: opts.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout)),
    });
    this.problem = opts.rd?.hasToken ? null : 'token-missing';
    if (this.problem) this.message = 'No Real-Debrid token: set RD_API_TOKEN (from https://real-debrid.com/apitoken) and restart.';
  }

  get lastSyncAt(): string | null {
    return this.opts.store.meta.get(META_LAST_SYNC);
  }

  status(): SyncStatus {
    return {
      lastSyncAt: this.lastSyncAt,
      syncing: this.running !== null,
      progress: this.progress,
      problem: this.problem,
      message: this.message,
      infosMissing: this.opts.catalog.filesUnknownCount(),
    };
  }

  /**
   * Called on every library request. The first sync ever is awaited; afterwards a stale
   * library triggers a background refresh and the stored one is answered at once.
   */
  async ensureFresh(): Promise<void> {
    if (!this.opts.rd?.hasToken || this.closed) return;
    if (this.lastSyncAt === null) {
      await this.refresh().catch(() => undefined);
      return;
    }
    if (this.now() - this.lastAttemptAt >= this.opts.ttlMs) void this.refresh().catch(() => undefined);
  }

  /** One refresh at a time; concurrent callers share it. */
  refresh(force: 'full' | 'auto' = 'auto'): Promise<void> {
    if (!this.running) {
      this.lastAttemptAt = this.now();
      this.running = this.doRefresh(force).finally(() => {
        this.running = null;
        this.progress = null;
      });
    }
    return this.running;
  }

  private async doRefresh(force: 'full' | 'auto'): Promise<void> {
    const rd = this.opts.rd;
    if (!rd) return;
    try {
      const lastFull = Number(this.opts.store.meta.get(META_LAST_FULL) ?? 0);
      const needFull = force === 'full' || this.lastSyncAt === null || this.now() - lastFull > FULL_EVERY_MS;
      if (needFull || !(await this.headUnchangedOrPatched(rd))) await this.fullListing(rd);
      this.opts.store.meta.set(META_LAST_SYNC, new Date(this.now()).toISOString());
      this.problem = null;
      this.message = null;
      this.backfill.schedule(0);
    } catch (err) {
      this.noteError(err);
      throw err;
    }
  }

  private async fullListing(rd: RdClient): Promise<void> {
    const started = this.now();
    const first = this.lastSyncAt === null;
    const priority: RdPriority = first ? 'foreground' : 'background';
    // Throws unless the listing is complete and consistent: then the stored library stays as it is.
    const { torrents, calls } = await rd.listAllTorrents(priority, (done, total) => {
      this.progress = { done, total };
      // Big libraries take several pages: tell the person watching the console how far along it is.
      if (total > done) this.opts.logger.info(`reading the Real-Debrid library: ${done} of ${total} torrents`);
    });
    const summaries = torrents.map(toSummary);
    const library = this.opts.store.library;
    const decision = decideRemovals({ stored: library.missingState(), listed: new Set(summaries.map((s) => s.id)), now: this.now() });
    if (decision.mass && decision.remove.length < decision.absent) {
      this.opts.logger.warn(
        { absent: decision.absent, stored: library.count(), confirmAfterSeconds: CONFIRM_GAP_MS / 1000 },
        'Real-Debrid listed far fewer torrents than before: nothing is removed until a second listing a few minutes later confirms it',
      );
    }
    const gone = [...decision.remove, ...(await this.goneOnRd(rd, decision.confirmByInfo))];
    const now = this.now();
    const diff = this.opts.writer.applyListing(summaries, gone, now - REMOVED_KEEP_MS);
    this.opts.store.meta.set(META_LAST_FULL, String(now));
    this.backfill.clearSkipped();
    this.opts.logger.info(
      { torrents: summaries.length, videos: this.opts.catalog.size, listCalls: calls, ms: this.now() - started, ...diff },
      'library synced from Real-Debrid',
    );
  }

  /** Of these absent torrents, the ones RD answers 404 for (any other answer: kept for the next listing). */
  private async goneOnRd(rd: RdClient, ids: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    for (const id of ids) {
      try {
        await rd.torrentInfo(id, 'background');
      } catch (err) {
        if (err instanceof RdError && err.kind === 'not_found') gone.push(id);
      }
    }
    return gone;
  }

  /**
   * Cheap change detection: the newest page, read whole (RD's head-page ETag does not change when a
   * torrent deeper down is deleted, so a 304 proves nothing). Returns true when the stored library
   * is already current (new torrents simply prepended), false when a full listing is needed
   * (deletions, changes deeper in the list, torrents still awaiting confirmation of a removal).
   */
  private async headUnchangedOrPatched(rd: RdClient): Promise<boolean> {
    const page = await rd.listTorrentsPage({ page: 1, limit: HEAD_LIMIT }, 'background');
    if (!page.readable) throw new RdTransientError('Real-Debrid sent an unreadable page of the torrent list; the stored library is kept');
    const stored = this.opts.store.library;
    const head = page.torrents.map(toSummary);
    const unknown = head.filter((t) => stored.get(t.id) === null);
    const changed = head.filter((t) => {
      const s = stored.get(t.id);
      return s !== null && (s.status !== t.status || s.links.length !== t.links.length || s.progress !== t.progress);
    });
    const expectedTotal = stored.count() + unknown.length;
    if (page.total !== expectedTotal || head.length !== Math.min(HEAD_LIMIT, page.total)) return false;
    if (unknown.length + changed.length > 0) {
      this.opts.writer.patchSummaries([...unknown, ...changed]);
      this.opts.logger.info({ added: unknown.length, changed: changed.length }, 'library updated from the newest torrents');
    }
    return true;
  }

  /** Torrent info for one torrent: stored forever once downloaded; RD is asked at most once at a time. */
  async ensureInfo(summary: TorrentSummary, priority: RdPriority): Promise<TorrentInfo> {
    const stored = this.opts.store.library.getInfo(summary.id);
    if (stored) {
      // Possibly fetched by another server process on the same data dir.
      if (!this.opts.catalog.getByHash(summary.hash)?.filesKnown) this.opts.writer.adoptInfo(stored);
      return stored;
    }
    const rd = this.opts.rd;
    if (!rd) throw new Error('no Real-Debrid token configured');
    const running = this.infoFlights.get(summary.id);
    // A player must not wait behind a background fetch (queued under the background cap, patient timeouts).
    if (running && RANK[running.priority] <= RANK[priority]) return running.promise;
    const flight = { priority, promise: null as unknown as Promise<TorrentInfo> };
    flight.promise = rd
      .torrentInfo(summary.id, priority)
      .then((raw) => {
        const info = toInfo(raw);
        this.opts.writer.putInfo(info);
        return info;
      })
      .catch((err: unknown) => {
        if (err instanceof RdError && err.kind === 'not_found') {
          // RD's 404 on the info is proof enough: the torrent leaves now (its row stays 30 days).
          this.backfill.skip(summary.id);
          if (this.opts.writer.torrentGone(summary.id, this.now())) {
            this.opts.logger.info({ torrent: summary.id }, 'torrent removed: Real-Debrid no longer knows it');
          }
          this.lastAttemptAt = 0;
        }
        throw err;
      })
      .finally(() => {
        if (this.infoFlights.get(summary.id) === flight) this.infoFlights.delete(summary.id);
      });
    this.infoFlights.set(summary.id, flight);
    return flight.promise;
  }

  private noteError(err: unknown): void {
    if (!(err instanceof RdError)) {
      this.opts.logger.error({ err }, 'library sync failed');
      this.problem = 'unreachable';
      this.message = 'Library sync failed unexpectedly; serving the stored library.';
      return;
    }
    this.problem = SYNC_PROBLEM[rdPolicy(err).fault];
    this.message = err.message;
    this.opts.logger.warn({ code: err.code, status: err.status }, `Real-Debrid: ${err.message}`);
  }

  close(): void {
    this.closed = true;
    this.backfill.close();
  }
}
