// Handlers for the /torrents tree: listing with RD's paging rules, info, delete, and the
// add-magnet -> select-files progression used by repair tests.

import type { Call } from './context.ts';
import { RD_ERRORS } from './errors.ts';
import { intParam, readForm, sendEmpty, sendError, sendJson, sendRaw } from './http-util.ts';
import { ACTIVE_STATUSES, torrentInfo, torrentListItem } from './views.ts';
import type { FakeFileSpec, FakeListFaultKind } from './types.ts';

const DEFAULT_LIMIT = 100;
const VIDEO_EXT = /\.(mp4|mkv|m4v|webm|mov|avi|wmv|ts)$/i;

/** RD's paging: limit default 100 clamped to the max, `page` (1-based) wins over `offset`. */
export function pageBounds(q: URLSearchParams, maxPageSize: number): { start: number; limit: number } {
  const rawLimit = intParam(q, 'limit');
  const limit = Math.min(rawLimit === undefined || rawLimit <= 0 ? DEFAULT_LIMIT : rawLimit, maxPageSize);
  const page = intParam(q, 'page');
  const offset = intParam(q, 'offset');
  const start = page !== undefined ? (Math.max(page, 1) - 1) * limit : Math.max(offset ?? 0, 0);
  return { start, limit };
}

export function listTorrents({ ctx, req, res, query }: Call): number {
  ctx.state.advance();
  const all = query.get('filter') === 'active' ? ctx.state.order.filter((r) => ACTIVE_STATUSES.has(r.spec.status)) : ctx.state.order;
  const { start, limit } = pageBounds(query, ctx.opts.maxPageSize);
  let slice = all.slice(start, start + limit);
  const lie = ctx.faults.totalCountLie;
  const total = all.length + (lie && (!lie.afterFirstPage || start > 0) ? lie.delta : 0);
  const headers: Record<string, number> = { 'X-Total-Count': Math.max(0, total) };
  const fault = ctx.faults.listFault;
  if (fault && fault.times > 0 && (start > 0 || fault.firstPage)) {
    fault.times -= 1;
    if (fault.times <= 0) ctx.faults.listFault = null;
    const bad = BAD_PAGES[fault.kind];
    if (bad) return bad({ ctx, req, res, query, params: [] }, headers);
    // 'short' and 'repeat' send a JSON array that is wrong in content
    slice = fault.kind === 'short' ? slice.slice(0, Math.floor(slice.length / 2)) : [...all.slice(Math.max(0, start - 3), start), ...slice].slice(0, limit);
  }
  if (slice.length === 0 && ctx.faults.emptyPage === '204') return sendEmpty(res, 204, headers);
  if (slice.length === 0 && ctx.faults.emptyPage === 'object') return sendJson(req, res, 200, {}, headers);
  return sendJson(req, res, 200, slice.map(torrentListItem), headers, ctx.faults.notModifiedWithoutTotal ? ['X-Total-Count'] : []);
}

/** The bad pages that are not a JSON array at all (see FakeListFaultKind for where each comes from). */
const BAD_PAGES: Partial<Record<FakeListFaultKind, (c: Call, headers: Record<string, number>) => number>> = {
  object: ({ req, res }, h) => sendJson(req, res, 200, {}, h),
  '204': ({ res }, h) => sendEmpty(res, 204, h),
  html: ({ res }) => sendRaw(res, 200, '<html><body><h1>Real-Debrid</h1><p>Maintenance</p></body></html>'),
  'not-array': ({ req, res }, h) => sendJson(req, res, 200, { error: null, torrents: 'later' }, h),
};

export function info({ ctx, req, res, params }: Call): number {
  ctx.state.advance();
  const rec = ctx.state.byId.get(params[0] ?? '');
  if (!rec) return sendError(req, res, RD_ERRORS.unknownRessource);
  return sendJson(req, res, 200, torrentInfo(rec));
}

export function deleteTorrent({ ctx, req, res, params }: Call): number {
  if (!ctx.state.remove(params[0] ?? '')) return sendError(req, res, RD_ERRORS.unknownRessource);
  return sendEmpty(res, 204);
}

