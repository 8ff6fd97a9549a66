// Packs whose links are fewer than their files (issue 12 item 4): RD's link order cannot be
// trusted, so each link is unrestricted once and matched to a file by name and size. Done at once
// for a 40-file pack opened in HereSphere, that was 33 unrestricts in 9 s at interactive priority:
// the burst RD users report before fair-use errors (rdt-client #433, #789). DMM and Decypharr refuse
// such packs; Zurg matches them in a slow repair. Here matching is slow and progressive: at most
// MATCH_IN_FLIGHT unrestricts at a time, always in the background lane (paced 3 per 10 s, braked,
// capped per day by the scheduler), every result applied as it comes, unrestricts already cached
// reused without a call. A player waits for it only up to a deadline and gets what is matched;
// the rest is matched in the background and appears on the next open.
import type { Logger } from 'pino';
import type { Store } from '../store/index.ts';
import type { LibraryWriter } from '../catalog/writer.ts';
import type { TorrentInfo } from '../library/model.ts';
import { normalizeLink } from '../library/links.ts';
import { isArchiveName, matchUnrestricted } from '../library/mapping.ts';
import { PlayError } from './errors.ts';

/** Unrestricts of one pack in flight at once. */
export const MATCH_IN_FLIGHT = 2;

interface Result {
  index: number;
  link: string;
  filename: string;
  filesize: number;
}

export interface MatchJob {
  /** Links tried so far (cached ones count at once) and in all. */
  done: number;
  total: number;
  finished: boolean;
  /** Settles (never rejects) when every link was tried or the job stopped (brake, RD trouble). */
  promise: Promise<void>;
  /** Why the job stopped early, for the player's message. */
  stoppedBy: string | null;
}

export interface PackMatcherDeps {
  store: Store;
  /** Matches are written through the library's one writer (store + catalog). */
  writer: Pick<LibraryWriter, 'putMatches'>;
  logger: Logger;
  /** One normalised link at background priority (the resolver's cache and singleflight included). */
  unrestrict: (link: string) => Promise<{ filename: string; filesize: number }>;
}

export class PackMatcher {
  private readonly jobs = new Map<string, MatchJob>();

  constructor(private readonly deps: PackMatcherDeps) {}

  /** The job still running for this torrent, or null. */
  running(torrentId: string): MatchJob | null {
    const job = this.jobs.get(torrentId);
    return job && !job.finished ? job : null;
  }

  /** The running job of this torrent, or a new one (a finished job is started again: links may have come back). */
  start(info: TorrentInfo): MatchJob {
    const running = this.jobs.get(info.id);
    if (running && !running.finished) return running;
    const job: MatchJob = { done: 0, total: info.links.length, finished: false, promise: Promise.resolve(), stoppedBy: null };
    job.promise = this.run(info, job).finally(() => {
      job.finished = true;
      if (this.jobs.get(info.id) === job) this.jobs.delete(info.id);
    });
    this.jobs.set(info.id, job);
    return job;
  }

  private async run(info: TorrentInfo, job: MatchJob): Promise<void> {
    const links = info.links.map(normalizeLink);
    const results: Result[] = [];
    const todo: number[] = [];
    links.forEach((link, index) => {
      // filename and size of an unrestrict never expire, only its download URL does
      const cached = this.deps.store.links.get(link);
      if (cached) results.push({ index, link, filename: cached.filename, filesize: cached.filesize });
      else todo.push(index);
    });
    job.done = results.length;
    if (results.length > 0) this.apply(info, results);
    const worker = async (): Promise<void> => {
      for (let i = todo.shift(); i !== undefined && job.stoppedBy === null; i = todo.shift()) {
        const link = links[i]!;
        try {
          const u = await this.deps.unrestrict(link);
          results.push({ index: i, link, filename: u.filename, filesize: u.filesize });
          this.apply(info, results);
        } catch (err) {
          // A dead or blocked link matches nothing; anything else (brake, RD trouble) stops the job.
          if (!(err instanceof PlayError && (err.kind === 'dead' || err.kind === 'blocked'))) {
            job.stoppedBy = err instanceof Error ? err.message : String(err);
          }
        }
        job.done++;
      }
    };
    await Promise.all(Array.from({ length: MATCH_IN_FLIGHT }, worker));
    if (job.stoppedBy) this.deps.logger.info({ torrent: info.id, done: job.done, total: job.total, reason: job.stoppedBy }, 'pack matching paused');
  }

  /** Matches what is known so far, in RD's link order (ties of name and size go by that order). */
  private apply(info: TorrentInfo, results: Result[]): void {
    const ordered = [...results].sort((a, b) => a.index - b.index).filter((r) => !isArchiveName(r.filename));
    const matches = matchUnrestricted(info.files.filter((f) => f.selected), ordered);
    if (matches.size === 0) return;
    this.deps.writer.putMatches(info, matches);
  }
}
