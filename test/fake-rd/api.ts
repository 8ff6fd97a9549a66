// The fake RD REST tree under /rest/1.0: one route table, then the order every call goes
// through (hang, budget, latency, injected faults, auth, handler), like the real service's edge.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Call, FakeCtx } from './context.ts';
import { RD_ERRORS, defaultErrorFor } from './errors.ts';
import { sendError, sendHtmlError, sendJson, sendRaw } from './http-util.ts';
import * as L from './routes-links.ts';
import * as T from './routes-torrents.ts';
import type { FakeRequestLog, FakeRoute } from './types.ts';

/** Who may call: anyone; any valid token (locked -> 403); premium only (free -> 403 too). */
type Access = 'none' | 'account' | 'premium';

interface RouteRow {
  method: string;
  pattern: RegExp;
  route: FakeRoute;
  access: Access;
  handler: (c: Call) => number | Promise<number>;
}

const ID = '([^/]+)';
const ROUTES: RouteRow[] = [
  { method: 'GET', pattern: /^\/time$/, route: 'time', access: 'none', handler: L.time },
  { method: 'GET', pattern: /^\/time\/iso$/, route: 'time', access: 'none', handler: L.timeIso },
  { method: 'GET', pattern: /^\/user$/, route: 'user', access: 'account', handler: L.user },
  { method: 'GET', pattern: /^\/torrents$/, route: 'torrents', access: 'premium', handler: T.listTorrents },
  { method: 'GET', pattern: new RegExp(`^/torrents/info/${ID}$`), route: 'info', access: 'premium', handler: T.info },
  { method: 'GET', pattern: /^\/torrents\/activeCount$/, route: 'activeCount', access: 'premium', handler: T.activeCount },
  { method: 'GET', pattern: /^\/torrents\/availableHosts$/, route: 'other', access: 'premium', handler: L.availableHosts },
  { method: 'GET', pattern: /^\/torrents\/instantAvailability(\/.*)?$/, route: 'other', access: 'premium', handler: T.instantAvailability },
  { method: 'DELETE', pattern: new RegExp(`^/torrents/delete/${ID}$`), route: 'delete', access: 'premium', handler: T.deleteTorrent },
  { method: 'POST', pattern: /^\/torrents\/addMagnet$/, route: 'addMagnet', access: 'premium', handler: T.addMagnet },
  { method: 'POST', pattern: new RegExp(`^/torrents/selectFiles/${ID}$`), route: 'selectFiles', access: 'premium', handler: T.selectFiles },
  { method: 'POST', pattern: /^\/unrestrict\/link$/, route: 'unrestrict', access: 'premium', handler: L.unrestrict },
  { method: 'GET', pattern: /^\/downloads$/, route: 'downloads', access: 'account', handler: L.listDownloads },
  { method: 'DELETE', pattern: new RegExp(`^/downloads/delete/${ID}$`), route: 'downloads', access: 'account', handler: L.deleteDownload },
  { method: 'GET', pattern: new RegExp(`^/streaming/mediaInfos/${ID}$`), route: 'mediaInfos', access: 'account', handler: L.mediaInfosRoute },
  { method: 'GET', pattern: new RegExp(`^/streaming/transcode/${ID}$`), route: 'other', access: 'account', handler: L.transcodeRoute },
];

export const API_PREFIX = '/rest/1.0';

function match(method: string, path: string): { row: RouteRow; params: string[] } | { wrongMethod: RouteRow } | undefined {
  let wrong: RouteRow | undefined;
  for (const row of ROUTES) {
    const m = row.pattern.exec(path);
    if (!m) continue;
    const params = m.slice(1).map((p) => safeDecode(p ?? ''));
    if (row.method === method || (method === 'HEAD' && row.method === 'GET')) return { row, params };
    wrong ??= row;
  }
  return wrong ? { wrongMethod: wrong } : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Token from `Authorization: Bearer …` or `?auth_token=` (RD accepts both). */
function presentedToken(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^\s*Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1] ?? query.get('auth_token') ?? undefined;
}

function latencyFor(ctx: FakeCtx, route: FakeRoute): number {
  const l = ctx.faults.latencyMs;
  if (typeof l === 'number') return l;
  return l?.[route] ?? 0;
}

export async function handleApi(ctx: FakeCtx, req: IncomingMessage, res: ServerResponse, url: URL, entry: FakeRequestLog): Promise<void> {
  const method = (typeof req.headers['x-http-verb'] === 'string' ? req.headers['x-http-verb'] : req.method ?? 'GET').toUpperCase();
  const path = url.pathname.slice(API_PREFIX.length) || '/';
  const found = match(method, path.replace(/\/+$/, '') || '/');
  const route: FakeRoute = found ? ('row' in found ? found.row.route : found.wrongMethod.route) : 'other';
  entry.route = route;
  const token = presentedToken(req, url.searchParams);
  entry.authorized = token !== undefined && token === ctx.token;

  if (ctx.faults.hang === route) {
    // never answer; the socket stays open until the client gives up
    ctx.hanging++;
    res.once('close', () => ctx.hanging--);
    return;
  }

  const key = token ?? '(anonymous)';
  const decision = ctx.limiter.take(key);
  const delay = latencyFor(ctx, route);
  if (delay > 0) await ctx.sleep(delay);

  if (!decision.allowed) {
    const headers = decision.retryAfterSeconds !== undefined ? { 'Retry-After': decision.retryAfterSeconds } : undefined;
    const cfg = ctx.faults.rateLimit;
    const status = (cfg && cfg.code34Status) || 429;
    sendError(req, res, RD_ERRORS.tooManyRequests, { status, headers });
    return;
  }
  const rate = ctx.faults.htmlErrorRate;
  if (rate > 0 && ctx.faultRand() < rate) {
    sendHtmlError(res, 502);
    return;
  }
  const fail = ctx.faults.failNext;
  if (fail && fail.route === route && fail.times > 0) {
    fail.times -= 1;
    if (fail.times <= 0) ctx.faults.failNext = null;
    if (fail.body !== undefined) sendRaw(res, fail.status, fail.body);
    else sendError(req, res, defaultErrorFor(fail.status), { status: fail.status });
    return;
  }

  if (!found) {
    sendError(req, res, RD_ERRORS.unknownMethod);
    return;
  }
  if ('wrongMethod' in found) {
    sendError(req, res, RD_ERRORS.methodNotAllowed);
    return;
  }
  const { row, params } = found;
  if (row.access !== 'none') {
    if (!entry.authorized) {
      sendError(req, res, RD_ERRORS.badToken);
      return;
    }
    const account = ctx.opts.accountType;
    if (account === 'locked' || (account === 'free' && row.access === 'premium')) {
      sendError(req, res, RD_ERRORS.permissionDenied);
      return;
    }
  }
  const status = await row.handler({ ctx, req, res, params, query: url.searchParams });
  const cfg = ctx.faults.rateLimit;
  if (status === 304 && cfg && cfg.charge304 === false) ctx.limiter.refund(key);
}

/** Anything outside /rest/1.0 and /d/: RD's unknown-method answer. */
export function handleUnknown(req: IncomingMessage, res: ServerResponse): void {
  sendJson(req, res, 404, { error: RD_ERRORS.unknownMethod.error, error_code: RD_ERRORS.unknownMethod.code });
}