export function activeCount({ ctx, req, res }: Call): number {
  ctx.state.advance();
  return sendJson(req, res, 200, { nb: activeNb(ctx), limit: ctx.opts.activeLimit });
}

function activeNb(ctx: Call['ctx']): number {
  let nb = 0;
  for (const r of ctx.state.order) if (ACTIVE_STATUSES.has(r.spec.status)) nb++;
  return nb;
}

export function instantAvailability({ req, res }: Call): number {
  return sendError(req, res, RD_ERRORS.disabledEndpoint);
}

export async function addMagnet({ ctx, req, res }: Call): Promise<number> {
  const form = await readForm(req);
  const magnet = form.get('magnet');
  if (!magnet) return sendError(req, res, RD_ERRORS.parameterMissing, { details: '{magnet} is missing' });
  const parsed = parseMagnet(magnet);
  if (!parsed) return sendError(req, res, RD_ERRORS.badParameter);
  const name = parsed.name ?? parsed.hash;
  if (ctx.opts.infringingPattern?.test(name)) return sendError(req, res, RD_ERRORS.infringingFile);
  ctx.state.advance();
  if (activeNb(ctx) >= ctx.opts.activeLimit) return sendError(req, res, RD_ERRORS.tooManyActive);
  const known = ctx.state.order.find((r) => r.spec.hash === parsed.hash);
  const files: FakeFileSpec[] = known
    ? known.spec.files.map((f) => ({ ...f, selected: false }))
    : [{ path: VIDEO_EXT.test(name) ? `/${name}` : `/${name}/${name}.mp4`, selected: false }];
  const rec = ctx.state.addMagnet({
    filename: known?.spec.filename ?? name,
    hash: parsed.hash,
    files,
    linkMode: known?.spec.linkMode ?? 'normal',
  });
  return sendJson(req, res, 201, { id: rec.spec.id, uri: `${ctx.apiUrl}/torrents/info/${rec.spec.id}` });
}

export async function selectFiles({ ctx, req, res, params }: Call): Promise<number> {
  const form = await readForm(req);
  ctx.state.advance();
  const rec = ctx.state.byId.get(params[0] ?? '');
  if (!rec) return sendError(req, res, RD_ERRORS.unknownRessource);
  const raw = form.get('files');
  if (!raw) return sendError(req, res, RD_ERRORS.parameterMissing, { details: '{files} is missing' });
  if (rec.spec.status !== 'waiting_files_selection') return sendEmpty(res, 202);
  const count = rec.spec.files.length;
  let ids: number[];
  if (raw.trim().toLowerCase() === 'all') ids = rec.spec.files.map((_, i) => i + 1);
  else {
    ids = raw.split(',').map((s) => Number(s.trim()));
    if (ids.some((n) => !Number.isInteger(n) || n < 1 || n > count)) {
      return sendError(req, res, RD_ERRORS.badParameter, { status: 404, details: 'invalid file id(s)' });
    }
  }
  const wanted = new Set(ids);
  rec.spec.files = rec.spec.files.map((f, i) => ({ ...f, selected: wanted.has(i + 1) })); // file specs may be shared
  ctx.state.startDownload(rec);
  return sendEmpty(res, 204);
}

/** Reads `xt=urn:btih:<40 hex | 32 base32>` and `dn` from a magnet URI. */
export function parseMagnet(magnet: string): { hash: string; name?: string } | undefined {
  if (!magnet.startsWith('magnet:?')) return undefined;
  const q = new URLSearchParams(magnet.slice('magnet:?'.length));
  const xt = q.getAll('xt').find((v) => v.toLowerCase().startsWith('urn:btih:'));
  const raw = xt?.slice('urn:btih:'.length) ?? '';
  let hash: string | undefined;
  if (/^[0-9a-f]{40}$/i.test(raw)) hash = raw.toLowerCase();
  else if (/^[A-Z2-7]{32}$/i.test(raw)) hash = base32ToHex(raw.toUpperCase());
  if (!hash) return undefined;
  const dn = q.get('dn')?.trim();
  return dn ? { hash, name: dn } : { hash };
}

function base32ToHex(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  let hex = '';
  for (let i = 0; i + 4 <= bits.length; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}
