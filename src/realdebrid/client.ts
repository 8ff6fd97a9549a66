// Typed Real-Debrid API methods for the rest of the app: what each call is for decides its
// priority lane, deadline and whether it may be resent. The full listing is built to be cheap
// on the shared 250/min budget: the largest page RD accepts, two pages in flight, and a single
// redo when the library moved under the scan. Interactive calls (a headset waiting on /play or an
// opened video) get one short overall deadline; background work keeps the patient policy.
import type { Logger } from '../log.ts';
import { RdError, RdTransientError } from './errors.ts';
import { RdHttp, type RdRequest } from './http.ts';
import type { RdPriority, RdScheduler } from './scheduler.ts';
import type { RdTorrent, RdTorrentInfo, RdUnrestrict, RdUser } from './types.ts';

/** RD's documented maximum `limit` for GET /torrents. */
export const RD_MAX_PAGE_SIZE = 5000;
/** List pages fetched at the same time during a full listing. */
export const LIST_PAGES_IN_FLIGHT = 2;

/** How an interactive call may spend its time: all of it (queue, attempts, backoff) within `deadlineMs`. */
export interface RdInteractivePolicy {
  deadlineMs: number;
  /** One attempt's limit (also cut by what is left of the deadline). */
  attemptTimeoutMs: number;
  /** Backoff base: 0.5 s, 1.5 s, 4.5 s ±25 %, as long as the deadline leaves room. */
  baseDelayMs: number;
}

/**
 * A player waits at most this long for RD, then gets a clear error instead of hanging. One attempt
 * may take 10 s like DMM, Torrentio and Riven give an RD call (RD's unrestricts take 5-8 s at times:
 * a 5 s limit made three unrestricts reach RD for one play); a timed-out attempt is not resent
 * (a slow RD is not faster a second later), fast failures are, within the deadline.
 */
export const INTERACTIVE_POLICY: Readonly<RdInteractivePolicy> = Object.freeze({ deadlineMs: 11_000, attemptTimeoutMs: 10_000, baseDelayMs: 500 });

export interface RdClientOptions {
  baseUrl: string;
  token: string | null;
  scheduler: RdScheduler;
  logger?: Logger;
  /** default: user/info/unrestrict/delete (15 s); list: list pages (60 s); connect (5 s). */
  timeouts?: Partial<{ default: number; list: number; connect: number }>;
  retry?: { attempts?: number; baseDelayMs?: number };
  /** Interactive-priority calls; default INTERACTIVE_POLICY. */
  interactive?: Partial<RdInteractivePolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface RdTorrentPage {
  torrents: RdTorrent[];
  /** X-Total-Count; when RD omits it: the count seen so far. 0 when notModified without the header. */
  total: number;
  etag: string | null;
  notModified: boolean;
  /** A JSON array of torrents (or a 304): `{}`, 204, HTML and other shapes are unreadable, never "empty". */
  readable: boolean;
}

interface RawPage extends RdTorrentPage {
  totalHeader: number | null;
}

export class RdClient {
  private readonly http: RdHttp;
  private readonly logger: Logger | undefined;
  private readonly timeoutDefault: number;
  private readonly timeoutList: number;
  private readonly interactive: RdInteractivePolicy;

