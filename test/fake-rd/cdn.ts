// The fake RD download CDN (`/d/<downloadId>/<name>`): Range/HEAD like RD's nodes, expiry,
// per-link connection cap, fault modes, and an exact count of body bytes actually sent.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentStream } from './content.ts';
import type { FakeCtx } from './context.ts';
import type { DownloadRec } from './state.ts';
import type { FakeRequestLog } from './types.ts';

type Range = { start: number; end: number }; // end inclusive

/** RFC 9110 single range; null = ignore the header (absent or malformed); only the first of several is used. */
export function parseRange(header: string | undefined, size: number): Range | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/i.exec(header);
  if (!m) return null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (b !== '' && Number(b) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: b === '' ? size - 1 : Math.min(Number(b), size - 1) };
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function handleCdn(ctx: FakeCtx, req: IncomingMessage, res: ServerResponse, url: URL, entry: FakeRequestLog): Promise<void> {
  entry.route = 'cdn';
  const method = req.method ?? 'GET';
  const id = /^\/d\/([^/]+)/.exec(url.pathname)?.[1] ?? '';
  const dl = ctx.state.downloads.get(id);
  if (!dl) return plain(res, 404, 'Not Found');
  if (ctx.now() >= dl.generatedMs + ctx.opts.linkTtlMs) return plain(res, ctx.opts.expiredStatus, 'Link expired');
  if (ctx.faults.cdnDenied !== null) return plain(res, ctx.faults.cdnDenied, 'Forbidden');
  entry.authorized = true;
  if (method !== 'GET' && method !== 'HEAD') return plain(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
  const cap = ctx.faults.cdnConnectionCap;
  if (cap !== null && dl.active >= cap) return plain(res, 503, 'Too many connections');

  const size = dl.filesize;
  const range = ctx.faults.cdnIgnoreRange ? null : parseRange(req.headers.range, size);
  const headers: Record<string, string | number> = { 'Content-Type': dl.mimeType };
  if (!ctx.faults.cdnOmitAcceptRanges) headers['Accept-Ranges'] = 'bytes';
  if (range === 'unsatisfiable') return plain(res, 416, 'Range Not Satisfiable', { ...headers, 'Content-Range': `bytes */${size}` });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers['Content-Length'] = Math.max(0, end - start + 1);
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  dl.active++;
  res.once('close', () => {
    dl.active--;
  });
  await pump(ctx, dl, res, start, end + 1);
}

/** Writes [start, end) with backpressure; counts a chunk only once the socket accepted it. */
async function pump(ctx: FakeCtx, dl: DownloadRec, res: ServerResponse, start: number, end: number): Promise<void> {
  const count = (n: number) => (err?: Error | null) => {
    if (err) return;
    dl.bytesServed += n;
    ctx.cdnTotal += n;
  };
  const resetAfter = ctx.faults.cdnResetAfterBytes;
  let queued = 0;
  try {
    for await (const chunk of contentStream(dl.key, start, end, dl.source)) {
      if (res.destroyed) return;
      if (resetAfter !== null && queued + chunk.length >= resetAfter) {
        const part = chunk.subarray(0, Math.max(0, resetAfter - queued));
        res.write(part, (err) => {
          count(part.length)(err);
          res.destroy();
        });
        return;
      }
      queued += chunk.length;
      if (!res.write(chunk, count(chunk.length))) await drainOrClose(res);
    }
  } catch {
    res.destroy(); // source read failed mid-body: the client sees a short body, like a reset
    return;
  }
  if (!res.destroyed) res.end();
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
