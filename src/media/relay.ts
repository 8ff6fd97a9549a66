// A loopback HTTP relay between ffmpeg and the CDN. Left alone, ffmpeg asks for open-ended ranges
// (`bytes=X-`) and drops the connection when it seeks; a fast CDN has by then pushed MBs into
// socket buffers, so a thumbnail cost several MB. The relay answers every request with a BOUNDED
// 206 (one upstream range): ffmpeg reads it, sees the body end before the file does and, with
// `-reconnect 1`, asks for the next range at once. So the CDN only sends what ffmpeg asked for,
// plus at most one range. Ranges start at 64 KB and double (up to 1 MB) while an input keeps
// reading sequentially. The relay also keeps the download URL out of ffmpeg's command line and
// stderr, counts the bytes each job read, and records the CDN's status so a job can tell an
// expired link (refresh it) from a broken file.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

export interface RelaySession {
  /** A loopback URL for one ffmpeg input (each input gets its own, so sequential reads are seen). */
  input(): string;
  /** Bytes received from the CDN so far (all inputs). */
  readonly bytes: number;
  /** Last non-2xx status the CDN answered, else null. */
  readonly upstreamStatus: number | null;
  /** Last upstream problem in words (no URL), else null. */
  readonly upstreamError: string | null;
  /** The download host could not be reached (refused, reset, no answer in time): a new link may help. */
  readonly upstreamUnreachable: boolean;
  close(): void;
}

export interface RelayOptions {
  fetch?: typeof fetch;
  /** First range of a non-sequential request; doubles up to maxChunk while reads stay sequential. */
  firstChunk?: number;
  maxChunk?: number;
  /** Upper bound for one upstream range (headers and body). */
  chunkTimeoutMs?: number;
  /** CDN connections one job may hold at once (RD limits connections per download). */
  maxConnections?: number;
}

interface Session {
  source: string;
  bytes: number;
  upstreamStatus: number | null;
  upstreamError: string | null;
  upstreamUnreachable: boolean;
  requests: Set<AbortController>;
  /** Upstream requests in flight, and requests waiting for a free connection. */
  active: number;
  waiters: Array<() => void>;
}

interface Channel {
  session: Session;
  /** Where the last answered range ended (exclusive), and its size. */
  next: number;
  chunk: number;
}

const RANGE = /^bytes=(\d+)-(\d*)$/;
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

export class SourceRelay {
  private server: Server | null = null;
  private base = '';
  private readonly channels = new Map<string, Channel>();
  private readonly fetchFn: typeof fetch;
  private readonly firstChunk: number;
  private readonly maxChunk: number;
  private readonly chunkTimeoutMs: number;
  private readonly maxConnections: number;