  constructor(opts: RdClientOptions) {
    this.logger = opts.logger;
    this.interactive = { ...INTERACTIVE_POLICY, ...opts.interactive };
    this.timeoutDefault = opts.timeouts?.default ?? 15_000;
    this.timeoutList = opts.timeouts?.list ?? 60_000;
    this.http = new RdHttp({
      baseUrl: opts.baseUrl,
      token: opts.token,
      scheduler: opts.scheduler,
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.timeouts?.connect !== undefined ? { connectTimeoutMs: opts.timeouts.connect } : {}),
      ...(opts.retry ? { retry: opts.retry } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  get hasToken(): boolean {
    return this.http.hasToken;
  }

  /** Deadline, attempt timeout and backoff for a call of this priority. */
  private timing(priority: RdPriority, timeoutMs: number): Pick<RdRequest, 'timeoutMs' | 'deadlineMs' | 'baseDelayMs'> {
    if (priority !== 'interactive') return { timeoutMs };
    const p = this.interactive;
    return { timeoutMs: Math.min(timeoutMs, p.attemptTimeoutMs), deadlineMs: p.deadlineMs, baseDelayMs: p.baseDelayMs };
  }

  async user(priority: RdPriority = 'foreground'): Promise<RdUser> {
    const res = await this.http.request({ method: 'GET', path: '/user', priority, ...this.timing(priority, this.timeoutDefault), idempotent: true });
    return expectObject<RdUser>(res.body, 'user');
  }

  async listTorrentsPage(
    args: { page: number; limit: number; etag?: string },
    priority: RdPriority = 'foreground',
  ): Promise<RdTorrentPage> {
    const { totalHeader: _, ...page } = await this.fetchPage(args, priority, false);
    return page;
  }

  /**
   * Every torrent, or an error: a listing is returned only when it is complete and consistent
   * (every page a JSON array of the length X-Total-Count implies, one total throughout, no id
   * twice). RD answers a page now and then with `{}`, 204, an HTML page or a short array (DMM,
   * Decypharr): read as "the end", that once emptied a 400-torrent library. One redo when the
   * library moved or a page was bad; a second bad pass throws, and the caller keeps what it had.
   */
  async listAllTorrents(
    priority: RdPriority = 'background',
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ torrents: RdTorrent[]; total: number; calls: number }> {
    const counter = { calls: 0 };
    const first = await this.scan(priority, counter, onProgress);
    if (first.problem === null) return { torrents: first.torrents, total: first.total, calls: counter.calls };
    this.logger?.info({ rd: { calls: counter.calls, problem: first.problem } }, 'rd listing not consistent; listing again');
    const second = await this.scan(priority, counter, onProgress);
    if (second.problem === null) return { torrents: second.torrents, total: second.total, calls: counter.calls };
    throw new RdTransientError(`Real-Debrid sent an incomplete torrent list twice (${second.problem}); the stored library is kept and the listing is tried again later`);
  }

  async torrentInfo(id: string, priority: RdPriority = 'foreground'): Promise<RdTorrentInfo> {
    const res = await this.http.request({
      method: 'GET',
      path: `/torrents/info/${encodeURIComponent(id)}`,
      priority,
      ...this.timing(priority, this.timeoutDefault),
      idempotent: true,
    });
    const info = expectObject<RdTorrentInfo>(res.body, 'torrent info');
    if (!Array.isArray(info.files)) info.files = [];
    if (!Array.isArray(info.links)) info.links = [];
    return info;
  }

  async unrestrictLink(link: string, priority: RdPriority = 'interactive'): Promise<RdUnrestrict> {
    const res = await this.http.request({
      method: 'POST',
      path: '/unrestrict/link',
      priority,
      ...this.timing(priority, this.timeoutDefault),
      idempotent: true,
      form: { link },
      ...(priority === 'background' ? { lane: 'unrestrict' as const } : {}),
    });
    const u = expectObject<RdUnrestrict>(res.body, 'unrestrict');
    if (typeof u.download !== 'string' || u.download === '') {
      throw new RdTransientError('Real-Debrid sent an unrestrict answer without a download URL', { status: res.status });
    }
    return u;
  }

  /** 'already-gone' when RD answers 404: what the caller wanted is true, so it is a success. */
  async deleteTorrent(id: string): Promise<'deleted' | 'already-gone'> {
    try {
      await this.http.request({
        method: 'DELETE',
        path: `/torrents/delete/${encodeURIComponent(id)}`,
        priority: 'interactive',
        ...this.timing('interactive', this.timeoutDefault),
        idempotent: false,
      });
      return 'deleted';
    } catch (err) {
      if (err instanceof RdError && err.kind === 'not_found') return 'already-gone';
      throw err;
    }
  }

  /** Releases pooled connections; the scheduler is owned by the caller. */
  close(): void {
    this.http.close();
  }

  private async fetchPage(args: { page: number; limit: number; etag?: string }, priority: RdPriority, retryThrottled: boolean): Promise<RawPage> {
    const limit = Math.max(1, Math.min(RD_MAX_PAGE_SIZE, Math.floor(args.limit)));
    const res = await this.http.request({
      method: 'GET',
      path: `/torrents?page=${Math.max(1, Math.floor(args.page))}&limit=${limit}`,
      priority,
      ...this.timing(priority, this.timeoutList),
      idempotent: true,
      retryThrottled,
      ...(args.etag ? { headers: { 'If-None-Match': args.etag } } : {}),
    });
    const totalHeader = parseCount(res.headers.get('x-total-count'));
    const etag = res.headers.get('etag');
    if (res.status === 304) {
      return { torrents: [], total: totalHeader ?? 0, totalHeader, etag: etag ?? args.etag ?? null, notModified: true, readable: true };
    }
    // 204, an empty body, `{}`, HTML or an array with non-torrents is never "no items": the caller decides.
    const readable = Array.isArray(res.body) && (res.body as unknown[]).every(isTorrent);
    const torrents = readable ? (res.body as RdTorrent[]) : [];
    const total = totalHeader ?? (args.page - 1) * limit + torrents.length;
    return { torrents, total, totalHeader, etag, notModified: false, readable };
  }

  /** One pass over every page; `problem` names the first inconsistency (null: complete and consistent). */
  private async scan(
    priority: RdPriority,
    counter: { calls: number },
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ torrents: RdTorrent[]; total: number; problem: string | null }> {
    const retryThrottled = priority !== 'interactive';
    let problem: string | null = null;
    const note = (p: string): void => {
      problem ??= p;
    };
    const pages = new Map<number, RdTorrent[]>();

    counter.calls++;
    const p1 = await this.fetchPage({ page: 1, limit: RD_MAX_PAGE_SIZE }, priority, retryThrottled);
    const total = p1.totalHeader;
    // An empty library may come as 204 or `{}`, but only X-Total-Count: 0 says it is empty.
    if (!p1.readable && total !== 0) return { torrents: [], total: 0, problem: 'page 1 is not a list' };
    pages.set(1, p1.torrents);
    // A server that caps `limit` below ours answers a short first page: page with its size.
    const short = p1.torrents.length < RD_MAX_PAGE_SIZE && (total ?? 0) > p1.torrents.length;
    const size = short && p1.torrents.length > 0 ? p1.torrents.length : RD_MAX_PAGE_SIZE;
    if (total !== null && total > 0 && p1.torrents.length === 0) note('page 1 is empty but X-Total-Count is not 0');
    let done = p1.torrents.length;
    onProgress?.(done, total ?? done);

    const lastPage = total !== null ? Math.ceil(total / size) : Infinity;
    let next = 2;
    let stop = p1.torrents.length === 0 || (total === null && p1.torrents.length < size);
    const worker = async (): Promise<void> => {
      while (!stop && problem === null && next <= lastPage) {
        const n = next++;
        counter.calls++;
        const page = await this.fetchPage({ page: n, limit: size }, priority, retryThrottled);
        if (!page.readable) note(`page ${n} is not a list`);
        else if (page.totalHeader !== total) note('X-Total-Count changed during the listing');
        else if (total !== null && page.torrents.length !== Math.min(size, total - (n - 1) * size)) note(`page ${n} is shorter or longer than X-Total-Count says`);
        pages.set(n, page.torrents);
        done += page.torrents.length;
        onProgress?.(done, total ?? done);
        if (page.torrents.length === 0 || (total === null && page.torrents.length < size)) stop = true;
      }
    };
    await Promise.all(Array.from({ length: LIST_PAGES_IN_FLIGHT }, worker));

    const byId = new Map<string, RdTorrent>();
    for (const n of [...pages.keys()].sort((a, b) => a - b)) {
      for (const t of pages.get(n)!) {
        if (byId.has(t.id)) note('an id came twice');
        else byId.set(t.id, t);
      }
    }
    if (total !== null && byId.size !== total) note(`${byId.size} torrents listed but X-Total-Count says ${total}`);
    return { torrents: [...byId.values()], total: total ?? byId.size, problem };
  }
}

function parseCount(v: string | null): number | null {
  if (v === null || !/^\s*\d+\s*$/.test(v)) return null;
  return Number(v);
}

function isTorrent(t: unknown): t is RdTorrent {
  return t !== null && typeof t === 'object' && typeof (t as { id?: unknown }).id === 'string';
}

function expectObject<T>(body: unknown, what: string): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RdTransientError(`Real-Debrid sent an unreadable ${what} answer`);
  }
  return body as T;
}
