// Timed HTTP requests for the benchmarks: time from sending to the last body byte, the status,
// and the bytes on the wire (gzipped when the server gzipped). undici's `request` keeps the
// client's own overhead well below a millisecond, unlike fetch.
import { Agent, request } from 'undici';

const agent = new Agent({ keepAliveTimeout: 30_000, connections: 16 });

export interface Timed {
  ms: number;
  status: number;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TimedInit {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string;
}

export async function timed(url: string, init: TimedInit = {}): Promise<Timed> {
  const t0 = performance.now();
  const res = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: init.body } : {}),
    dispatcher: agent,
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { ms: performance.now() - t0, status: res.statusCode, bytes: body.length, headers: res.headers, body };
}

export async function closeHttp(): Promise<void> {
  await agent.close();
}
