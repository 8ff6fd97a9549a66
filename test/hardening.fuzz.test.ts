// Bad input never hurts: more than 10,000 malformed or hostile requests across every route of the
// live route table (random and wrong-typed JSON, huge numbers, unicode, `../`, `%00`, raw NUL
// bytes, bodies on both sides of every size limit and 10 MB ones, odd methods and headers), two
// thirds of them with a valid credential so the handlers themselves see the junk. No 5xx (beyond
// a typed "not ready yet" 503), no crash, no stack trace or internal path in any answer, no CORS
// grant, and the server still answers. Every request's outcome is counted (an answer, or a cut
// connection for an oversized body); waits are bounded by events, not timed.
// Fast: keep-alive connections through an undici Pool, 32 requests in flight, a seeded PRNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Pool } from 'undici';
import { startHarness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK, SPECIAL_CHARS, HOSTILE_NAME } from './fake-rd/index.ts';
import { mulberry32 } from './fake-rd/prng.ts';
import { routeTable } from '../src/api/auth/plugin.ts';

const TOKEN = 'fuzz-token-0123456789';
const TOTAL = 10_400;
const CONCURRENCY = 32;
const RAW_SOCKET_REQUESTS = 60;
/** Generous bounds, not paces: a loaded CI machine answers in well under a second. */
const REQUEST_TIMEOUT_MS = 60_000;
const RAW_TIMEOUT_MS = 30_000;
/** The smallest body limit of any route: a larger body may be refused by closing the connection. */
const SMALLEST_BODY_LIMIT = 8 * 1024;
/** Bodies above 64 KB (over every limit but the HSP route's 2 MB) drawn at random, at most. */
const MAX_LARGE_BODIES = 60;

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const HOSTILE = [
  '../', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '..\\..\\', '%00', '%00.jpg', '%ff', '%', '%%', '%zz', '%C0%AE%C0%AE',
  '-1', '0', '1e309', '99999999999999999999999', '1.5', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '{}',
  'a'.repeat(3000), '%20', '+', '<script>alert(1)</script>', "' OR 1=1 --", '0123456789abcdef', 'ffffffffffffffff',
  'FFFFFFFFFFFFFFFF', '.jpg', '..', '.', '~', '\u202e', '😀', 'é', '東京の夜', '%0d%0aSet-Cookie:%20x=1', '&sig=x', '?',
  '__proto__', 'constructor', '/', '//', '\\',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'PURGE'];
const CONTENT_TYPES = [
  'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/json; charset=utf-16', 'application/octet-stream', '', 'application/json, text/html', '*/*',
];
const KEYS = [
  'favorite', 'rating', 'watched', 'isFavorite', 'tags', 'hsp', 'needsMediaSource', 'deleteFile', 'username', 'password',
  'login', 'event', 'time', 'id', 'token', 'next', '__proto__', 'constructor', 'prototype', 'name', 'start', 'end', 'track',
];

/** Makes a path segment hostile, percent-encoding only what an HTTP client cannot put on the wire. */
function wireSafe(s: string): string {
  return s.replace(/[^\u0021-\u007e]/gu, (c) => encodeURIComponent(c)).replace(/#/g, '%23');
}

function randomValue(rand: Rand, depth = 0): unknown {
  const r = rand();
  if (depth > 3 || r < 0.35) {
    return pick(rand, [
      0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, 4.5, 5.5, 1e-300, true, false, null, '', 'x', '😀'.repeat(50),
      'a'.repeat(10_000), '\u0000', '../../etc/passwd', 'AAAA====', '<img src=x onerror=alert(1)>', '0123456789abcdef',
    ]);
  }
  if (r < 0.55) return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i >= 0; i--) o[pick(rand, KEYS)] = randomValue(rand, depth + 1);
  return o;
}

/** HSP bodies on both sides of the 2 MB limit of /heresphere/:id, and just over the 64 KB default. */
const LARGE_BODIES = [
  JSON.stringify({ hsp: 'A'.repeat(2 * 1024 * 1024 - 64) }),
  JSON.stringify({ hsp: 'A'.repeat(2 * 1024 * 1024 + 1) }),
  JSON.stringify({ hsp: 'A'.repeat(64 * 1024 + 1) }),
];