  constructor(opts: RelayOptions = {}) {
    this.fetchFn = opts.fetch ?? fetch;
    this.firstChunk = opts.firstChunk ?? 64 * 1024;
    this.maxChunk = opts.maxChunk ?? 1024 * 1024;
    this.chunkTimeoutMs = opts.chunkTimeoutMs ?? 30_000;
    this.maxConnections = opts.maxConnections ?? 4;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    server.keepAliveTimeout = 5_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** A session for one job reading `source`. */
  open(source: string): RelaySession {
    if (!this.server) throw new Error('relay not started');
    const s: Session = { source, bytes: 0, upstreamStatus: null, upstreamError: null, upstreamUnreachable: false, requests: new Set(), active: 0, waiters: [] };
    const tokens: string[] = [];
    return {
      input: () => {
        const token = randomBytes(12).toString('hex');
        tokens.push(token);
        this.channels.set(token, { session: s, next: -1, chunk: this.firstChunk });
        return `${this.base}/s/${token}`;
      },
      get bytes() { return s.bytes; },
      get upstreamStatus() { return s.upstreamStatus; },
      get upstreamError() { return s.upstreamError; },
      get upstreamUnreachable() { return s.upstreamUnreachable; },
      close: () => {
        for (const t of tokens) this.channels.delete(t);
        for (const c of s.requests) c.abort();
        for (const w of s.waiters.splice(0)) w();
      },
    };
  }

  async close(): Promise<void> {
    for (const ch of this.channels.values()) for (const c of ch.session.requests) c.abort();
    this.channels.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^\/s\/([0-9a-f]+)$/.exec(req.url ?? '')?.[1];
    const ch = token ? this.channels.get(token) : undefined;
    if (!ch || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(ch ? 405 : 404).end();
      return;
    }
    const m = RANGE.exec(req.headers.range ?? 'bytes=0-');
    if (!m) {
      res.writeHead(416).end();
      return;
    }
    const start = Number(m[1]);
    ch.chunk = start === ch.next ? Math.min(ch.chunk * 2, this.maxChunk) : this.firstChunk;
    const end = m[2] ? Math.min(Number(m[2]), start + ch.chunk - 1) : start + ch.chunk - 1;
    ch.next = end + 1;

    const s = ch.session;
    const ac = new AbortController();
    s.requests.add(ac);
    res.on('close', () => ac.abort());
    try {
      while (s.active >= this.maxConnections && !ac.signal.aborted) await new Promise<void>((r) => s.waiters.push(r));
      if (ac.signal.aborted) {
        if (s.active < this.maxConnections) s.waiters.shift()?.(); // pass the wake-up on
        return;
      }
      s.active++;
      try {
        await this.forward(s, req, res, start, end, ac.signal);
      } finally {
        s.active--;
        s.waiters.shift()?.();
      }
    } finally {
      s.requests.delete(ac);
    }
  }

  /** Fetches [start, end] from the CDN and answers it as a bounded 206 (or passes errors on). */
  private async forward(s: Session, req: IncomingMessage, res: ServerResponse, start: number, end: number, signal: AbortSignal): Promise<void> {
    let up: Response;
    try {
      up = await this.fetchFn(s.source, {
        headers: { range: `bytes=${start}-${end}`, 'accept-encoding': 'identity' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.chunkTimeoutMs)]),
        redirect: 'follow',
      });
    } catch (err) {
      if (!signal.aborted) {
        s.upstreamError = `CDN unreachable: ${errorText(err)}`;
        s.upstreamUnreachable = true;
      }
      if (!res.headersSent) res.writeHead(502).end();
      return;
    }
    const type = up.headers.get('content-type') ?? 'application/octet-stream';
    const cr = CONTENT_RANGE.exec(up.headers.get('content-range') ?? '');
    let headers: Record<string, string | number>;
    let skip = 0;
    if (up.status === 206 && cr && cr[3] !== '*') {
      const [a, b] = [Number(cr[1]), Number(cr[2])];
      headers = { 'content-range': `bytes ${a}-${b}/${cr[3]}`, 'content-length': b - a + 1, 'accept-ranges': 'bytes' };
    } else if (up.status === 200) {
      // The CDN ignored Range: pass the rest of the whole body through (rare; costly but correct).
      s.upstreamError = 'CDN ignored Range';
      const total = Number(up.headers.get('content-length') ?? NaN);
      skip = start;
      headers = Number.isFinite(total) ? { 'content-range': `bytes ${start}-${total - 1}/${total}`, 'content-length': total - start } : {};
    } else {
      s.upstreamStatus = up.status;
      s.upstreamError = up.status === 206 ? 'CDN sent no usable Content-Range' : `CDN answered ${up.status}`;
      await up.body?.cancel().catch(() => undefined);
      res.writeHead(up.status === 206 ? 502 : up.status, up.status === 416 ? pick(up, 'content-range') : {}).end();
      return;
    }
    res.writeHead(up.status === 200 && skip === 0 ? 200 : 206, { 'content-type': type, ...headers });
    if (req.method === 'HEAD' || !up.body) {
      await up.body?.cancel().catch(() => undefined);
      res.end();
      return;
    }
    let complete = true;
    try {
      for await (const part of up.body as unknown as AsyncIterable<Uint8Array>) {
        s.bytes += part.length;
        let buf = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
        if (skip > 0) {
          const n = Math.min(skip, buf.length);
          skip -= n;
          buf = buf.subarray(n);
          if (buf.length === 0) continue;
        }
        if (signal.aborted) break;
        if (!res.write(buf)) await drained(res);
      }
    } catch (err) {
      complete = false;
      if (!signal.aborted) s.upstreamError = `CDN read failed: ${errorText(err)}`;
    }
    // A short body must look like an error to the reader, never like the end of the data.
    if (complete && !signal.aborted) res.end();
    else res.destroy();
  }
}

/** Resolves on 'drain' or 'close', removing both listeners either way. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function pick(r: Response, name: string): Record<string, string> {
  const v = r.headers.get(name);
  return v ? { [name]: v } : {};
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'no answer within the time limit';
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : err.message;
  }
  return String(err);
}
