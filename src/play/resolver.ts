// Resolves a file of a video to a direct download URL (realdebrid.md §4.6): lazy unrestrict,
// one RD call per link shared by concurrent callers (singleflight), results reused for a window,
// every result verified against the expected name and size before use. Used by /play (interactive)
// and by the media pipeline (background, longer reuse, refresh on CDN failure).
import type { Logger } from 'pino';
import type { Store, CachedUnrestrict } from '../store/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { LibraryWriter } from '../catalog/writer.ts';
import type { LibrarySync } from '../sync/library-sync.ts';
import { RD_POLICY, RdError, rdPolicy, retryAfterOf, type AccountBrake, type RdClient, type RdFault, type RdPriority } from '../realdebrid/index.ts';
import type { TorrentInfo, Video, VideoFile } from '../library/model.ts';
import { normalizeLink } from '../library/links.ts';
import { verifyUnrestrict } from '../library/mapping.ts';
import { PackMatcher } from './pack-matcher.ts';
import { PlayError, type PlayErrorKind } from './errors.ts';

export const INTERACTIVE_REUSE_MS = 2 * 3600_000;
export const BACKGROUND_REUSE_MS = 24 * 3600_000;
const BAD_LINK_RETRY_MS = 3600_000;
/** How long a player waits on a background unrestrict of the same link before making its own call. */
const JOIN_BACKGROUND_MS = 2000;
/** After a CDN 401/403 the same URL again: the link rests this long (RD blocks for 20-30 min, rdt-client #255). */
export const CDN_BLOCK_MS = 10 * 60_000;
/** How long a player waits for a pack's links to be matched before it gets what is matched. */
export const MATCH_WAIT_MS = 8_000;
/** What a player is told to wait for a file of a pack still being matched. */
const MATCH_RETRY_MS = 60_000;
/** Flights by class, highest first: a caller joins one of its own class or above. */
const FLIGHT_ORDER: readonly RdPriority[] = ['interactive', 'foreground', 'background'];
const FLIGHT_RANK: Readonly<Record<RdPriority, number>> = { interactive: 2, foreground: 1, background: 0 };
/** What playback reports for each kind of RD fault (realdebrid/policy.ts decides the fault, the wait and the sentence). */
const PLAY_KIND: Readonly<Record<RdFault, PlayErrorKind>> = {
  token: 'token',
  account: 'upstream',
  file: 'dead',
  blocked: 'blocked',
  gone: 'not-found',
  pacing: 'cooldown',
  traffic: 'fair-use',
  busy: 'upstream-busy',
  ours: 'upstream',
};

export interface ResolvedFile {
  video: Video;
  file: VideoFile;
  download: string;
  filename: string;
  filesize: number;
  mimeType: string | null;
}

export interface ResolveOptions {
  priority: RdPriority;
  reuseMs?: number;
  /**
   * The previous download URL failed at the CDN: unrestrict again. true: the CDN refused it;
   * 'unreachable': its host did not answer (the same URL again says nothing about the file).
   */
  refresh?: boolean | 'unreachable';
  /** The CDN's answer that made the refresh necessary, when known: only 404/410 can prove a file dead. */
  cdnStatus?: number;
}

