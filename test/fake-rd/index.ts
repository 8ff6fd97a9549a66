// Entry point of the fake Real-Debrid server (API + CDN) used by tests, benchmarks and the demo:
// starts a plain node:http server on a random port and exposes the knobs tests drive it with.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PREFIX, handleApi, handleUnknown } from './api.ts';
import { handleCdn } from './cdn.ts';
import { downloadUrl } from './routes-links.ts';
import type { FakeCtx } from './context.ts';
import { mulberry32 } from './prng.ts';
import { SlidingWindowLimiter } from './rate-limit.ts';
import { LINK_PREFIX, LibraryState, type TorrentRec } from './state.ts';
import type { FakeFaults, FakeRd, FakeRdOptions, FakeRequestLog, FakeTorrentSpec } from './types.ts';

export type * from './types.ts';
export { generateLibrary } from './library-gen.ts';
export * from './fixtures.ts';
export { deterministicBytes } from './content.ts';

export const DEFAULT_TOKEN = 'FAKE0TOKEN0123456789';
const HOUR = 3_600_000;

function defaultFaults(opts: FakeRdOptions): FakeFaults {
  return {
    latencyMs: opts.latencyMs,
    rateLimit: opts.rateLimit === undefined ? { max: 250, windowMs: 60_000 } : opts.rateLimit,
    htmlErrorRate: 0,
    failNext: null,
    hang: null,
    cdnIgnoreRange: false,
    cdnOmitAcceptRanges: false,
    emptyPage: null,
    fairUseAfterBytes: null,
    ipNotAllowed: null,
    cdnConnectionCap: 16,
    cdnResetAfterBytes: null,
    listFault: null,
    totalCountLie: null,
    notModifiedWithoutTotal: false,
    slowUnrestrict: null,
    cdnDenied: null,
    sameDownloadOnUnrestrict: false,
    fairUseAfterUnrestricts: null,
    cdnBaseUrl: null,
  };
}

function redactPath(rawUrl: string, token: string): string {
  let p = rawUrl.replace(/([?&]auth_token=)[^&#]*/gi, '$1[redacted]');
  if (token) p = p.split(token).join('[redacted]');
  return p;
}

export async function startFakeRd(opts: FakeRdOptions = {}): Promise<FakeRd> {
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 1;
  const faults = defaultFaults(opts);
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const state = new LibraryState(now, seed, opts.magnetTimings ?? { conversionMs: 1000, downloadMs: 3000 });
  const start = now();
  (opts.torrents ?? []).forEach((spec, i) => state.add(spec, start - (i + 1) * HOUR));

  const ctx: FakeCtx = {
    state,
    faults,
    limiter: new SlidingWindowLimiter(() => faults.rateLimit, now),
    log: [],
    token: opts.token ?? DEFAULT_TOKEN,
    url: '',
    apiUrl: '',
    now,
    faultRand: mulberry32(seed ^ 0x51ed),
    cdnTotal: 0,
    unrestricts: 0,
    // A request waiting on the fake's timer counts as hanging: clock-driven tests may move time then.
    sleep: (ms) =>
      new Promise<void>((r) => {
        ctx.hanging++;
        setTimer(() => {
          ctx.hanging--;
          r();
        }, ms);
      }),
    open: 0,
    hanging: 0,
    opts: {
      accountType: opts.accountType ?? 'premium',
      maxPageSize: opts.maxPageSize ?? 5000,
      linkTtlMs: opts.linkTtlMs ?? 4 * HOUR,
      expiredStatus: opts.expiredStatus ?? 404,
      activeLimit: opts.activeLimit ?? 10,
      infringingPattern: opts.infringingPattern ?? null,
    },
  };

  const server = createServer((req, res) => {
    void dispatch(ctx, req, res);
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  ctx.url = `http://${host}:${addr.port}`;
  ctx.apiUrl = `${ctx.url}${API_PREFIX}`;

  const find = (id: string): TorrentRec => {
    const rec = state.byId.get(id);
    if (!rec) throw new Error(`fake-rd: unknown torrent ${id}`);
    return rec;
  };

  return {
    url: ctx.url,
    apiUrl: ctx.apiUrl,
    get token() {
      return ctx.token;
    },
    requests: ctx.log,
    count: (route) => ctx.log.filter((e) => (route === undefined ? e.route !== 'cdn' : e.route === route)).length,
    clearLog: () => {
      ctx.log.length = 0;
    },
    torrents: () => {
      // the live resolved specs, newest first: read them, don't mutate them
      state.advance();
      return state.order.map((r) => r.spec);
    },
    // without an explicit `added` a new torrent is the newest, even if fixtures were dated ahead of the clock
    addTorrent: (spec: FakeTorrentSpec) => state.add(spec, Math.max(now(), (state.order[0]?.addedMs ?? -Infinity) + 1000)).spec,
    removeTorrent: (id: string) => {
      state.remove(id);
    },
    setToken: (token: string) => {
      ctx.token = token;
    },
    setFault: (f: Partial<FakeFaults>) => {
      if ('rateLimit' in f) ctx.limiter.reset();
      Object.assign(faults, f);
    },
    directUrl: (torrentId: string, fileId: number) => {
      const rec = find(torrentId);
      if (!rec.spec.files[fileId - 1]) throw new Error(`fake-rd: torrent ${torrentId} has no file ${fileId}`);
      const link = rec.links.find((l) => l.target === fileId - 1);
      const dl = state.mint(rec, fileId - 1, link ? LINK_PREFIX + link.id : '', false);
      return downloadUrl(ctx, dl);
    },
    openRequests: () => ctx.open,
    hangingRequests: () => ctx.hanging,
    cdnBytesServed: () => ctx.cdnTotal,
    unrestrictsServed: () => ctx.unrestricts,
    cdnBytesFor: (urlOrId: string) => {
      const id = /\/d\/([^/]+)/.exec(urlOrId)?.[1] ?? urlOrId;
      return state.downloads.get(id)?.bytesServed ?? 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function dispatch(ctx: FakeCtx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? '/';
  const entry: FakeRequestLog = {
    at: ctx.now(),
    method: req.method ?? 'GET',
    route: 'other',
    path: redactPath(raw, ctx.token),
    status: 0,
    authorized: false,
  };
  ctx.log.push(entry);
  ctx.open++;
  let open = true;
  const done = (): void => {
    if (open) ctx.open--;
    open = false;
  };
  res.once('finish', () => {
    entry.status = res.statusCode;
    entry.doneAt = ctx.now();
    done();
  });
  res.once('close', () => {
    if (res.headersSent) entry.status = res.statusCode;
    done();
  });
  try {
    const url = new URL(raw, 'http://fake-rd.invalid');
    if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) await handleApi(ctx, req, res, url, entry);
    else if (url.pathname.startsWith('/d/')) await handleCdn(ctx, req, res, url, entry);
    else handleUnknown(req, res);
  } catch {
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{\n\t"error": "internal_error",\n\t"error_code": -1\n}');
    } else res.destroy();
  }
}
