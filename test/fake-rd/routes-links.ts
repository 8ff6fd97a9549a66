// Handlers for the account, unrestrict, downloads-history and streaming endpoints: everything
// that turns a restricted link into a download on the fake CDN.

import type { Call, FakeCtx } from './context.ts';
import { RD_ERRORS, type RdErrorRow } from './errors.ts';
import { readForm, sendEmpty, sendError, sendJson } from './http-util.ts';
import { pageBounds } from './routes-torrents.ts';
import type { DownloadRec } from './state.ts';
import type { FakeLinkMode } from './types.ts';
import { downloadItem, mediaInfos, transcode, unrestrictBody } from './views.ts';

const PREMIUM_SECONDS = 7_654_321;

/** Link modes whose unrestrict fails, and how. */
const LINK_MODE_ERRORS: Partial<Record<FakeLinkMode, RdErrorRow>> = {
  dead: RD_ERRORS.hosterUnavailable,
  infringing: RD_ERRORS.infringingFile,
  unavailable: RD_ERRORS.unavailableFile,
};

export function downloadUrl(ctx: FakeCtx, dl: DownloadRec): string {
  return `${ctx.faults.cdnBaseUrl ?? ctx.url}/d/${dl.id}/${encodeURIComponent(dl.filename)}`;
}

export function user({ ctx, req, res }: Call): number {
  const premium = ctx.opts.accountType === 'premium';
  return sendJson(req, res, 200, {
    id: 4187233,
    username: 'vrfan_2041',
    email: 'vrfan@example.com',
    points: 1840,
    locale: 'en',
    avatar: 'https://fcdn.real-debrid.com/images/forum/empty.png',
    type: premium ? 'premium' : 'free',
    premium: premium ? PREMIUM_SECONDS : 0,
    expiration: new Date(ctx.now() + (premium ? PREMIUM_SECONDS * 1000 : 0)).toISOString(),
  });
}

function sendText(res: Call['res'], text: string): number {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return 200;
}

/** GET /time: "YYYY-MM-DD HH:MM:SS" (the fake's clock is UTC). */
export function time({ ctx, res }: Call): number {
  return sendText(res, new Date(ctx.now()).toISOString().slice(0, 19).replace('T', ' '));
}

/** GET /time/iso: ISO 8601 with a numeric offset, like RD. */
export function timeIso({ ctx, res }: Call): number {
  return sendText(res, new Date(ctx.now()).toISOString().slice(0, 19) + '+0000');
}

export async function unrestrict({ ctx, req, res }: Call): Promise<number> {
  const form = await readForm(req);
  const link = form.get('link')?.trim();
  if (!link) return sendError(req, res, RD_ERRORS.parameterMissing, { details: '{link} is missing' });
  const { fairUseAfterBytes, ipNotAllowed, slowUnrestrict, fairUseAfterUnrestricts } = ctx.faults;
  if (slowUnrestrict) await ctx.sleep(slowUnrestrict.minMs + Math.floor(ctx.faultRand() * (slowUnrestrict.maxMs - slowUnrestrict.minMs + 1)));
  if (fairUseAfterBytes !== null && ctx.cdnTotal >= fairUseAfterBytes) return sendError(req, res, RD_ERRORS.fairUsageLimit);
  if (fairUseAfterUnrestricts && ctx.unrestricts >= fairUseAfterUnrestricts.after) {
    return sendError(req, res, fairUseAfterUnrestricts.code === 23 ? RD_ERRORS.trafficExhausted : RD_ERRORS.fairUsageLimit);
  }
  if (ipNotAllowed) return sendError(req, res, RD_ERRORS.ipNotAllowed, { suffix: `_${ipNotAllowed}` });
  const found = ctx.state.findLink(link);
  if (!found) return sendError(req, res, RD_ERRORS.unknownRessource);
  const failure = LINK_MODE_ERRORS[found.rec.spec.linkMode ?? 'normal'];
  if (failure) return sendError(req, res, failure);
  const target = found.rec.links[found.index]?.target ?? 0;
  const previous = ctx.faults.sameDownloadOnUnrestrict ? ctx.state.history.findLast((d) => d.link === link) : undefined;
  const dl = previous ?? ctx.state.mint(found.rec, target, link, true);
  ctx.unrestricts++;
  return sendJson(req, res, 200, unrestrictBody(dl, downloadUrl(ctx, dl), ctx.state.streamable(dl)));
}

export function listDownloads({ ctx, req, res, query }: Call): number {
  const h = ctx.state.history;
  const { start, limit } = pageBounds(query, ctx.opts.maxPageSize);
  const items: Record<string, unknown>[] = [];
  for (let i = h.length - 1 - start; i >= 0 && items.length < limit; i--) {
    const dl = h[i] as DownloadRec;
    items.push(downloadItem(dl, downloadUrl(ctx, dl), ctx.state.streamable(dl)));
  }
  const headers = { 'X-Total-Count': h.length };
  if (items.length === 0 && ctx.faults.emptyPage === '204') return sendEmpty(res, 204, headers);
  return sendJson(req, res, 200, items, headers);
}

export function deleteDownload({ ctx, req, res, params }: Call): number {
  const at = ctx.state.history.findIndex((d) => d.id === params[0]);
  if (at < 0) return sendError(req, res, RD_ERRORS.unknownRessource);
  ctx.state.history.splice(at, 1); // the CDN URL keeps working: only the history entry goes
  return sendEmpty(res, 204);
}

function knownDownload({ ctx, req, res, params }: Call): DownloadRec | number {
  const dl = ctx.state.downloads.get(params[0] ?? '');
  if (!dl) return sendError(req, res, RD_ERRORS.unknownRessource);
  if (dl.noMediaInfo || ctx.state.streamable(dl) === 0) return sendError(req, res, RD_ERRORS.serviceUnavailable);
  return dl;
}

export function mediaInfosRoute(c: Call): number {
  const dl = knownDownload(c);
  return typeof dl === 'number' ? dl : sendJson(c.req, c.res, 200, mediaInfos(dl));
}

export function transcodeRoute(c: Call): number {
  const dl = knownDownload(c);
  return typeof dl === 'number' ? dl : sendJson(c.req, c.res, 200, transcode(c.ctx.url, dl.id));
}

export function availableHosts({ req, res }: Call): number {
  return sendJson(req, res, 200, [{ host: 'real-debrid.com', max_file_size: 2_000_000 }]);
}