export class Resolver {
  private flights = new Map<string, Promise<CachedUnrestrict>>();
  /** Links resting after the CDN refused the same URL twice (401/403): link -> until. */
  private readonly cdnBlocked = new Map<string, number>();
  private readonly matcher: PackMatcher;
  private readonly matchWaitMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      rd: RdClient | null;
      store: Store;
      catalog: Catalog;
      writer: LibraryWriter;
      sync: LibrarySync;
      logger: Logger;
      now?: () => number;
      /** The account brake: a play refused for fair use tells the player when background work resumes. */
      brake?: AccountBrake;
      /** Player waits (joining a background unrestrict, pack matching); default real timers. */
      setTimer?: (fn: () => void, ms: number) => unknown;
      matchWaitMs?: number;
    },
  ) {
    this.now = deps.now ?? Date.now;
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.matchWaitMs = deps.matchWaitMs ?? MATCH_WAIT_MS;
    this.matcher = new PackMatcher({
      store: deps.store,
      writer: deps.writer,
      logger: deps.logger,
      unrestrict: (link) => this.unrestrict(link, { priority: 'background', reuseMs: BACKGROUND_REUSE_MS }),
    });
  }

  /** The file of a video by RD file id (videos, subtitles or scripts). */
  findFile(video: Video, fileId: number): VideoFile | null {
    return [...video.videos, ...video.subtitles, ...video.scripts].find((f) => f.fileId === fileId) ?? null;
  }

  /** Makes sure the video's file list is known (one info call when cold). */
  async withFiles(video: Video, priority: RdPriority): Promise<Video> {
    if (video.filesKnown) return video;
    const summary = this.deps.catalog.summaryOf(video);
    if (!summary) throw new PlayError('not-found', 'This video is no longer in the Real-Debrid library.');
    try {
      await this.deps.sync.ensureInfo(summary, priority);
    } catch (err) {
      // A 404 on the info: RD deleted the torrent (the sync has taken it out of the library).
      if (err instanceof RdError && err.kind === 'not_found') throw removedError();
      throw this.fromRd(err);
    }
    return this.deps.catalog.get(video.id) ?? video;
  }

  /**
   * For a player about to list a video's media: its file list, and when RD gave fewer links than
   * files (positions cannot be trusted), the links matched to files by name first, so every
   * offered entry streams its own file. Costs RD calls only for such torrents, once.
   */
  async forPlayback(video: Video, priority: RdPriority): Promise<Video> {
    const known = await this.withFiles(video, priority);
    if (!known.videos.some((f) => f.linkState === 'unmatched')) return known;
    return this.matchByName(known, priority);
  }

  async resolve(videoId: string, fileId: number, opts: ResolveOptions): Promise<ResolvedFile> {
    if (!this.deps.rd?.hasToken) throw new PlayError('token', 'No Real-Debrid token is configured (set RD_API_TOKEN).');
    const found = this.deps.catalog.get(videoId);
    if (!found) throw new PlayError('not-found', this.unknownMessage(videoId));
    const quick = await this.fromListing(found, fileId, opts);
    if (quick) return quick;
    let video = await this.withFiles(found, opts.priority);
    let file = this.findFile(video, fileId) ?? renamedSingleFile(video, fileId);
    if (!file) throw new PlayError('not-found', 'This video has no such file.');
    if (file.linkState === 'archive') {
      throw new PlayError('archive', 'Real-Debrid packed these files into one archive; it cannot be streamed. Re-add the torrent selecting a single video.');
    }
    if (file.linkState === 'missing') throw new PlayError('missing-link', 'Real-Debrid has no download link for this file.');
    if (file.linkState === 'unmatched' || !file.link) {
      video = await this.matchByName(video, opts.priority);
      file = this.findFile(video, fileId);
      if (!file?.link || file.linkState === 'unmatched') throw this.unmatchedError(video);
    }
    return resolvedFile(video, file, await this.unrestrictVerified(video, file, opts));
  }

  /** Why a video id is not in the library: its torrent was removed from Real-Debrid, or it was never known. */
  unknownMessage(videoId: string): string {
    return this.deps.store.library.removedVideo(videoId) ? REMOVED_MESSAGE : 'Unknown video.';
  }

  /**
   * A single-file torrent whose file list is not loaded yet: RD's listing already names its one
   * file (the torrent takes the file's name), its size and its one link, so the link is
   * unrestricted without asking for the file list first; one RD call instead of two for a first
   * play, thumbnail or probe (the first screen of a fresh install was bound by those calls: 24 cards,
   * 48 calls, 26 s at RD's 20 calls per 10 s). Kept only when RD's answer names that file with that
   * size; anything else (an archive, a renamed file) goes the long way, which finds the unrestrict
   * cached. Null when the shortcut does not apply.
   */
  private async fromListing(video: Video, fileId: number, opts: ResolveOptions): Promise<ResolvedFile | null> {
    if (video.filesKnown || video.videos.length !== 1) return null;
    const file = this.findFile(video, fileId) ?? renamedSingleFile(video, fileId);
    if (!file?.link || file.linkState !== 'positional') return null;
    const u = await this.unrestrict(normalizeLink(file.link), opts);
    return verifyUnrestrict({ path: file.path, bytes: file.bytes }, u) ? resolvedFile(video, file, u) : null;
  }

  private async unrestrictVerified(video: Video, file: VideoFile, opts: ResolveOptions): Promise<CachedUnrestrict> {
    const link = normalizeLink(file.link!);
    const u = await this.unrestrict(link, opts);
    if (verifyUnrestrict({ path: file.path, bytes: file.bytes }, u)) return u;
    // RD's link order did not match the file order: switch this torrent to name matching.
    this.deps.logger.warn({ video: video.id, file: file.fileId }, 'unrestrict result does not match the expected file; matching links by name');
    const rematched = await this.matchByName(video, opts.priority);
    const again = this.findFile(rematched, file.fileId);
    if (!again?.link || normalizeLink(again.link) === link) {
      throw new PlayError('missing-link', 'Real-Debrid has no download link matching this file.');
    }
    const u2 = await this.unrestrict(normalizeLink(again.link), opts);
    if (!verifyUnrestrict({ path: again.path, bytes: again.bytes }, u2)) {
      throw new PlayError('missing-link', 'Real-Debrid has no download link matching this file.');
    }
    return u2;
  }

  /**
   * Name-matching mode (./pack-matcher.ts): starts or joins the slow background matching of the
   * torrent's links; a player waits for it up to `matchWaitMs` and gets what is matched by then.
   */
  private async matchByName(video: Video, priority: RdPriority): Promise<Video> {
    const summary = this.deps.catalog.summaryOf(video);
    const info: TorrentInfo | null = summary ? this.deps.store.library.getInfo(summary.id) : null;
    if (!summary || !info) throw new PlayError('not-ready', 'The file list of this torrent is not known yet.');
    const job = this.matcher.start(info);
    if (priority === 'background') await job.promise;
    else await settleWithin(job.promise, this.matchWaitMs, this.setTimer);
    return this.deps.catalog.get(video.id) ?? video;
  }

  /** Why a file of a pack has no link yet: matching still runs (retry soon) or could not find one. */
  private unmatchedError(video: Video): PlayError {
    const summary = this.deps.catalog.summaryOf(video);
    const job = summary ? this.matcher.running(summary.id) : null;
    if (job) {
      return new PlayError('not-ready', `This pack's files are being matched to Real-Debrid's links (${job.done} of ${job.total} done); try this file again in a minute.`, MATCH_RETRY_MS);
    }
    return new PlayError('missing-link', 'Real-Debrid has no download link for this file.');
  }

  /** Cached or fresh unrestrict of one normalised link; concurrent callers share one RD call. */
  private unrestrict(link: string, opts: ResolveOptions): Promise<CachedUnrestrict> {
    const blockedUntil = this.cdnBlocked.get(link);
    if (blockedUntil !== undefined && this.now() < blockedUntil) {
      return Promise.reject(
        new PlayError('upstream-busy', "Real-Debrid's download server refuses this file for now (a temporary block); it is tried again in a few minutes.", blockedUntil - this.now()),
      );
    }
    const bad = this.deps.store.links.badState(link);
    if (bad && this.now() - bad.at < BAD_LINK_RETRY_MS) {
      return Promise.reject(
        bad.kind === 'dead' ? new PlayError('dead', RD_POLICY.dead.sentence) : new PlayError('blocked', RD_POLICY.blocked.sentence),
      );
    }
    const reuseMs = opts.reuseMs ?? INTERACTIVE_REUSE_MS;
    const cached = this.deps.store.links.get(link);
    if (cached && !opts.refresh && this.now() - cached.generatedAt < reuseMs) return Promise.resolve(cached);
    // A caller joins a flight of its own class or a higher one. A higher caller (a player) joins a
    // lower flight for the same link (a probe started when the video was opened) only briefly:
    // that call may sit in a slower lane, so after JOIN_BACKGROUND_MS it makes its own call.
    const refresh = opts.refresh ?? false;
    const status = opts.cdnStatus ?? null;
    const mine = FLIGHT_RANK[opts.priority];
    for (const p of FLIGHT_ORDER) {
      const f = FLIGHT_RANK[p] >= mine ? this.flights.get(`${p} ${link}`) : undefined;
      if (f) return f;
    }
    const own = `${opts.priority} ${link}`;
    const lower = FLIGHT_ORDER.map((p) => this.flights.get(`${p} ${link}`)).find((f) => f !== undefined);
    if (!lower) return this.fly(own, link, opts.priority, cached, refresh, status);
    return settleWithin(lower, JOIN_BACKGROUND_MS, this.setTimer).then((u) => u ?? this.flights.get(own) ?? this.fly(own, link, opts.priority, cached, refresh, status));
  }

  private fly(key: string, link: string, priority: RdPriority, cached: CachedUnrestrict | null, refresh: boolean | 'unreachable', cdnStatus: number | null): Promise<CachedUnrestrict> {
    const flight = this.callRd(link, priority, cached?.download ?? null, refresh, cdnStatus).finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }

  private async callRd(link: string, priority: RdPriority, previous: string | null, refresh: boolean | 'unreachable', cdnStatus: number | null): Promise<CachedUnrestrict> {
    try {
      const r = await this.deps.rd!.unrestrictLink(link, priority);
      const u: CachedUnrestrict = {
        link,
        download: r.download,
        filename: r.filename,
        filesize: r.filesize,
        mimeType: r.mimeType ?? null,
        generatedAt: this.now(),
      };
      if (refresh === true && previous !== null && u.download === previous) {
        if (cdnStatus === 404 || cdnStatus === 410) {
          this.markBad(link, 'dead');
          throw new PlayError('dead', 'Real-Debrid keeps returning a download URL that does not work.');
        }
        this.cdnBlocked.set(link, this.now() + CDN_BLOCK_MS);
        throw new PlayError('upstream-busy', "Real-Debrid's download server refuses this file for now (a temporary block); it is tried again in a few minutes.", CDN_BLOCK_MS);
      }
      this.cdnBlocked.delete(link);
      this.deps.store.links.put(u);
      this.deps.writer.linkState(link, null, this.now());
      return u;
    } catch (err) {
      throw this.fromRd(err, link);
    }
  }

  /** Remembers what RD said about a link; the catalog stops offering its file (writer.ts). */
  private markBad(link: string, kind: 'dead' | 'blocked'): void {
    this.deps.writer.linkState(link, kind, this.now());
  }

  private fromRd(err: unknown, link?: string): PlayError {
    if (err instanceof PlayError) return err;
    if (!(err instanceof RdError)) return new PlayError('upstream', 'Real-Debrid request failed.');
    const policy = rdPolicy(err);
    // A dead or blocked link is remembered, so players are not sent to RD for it again for a while.
    if (link && (policy.fault === 'file' || policy.fault === 'blocked')) this.markBad(link, policy.fault === 'file' ? 'dead' : 'blocked');
    if (policy.fault === 'traffic') {
      // Tried once (fair-use answers are never resent); the account brake now holds all background work.
      return new PlayError(
        'fair-use',
        `Real-Debrid refused this play: its traffic / fair-use limit is reached${err.rdCode !== null ? ` (RD error ${err.rdCode})` : ''}. Background work is paused for an hour; try the video again later.`,
        this.deps.brake?.waitMs(this.now()) || retryAfterOf(err),
      );
    }
    return new PlayError(PLAY_KIND[policy.fault], policy.sentence, retryAfterOf(err));
  }
}