function randomBody(rand: Rand, large: () => string | null): { body: string | Buffer | undefined; type: string } {
  const r = rand();
  const type = pick(rand, CONTENT_TYPES);
  if (r < 0.45) return { body: JSON.stringify(randomValue(rand)), type };
  if (r < 0.55) return { body: `{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "rating": ${pick(rand, ['1', '"1"', '1e999', '-0'])}}`, type: 'application/json' };
  if (r < 0.62) return { body: '['.repeat(5000) + ']'.repeat(5000), type: 'application/json' };
  if (r < 0.7) return { body: '{"a": tru', type };
  if (r < 0.78) return { body: new URLSearchParams({ login: 'x', password: pick(rand, ['', 'x', 'a'.repeat(2000)]), [pick(rand, KEYS)]: 'y' }).toString(), type: 'application/x-www-form-urlencoded' };
  if (r < 0.86) return { body: Buffer.from(Array.from({ length: Math.floor(rand() * 4096) }, () => Math.floor(rand() * 256))), type };
  if (r < 0.9) return { body: large() ?? JSON.stringify({ hsp: 'A'.repeat(Math.floor(rand() * 4096)) }), type: 'application/json' };
  return { body: undefined, type };
}

test('10,000+ hostile requests: no 5xx, no crash, no internals leaked, the server still answers', async (t) => {
  const h = await startHarness({
    torrents: [SINGLE_FILE, PACK_WITH_JUNK, SPECIAL_CHARS, HOSTILE_NAME],
    media: false,
    fake: { rateLimit: false },
    env: { HERESPHERE_AUTH_TOKEN: TOKEN, ALLOW_DELETE: 'false' },
  });
  const pool = new Pool(h.url, { connections: CONCURRENCY, pipelining: 1, bodyTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS });
  t.after(async () => {
    await pool.close();
    await h.close();
  });

  const lib = await (await fetch(`${h.url}/api/library`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { videos: Array<{ id: string }> };
  const ids = lib.videos.map((v) => v.id);
  assert.ok(ids.length >= 3);
  const auth = (await (await fetch(`${h.url}/heresphere/auth`, { method: 'POST', body: JSON.stringify({ username: 'u', password: TOKEN }) })).json() as { 'auth-token': string })['auth-token'];
  const routes = routeTable(h.app);
  const rand = mulberry32(0xf022);
  // One 10 MB body for each kind of route that reads bodies, spread over the run.
  const huge = Buffer.alloc(10 * 1024 * 1024, 0x61);
  const hugeTargets = ['/heresphere', `/heresphere/${ids[0]}`, `/api/videos/${ids[0]}`, '/login', '/deovr', '/heresphere/auth'];
  const hugeEvery = Math.floor(TOTAL / hugeTargets.length);
  let largeSent = 0;
  const large = (): string | null => (largeSent < MAX_LARGE_BODIES ? LARGE_BODIES[largeSent++ % LARGE_BODIES.length]! : null);

  const segment = (): string => {
    const r = rand();
    if (r < 0.25) return pick(rand, ids);
    if (r < 0.3) return String(Math.floor(rand() * 10));
    return wireSafe(pick(rand, HOSTILE));
  };
  const makeRequest = (i: number) => {
    // undici closes the connection after every HEAD (a guard against servers that send a body),
    // so HEAD twins are drawn less often to keep the run on warm connections.
    let route = pick(rand, routes);
    if (route.method === 'HEAD' && rand() < 0.75) route = pick(rand, routes);
    let path = route.url.replace(/:([A-Za-z]+)/g, () => segment());
    if (rand() < 0.1) path += `/${segment()}`;
    if (rand() < 0.3) path += `?${pick(rand, ['sig', 'ids', 'x', '__proto__', 'next'])}=${segment()}${rand() < 0.3 ? `&sig=${segment()}` : ''}`;
    const method = rand() < 0.15 ? pick(rand, METHODS) : route.method;
    const headers: Record<string, string> = {};
    const who = rand();
    if (who < 0.66) headers['auth-token'] = auth;
    else if (who < 0.76) headers['auth-token'] = wireSafe(pick(rand, HOSTILE));
    else if (who < 0.84) headers.cookie = `ds_session=${wireSafe(pick(rand, HOSTILE))}`;
    else if (who < 0.9) headers.authorization = pick(rand, ['Bearer', 'Bearer ', 'Basic x', `Bearer ${wireSafe(pick(rand, HOSTILE))}`, 'Digest a=b']);
    if (rand() < 0.2) headers.accept = 'text/html';
    if (rand() < 0.1) headers['user-agent'] = 'HereSphere/0.8 Quest2';
    if (rand() < 0.05) headers.origin = pick(rand, ['http://evil.example', 'null', h.url, 'not a url']);
    if (rand() < 0.05) headers['x-forwarded-host'] = wireSafe(pick(rand, HOSTILE));
    if (rand() < 0.05) headers['x-forwarded-proto'] = pick(rand, ['https', 'gopher', '']);
    if (rand() < 0.05) headers.range = pick(rand, ['bytes=0-1', 'bytes=-0', 'bytes=9999999999999-', 'bytes=a-b', 'bytes=1-0,5-6']);
    if (rand() < 0.05) headers['if-none-match'] = wireSafe(pick(rand, HOSTILE));
    let body: string | Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'TRACE') {
      const b = randomBody(rand, large);
      body = b.body;
      if (b.type && body !== undefined) headers['content-type'] = b.type;
    }
    if (i % hugeEvery === 7 && i / hugeEvery < hugeTargets.length) {
      return { method: 'POST', path: hugeTargets[Math.floor(i / hugeEvery)]!, headers: { ...headers, 'content-type': 'application/json' }, body: huge };
    }
    return { method, path, headers, body };
  };

  // Every request ends in exactly one outcome, counted: an answer (by status), or, only for a body
  // over the smallest limit, the connection cut after (or instead of) a 413. Anything else fails.
  const statuses = new Map<number, number>();
  const fiveXX: string[] = [];
  const leaks: string[] = [];
  const clientErrors: string[] = [];
  const hugeOutcomes: string[] = [];
  let cut = 0;
  let next = 0;
  let sent = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < TOTAL) {
      const i = next++;
      const req = makeRequest(i);
      sent++;
      const big = req.body !== undefined && Buffer.byteLength(req.body) > SMALLEST_BODY_LIMIT;
      try {
        const res = await pool.request({ method: req.method as 'GET', path: req.path, headers: req.headers, body: req.body });
        const text = await res.body.text();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (req.body === huge) hugeOutcomes.push(`${req.path.slice(0, 30)}:${res.statusCode}`);
        const label = `${req.method} ${req.path.slice(0, 120)} -> ${res.statusCode} ${text.slice(0, 160)}`;
        if (res.statusCode >= 500) {
          // A typed "not ready yet" (a preview being made, an RD cooldown) is an answer, not a failure;
          // a HEAD has no body to show the type, so its JSON content type and Retry-After stand for it.
          const body = req.method === 'HEAD' ? /^application\/json/.test(String(res.headers['content-type'])) : /"(state|kind)"/.test(text);
          const typed = res.statusCode === 503 && res.headers['retry-after'] !== undefined && body;
          if (!typed) fiveXX.push(label);
        }
        if (res.headers['access-control-allow-origin'] !== undefined) leaks.push(`CORS: ${label}`);
        if (/"stack"|\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d+/.test(text)) leaks.push(`internals: ${label}`);
      } catch (err) {
        const e = err as Error & { code?: string };
        if (big) {
          cut++;
          if (req.body === huge) hugeOutcomes.push(`${req.path.slice(0, 30)}:cut`);
        } else clientErrors.push(`${req.method} ${req.path.slice(0, 80)}: ${e.code ?? ''} ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  // Raw bytes no HTTP client would send: NUL and CR/LF in the path, broken request lines. Each
  // one is complete or broken, so the server must answer or close; we wait for that (bounded).
  const rawCases = [
    'GET /thumb/\u0000.jpg HTTP/1.1\r\nHost: x\r\n\r\n',
    `GET /api/videos/${ids[0]}\u0000 HTTP/1.1\r\nHost: x\r\nauth-token: ${auth}\r\n\r\n`,
    'POST /heresphere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n\u0000\u0000\u0000\u0000\u0000',
    'POST /heresphere HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'POST /heresphere HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n',
    'GET /\r\n\r\n',
    'GARBAGE\r\n\r\n',
    `GET /heresphere HTTP/1.1\r\nHost: x\r\nauth-token: ${auth}\u0000x\r\n\r\n`,
    'POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n',
    `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  ];
  const port = new URL(h.url).port;
  const rawOutcomes = await Promise.all(
    Array.from({ length: RAW_SOCKET_REQUESTS }, (_, i) => {
      const payload = rawCases[i % rawCases.length]!;
      return new Promise<string>((resolve) => {
        const s = connect(Number(port), '127.0.0.1');
        let data = '';
        const finish = (outcome: string) => {
          s.destroy();
          resolve(outcome);
        };
        s.setTimeout(RAW_TIMEOUT_MS, () => finish(`timeout (case ${i % rawCases.length})`));
        s.on('data', (d) => {
          data += d.toString('latin1');
          // A whole status line and header block: the server has answered.
          if (/^HTTP\/1\.[01] \d{3}[^\r\n]*\r\n[\s\S]*?\r\n\r\n/.test(data)) finish(data.slice(0, 12));
        });
        s.on('error', () => finish(data.slice(0, 12) || 'closed'));
        s.on('close', () => finish(data.slice(0, 12) || 'closed'));
        s.write(payload, 'latin1');
      });
    }),
  );
  const rawCount = new Map<string, number>();
  for (const r of rawOutcomes) rawCount.set(r, (rawCount.get(r) ?? 0) + 1);
  const rawSummary = [...rawCount].map(([k, n]) => `${JSON.stringify(k)}:${n}`).join(' ');
  assert.equal(rawOutcomes.filter((r) => r.startsWith('timeout')).length, 0, `raw requests the server neither answered nor closed: ${rawSummary}`);
  assert.equal(rawOutcomes.filter((r) => /^HTTP\/1\.[01] 5/.test(r)).length, 0, `no 5xx for raw junk: ${rawSummary}`);
  assert.ok(rawOutcomes.filter((r) => /^HTTP\/1\.[01] 4/.test(r)).length >= RAW_SOCKET_REQUESTS / 2, `most raw junk gets a 4xx: ${rawSummary}`);

  const summary = [...statuses].sort((x, y) => x[0] - y[0]).map(([st, n]) => `${st}:${n}`).join(' ');
  // FUZZ_DEBUG=<file>: the outcome counts, for tuning (the reporter hides console output).
  if (process.env.FUZZ_DEBUG) writeFileSync(process.env.FUZZ_DEBUG, JSON.stringify({ elapsedMs: Date.now() - started, summary, cut, largeSent, hugeOutcomes, rawSummary }));
  assert.equal(sent, TOTAL);
  assert.ok(sent >= 10_000, `sent ${sent}`);
  assert.equal(hugeOutcomes.length, hugeTargets.length, `every 10 MB body was sent once: ${hugeOutcomes.join(' ')}`);
  for (const o of hugeOutcomes) assert.match(o, /:(4\d\d|cut)$/, `10 MB bodies are refused: ${hugeOutcomes.join(' ')}`);
  assert.equal(largeSent, MAX_LARGE_BODIES, 'bodies around the 64 KB and 2 MB limits were in the run');
  assert.deepEqual(fiveXX.slice(0, 20), [], `5xx answers (${fiveXX.length}); statuses ${summary}`);
  assert.deepEqual(leaks.slice(0, 20), [], 'leaks');
  assert.deepEqual(clientErrors.slice(0, 20), [], `requests that got no answer (${clientErrors.length})`);
  assert.ok((statuses.get(200) ?? 0) > 1000, `plenty of requests reached the handlers: ${summary}`);
  assert.ok((statuses.get(400) ?? 0) > 500, `plenty were refused as invalid: ${summary}`);
  assert.ok((statuses.get(413) ?? 0) > 0, `some bodies were refused as too large: ${summary}`);
  assert.equal([...statuses.values()].reduce((x, y) => x + y, 0) + cut + clientErrors.length, sent, 'every request has one outcome');

  // Still alive and still correct.
  const health = await fetch(`${h.url}/healthz`, { headers: { 'auth-token': auth } });
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  const again = await fetch(`${h.url}/api/library`, { headers: { 'auth-token': auth } });
  assert.equal(again.status, 200);
  assert.equal(((await again.json()) as { videos: unknown[] }).videos.length, ids.length);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
});
