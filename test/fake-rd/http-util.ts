// Small node:http helpers for the fake RD: JSON the way RD writes it (tab-indented, ETag +
// If-None-Match), error bodies from the table, and bounded form-body reading.

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, htmlErrorPage, type RdErrorRow } from './errors.ts';

const MAX_BODY = 1 << 20;

export type Headers = Record<string, string | number>;

/** Sends JSON; GET 200s carry an ETag and answer 304 on a matching If-None-Match. Returns the status sent. */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Headers = {},
  notModifiedOmits: readonly string[] = [],
): number {
  const text = JSON.stringify(body, null, '\t');
  const out: Headers = { 'Content-Type': 'application/json; charset=utf-8', ...headers };
  if (status === 200 && req.method === 'GET') {
    const etag = `"${createHash('sha1').update(text).digest('hex').slice(0, 10)}"`;
    out.ETag = etag;
    if (etagMatches(req.headers['if-none-match'], etag)) {
      delete out['Content-Type'];
      for (const h of notModifiedOmits) delete out[h];
      res.writeHead(304, out);
      res.end();
      return 304;
    }
  }
  out['Content-Length'] = Buffer.byteLength(text);
  res.writeHead(status, out);
  res.end(text);
  return status;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === etag;
  });
}

export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  row: RdErrorRow,
  opts: { status?: number; details?: string; suffix?: string; headers?: Headers } = {},
): number {
  return sendJson(req, res, opts.status ?? row.status, errorBody(row, opts.details, opts.suffix), opts.headers);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Headers = {}): number {
  res.writeHead(status, headers);
  res.end();
  return status;
}

export function sendHtmlError(res: ServerResponse, status = 502): number {
  const html = htmlErrorPage(status);
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
  return status;
}

/** Sends an arbitrary `failNext` body: objects as JSON, strings raw (HTML), null/undefined empty. */
export function sendRaw(res: ServerResponse, status: number, body: unknown): number {
  if (body === null || body === undefined) return sendEmpty(res, status);
  const isText = typeof body === 'string';
  const text = isText ? body : JSON.stringify(body, null, '\t');
  res.writeHead(status, {
    'Content-Type': isText ? 'text/html' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
  return status;
}

/** Reads a form-encoded body (RD's POST format); over 1 MiB or broken -> empty params. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size <= MAX_BODY) chunks.push(buf); // keep draining an oversized body so we can still answer
    }
  } catch {
    return new URLSearchParams();
  }
  return size > MAX_BODY ? new URLSearchParams() : new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Non-negative integer query parameter, or undefined when absent or not a number. */
export function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}