/**
 * RD renames a torrent to its file's name when one file is selected; before its file list was
 * loaded such an entry was offered as file 1 (library/video.ts draftsFromSummary), and players
 * keep that address. When file 1 turns out not to be a playable file but the torrent has exactly
 * one video, that video is what the address meant.
 */
function renamedSingleFile(video: Video, fileId: number): VideoFile | null {
  return fileId === 1 && video.videos.length === 1 ? (video.videos[0] ?? null) : null;
}

/** What a person is told about a video whose torrent was removed from Real-Debrid (its row stays 30 days, so this is told, not guessed). */
export const REMOVED_MESSAGE = 'This video was removed from Real-Debrid, so it has left the library. Re-add the torrent on Real-Debrid to get it back (favorites, ratings and resume points are kept).';

/** The answer of resolve(): the file and RD's unrestrict of its link. */
function resolvedFile(video: Video, file: VideoFile, u: CachedUnrestrict): ResolvedFile {
  return { video, file, download: u.download, filename: u.filename, filesize: u.filesize, mimeType: u.mimeType };
}

/** What a player hears for a torrent deleted on RD. */
function removedError(): PlayError {
  return new PlayError('not-found', REMOVED_MESSAGE);
}

/** The promise's value if it succeeds within `ms`, else null (a failure or a late answer leaves the caller to try itself). */
function settleWithin<T>(p: Promise<T>, ms: number, setTimer: (fn: () => void, ms: number) => unknown): Promise<T | null> {
  return new Promise((resolve) => {
    setTimer(() => resolve(null), ms); // a late timer resolves nothing: the promise settled first
    p.then(resolve, () => resolve(null));
  });
}
