// The public contract of the fake Real-Debrid server: tests, benchmarks and the demo code
// against these names, so they change only by addition. index.ts re-exports all of them.

export interface FakeFileSpec {
  /** As RD gives it, starting with "/" (e.g. "/Pack/Scene01.8K.LR.mp4"). */
  path: string;
  /** Declared size; default: size of `source` if given, else 50_000_000. */
  bytes?: number;
  /** Default true. */
  selected?: boolean;
  /** Absolute path of a real local file the CDN serves (padded deterministically when `bytes` is larger). */
  source?: string;
}

/**
 * How restricted links relate to the selected files:
 *  'normal' one link per selected file, in API order;
 *  'archive' one link for all selected files, unrestricting to `<filename>.rar`;
 *  'missing-link' one selected file has no link (`missingIndex`, default the last);
 *  'dead' links unrestrict to 503 hoster_unavailable/19;
 *  'infringing' unrestrict answers 451 infringing_file/35;
 *  'unavailable' unrestrict answers 503 unavailable_file/24.
 */
export type FakeLinkMode = 'normal' | 'archive' | 'missing-link' | 'dead' | 'infringing' | 'unavailable';

export interface FakeTorrentSpec {
  /** Default: 13 uppercase alnum chars, deterministic. */
  id?: string;
  /** 40 hex; default deterministic from the filename. */
  hash?: string;
  filename: string;
  /** `original_filename` in info; default `filename`. */
  originalFilename?: string;
  /** Default 'downloaded'. */
  status?: string;
  /** ISO date; default spaced back in time from "now". */
  added?: string;
  files: FakeFileSpec[];
  linkMode?: FakeLinkMode;
  /** For 'missing-link': index among the SELECTED files whose link is absent. */
  missingIndex?: number;
  /** 26-char restricted link ids (clients must truncate to 13). */
  longLinkIds?: boolean;
  /** mediaInfos answers 503 for this torrent's downloads (RD found no metadata). */
  noMediaInfo?: boolean;
  /** RD renames a torrent to its file's name when exactly one file is selected (go-debrid's API
   *  notes): the listed filename becomes that file's name, `original_filename` keeps `filename`. */
  renamedToFile?: boolean;
}

/**
 * A bad /torrents page, as RD and its peers' trackers show them: 200 `{}` (DMM: "occasionally
 * returns a non-array body"), 204 (Decypharr treats it as an empty page), an HTML page with 200,
 * a JSON non-array, a page shorter than the total says, or a page that repeats ids of the page before.
 */
export type FakeListFaultKind = 'object' | '204' | 'html' | 'not-array' | 'short' | 'repeat';

export type FakeRoute =
  | 'user'
  | 'torrents'
  | 'info'
  | 'unrestrict'
  | 'downloads'
  | 'delete'
  | 'addMagnet'
  | 'selectFiles'
  | 'activeCount'
  | 'mediaInfos'
  | 'time'
  | 'other';

export interface FakeRateLimit {
  max: number;
  windowMs: number;
  /** A second, short window (DMM: "RD allows ~22 requests per 10s"); refused calls count in both. */
  shortWindow?: { max: number; windowMs: number };
  /** Send `Retry-After: <s>` on refusals when set (RD's real behaviour is unknown; off by default). */
  retryAfterSeconds?: number;
  /** Status used with error_code 34; default 429. */
  code34Status?: number;
  /** After `count` refusals inside the window, refuse everything for `blockMs` (refusals extend it). */
  blockAfterRefusals?: { count: number; blockMs: number };
  /** Whether a 304 answer is charged to the budget; default true. */
  charge304?: boolean;
}

export interface FakeRdOptions {
  /** Default 'FAKE0TOKEN0123456789'. */
  token?: string;
  torrents?: FakeTorrentSpec[];
  /** Default { max: 250, windowMs: 60_000 }; refused requests count too. */
  rateLimit?: FakeRateLimit | false;
  /** Added per API call (not CDN). */
  latencyMs?: number | Partial<Record<FakeRoute, number>>;
  /** CDN download URL lifetime, default 4 h; expired -> 404 (or `expiredStatus`). */
  linkTtlMs?: number;
  /** Status for an expired CDN URL; default 404. */
  expiredStatus?: 404 | 403 | 410;
  /** Clamp for `limit`, default 5000. */
  maxPageSize?: number;
  /** Clock for expiry, rate limit, `added` defaults and magnet progression; default Date.now. */
  now?: () => number;
  /** Timer for injected latency (latencyMs, slowUnrestrict): pass a manual clock's so delays cost no real time. Default setTimeout. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  /** free -> 403 on torrents/unrestrict/downloads; locked -> 403 permission_denied/9 everywhere. */
  accountType?: 'premium' | 'free' | 'locked';
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (random). */
  port?: number;
  /** Seed for generated ids (torrents without id, download ids, fault PRNG); default 1. */
  seed?: number;
  /** Active-torrent cap reported by activeCount; addMagnet answers 509 at the cap. Default 10. */
  activeLimit?: number;
  /** addMagnet answers 451 infringing_file/35 when the magnet's name matches. */
  infringingPattern?: RegExp | null;
  /** Added torrents: magnet_conversion for `conversionMs`, then waiting_files_selection; after
   *  selectFiles, downloading for `downloadMs`, then downloaded. Default { 1000, 3000 }. */
  magnetTimings?: { conversionMs: number; downloadMs: number };
}

export interface FakeRequestLog {
  at: number;
  method: string;
  route: FakeRoute | 'cdn';
  /** Path with query; an `auth_token` value is replaced by "[redacted]". */
  path: string;
  /** 0 while the request is still unanswered (e.g. a hung route). */
  status: number;
  /** API: a valid token was presented. CDN: the download URL was known and unexpired. */
  authorized: boolean;
  /** When the answer was sent (fake clock); absent while unanswered. */
  doneAt?: number;
}

export interface FakeFaults {
  latencyMs: FakeRdOptions['latencyMs'];
  rateLimit: FakeRdOptions['rateLimit'];
  /** 0..1: answer 502 with an HTML body (no error_code) for that share of API calls (deterministic PRNG). */
  htmlErrorRate: number;
  failNext: { route: FakeRoute; status: number; body?: unknown; times: number } | null;
  /** Never answer that route (client timeout tests). */
  hang: FakeRoute | null;
  cdnIgnoreRange: boolean;
  cdnOmitAcceptRanges: boolean;
  /** How an empty /torrents page is answered: 204, 200 `{}`, or (null) 200 `[]`. */
  emptyPage: '204' | 'object' | null;
  /** After this many CDN bytes, unrestrict -> 503 fair_usage_limit/36. */
  fairUseAfterBytes: number | null;
  /** When set, unrestrict -> 403 `ip_not_allowed_<ip>`/22. */
  ipNotAllowed: string | null;
  /** Max concurrent CDN responses per download id (RD's `chunks`); beyond -> 503. null = no cap. Default 16. */
  cdnConnectionCap: number | null;
  /** Destroy the connection after this many body bytes of each CDN response (reset mid-body). */
  cdnResetAfterBytes: number | null;
  /** The next `times` /torrents pages after the first (or including it with `firstPage`) answer badly. */
  listFault: { kind: FakeListFaultKind; times: number; firstPage?: boolean } | null;
  /** Added to X-Total-Count (a total that lies); with `afterFirstPage` only on later pages (a total that changes mid-listing). */
  totalCountLie: { delta: number; afterFirstPage?: boolean } | null;
  /** A 304 on /torrents carries no X-Total-Count (the head page's ETag says nothing about deletions deeper down). */
  notModifiedWithoutTotal: boolean;
  /** Each unrestrict takes a delay drawn from [minMs, maxMs] on the fake's timer (RD at 5-8 s). */
  slowUnrestrict: { minMs: number; maxMs: number } | null;
  /** The CDN refuses every download with this status (RD's CDN blocks for 20-30 min, rdt-client #255). */
  cdnDenied: 401 | 403 | null;
  /** Unrestrict hands back the newest download already minted for the link (the same URL again). */
  sameDownloadOnUnrestrict: boolean;
  /** After `after` successful unrestricts, every unrestrict answers traffic code 23 or fair-use 36. */
  fairUseAfterUnrestricts: { after: number; code: 23 | 36 } | null;
  /**
   * Base of the download URLs minted from now on, instead of the fake's own address: a host that
   * refuses connections or never answers (a download node gone, or the demo's previous fake RD
   * whose port is closed after a restart). null = the fake itself.
   */
  cdnBaseUrl: string | null;
}

export interface FakeRd {
  url: string;
  apiUrl: string;
  token: string;
  requests: FakeRequestLog[];
  count(route?: FakeRoute | 'cdn'): number;
  clearLog(): void;
  torrents(): FakeTorrentSpec[];
  addTorrent(spec: FakeTorrentSpec): FakeTorrentSpec;
  removeTorrent(id: string): void;
  setToken(token: string): void;
  setFault(f: Partial<FakeFaults>): void;
  directUrl(torrentId: string, fileId: number): string;
  /** Requests received and neither answered nor abandoned by the client yet (hung ones included). */
  openRequests(): number;
  /** Of the open requests, those hung on purpose by the `hang` fault or waiting on the fake's timer (latency, slowUnrestrict). */
  hangingRequests(): number;
  cdnBytesServed(): number;
  cdnBytesFor(urlOrDownloadId: string): number;
  /** Successful unrestricts so far (the base of `fairUseAfterUnrestricts`). */
  unrestrictsServed(): number;
  close(): Promise<void>;
}
