// Response hardening on the real server: security headers on every response of every route
// (refusals, errors and 404s included) and never a CORS grant; every route validates its
// parameters and bodies with a schema; body size limits; errors are short JSON without stack
// traces or internal paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { routeTable, type RouteInfo } from '../src/api/auth/plugin.ts';

const TOKEN = 'hardening-token-0123456';
const bearer = { authorization: `Bearer ${TOKEN}` };

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function call(h: Harness, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Res> {
  const res = await request(h.url + path, { method: method as 'GET', headers, body });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** No stack trace, source path or module name in an error body. */
function assertCleanError(res: Res, label: string): void {
  assert.match(String(res.headers['content-type']), /^application\/json/, `${label}: JSON error`);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  assert.equal(typeof body.error, 'string', `${label}: has an error message`);
  assert.ok(!('stack' in body), `${label}: no stack`);
  assert.doesNotMatch(res.text, /\bat [\w.<>]+ \(|node_modules|\/work\/|\/src\/|\.ts:\d+|[A-Z]:\\\\/, `${label}: no internals in ${res.text}`);
}

function assertSecurityHeaders(res: Res, label: string, path: string): void {
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`);
  assert.equal(res.headers['x-frame-options'], 'DENY', `${label}: X-Frame-Options`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${label}: Referrer-Policy`);
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, `${label}: CSP frame-ancestors`);
  assert.equal(res.headers['access-control-allow-origin'], undefined, `${label}: no CORS grant`);
  if (/^\/heresphere(\/|\?|$)/.test(path)) assert.equal(res.headers['heresphere-json-version'], '1', `${label}: HereSphere version header`);
}

let h: Harness;
let id = '';
let fileId = 0;
const concrete = (r: RouteInfo) => r.url.replace(/:([A-Za-z]+)/g, (_m, n: string) => ({ id, fileId: String(fileId), file: 'index.js' })[n] ?? 'x');

before(async () => {
  h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  const lib = JSON.parse((await call(h, 'GET', '/api/library', bearer)).text);
  id = lib.videos[0].id;
  fileId = JSON.parse((await call(h, 'GET', `/api/videos/${id}`, bearer)).text).files[0].fileId;
});
after(() => h?.close());

test('every response of every route carries the security headers and no CORS grant', async () => {
  const origin = { origin: 'http://evil.example' };
  let n = 0;
  for (const r of routeTable(h.app)) {
    const path = concrete(r);
    const body = r.method === 'POST' ? '{}' : undefined;
    const ct: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
    const variants: Array<Record<string, string>> = [{}, bearer, { ...bearer, ...origin }, { accept: 'text/html' }];
    for (const headers of variants) {
      const res = await call(h, r.method, path, { ...ct, ...headers }, body);
      assertSecurityHeaders(res, `${r.method} ${r.url} ${JSON.stringify(Object.keys(headers))}`, path);
      if (/^text\/html/.test(String(res.headers['content-type']))) {
        assert.doesNotMatch(String(res.headers['content-security-policy']), /'unsafe-inline'[^;]*script|script-src[^;]*'unsafe-inline'/, 'no inline script allowed on HTML');
      }
      n++;
    }
  }
  for (const [method, path] of [['OPTIONS', '/api/library'], ['OPTIONS', '/heresphere'], ['GET', '/no/such/route'], ['DELETE', '/api/library'], ['GET', '/heresphere/zzz']] as const) {
    const variants: Array<Record<string, string>> = [{}, bearer, { ...bearer, ...origin, 'access-control-request-method': 'POST' }];
    for (const headers of variants) {
      const res = await call(h, method, path, headers);
      assertSecurityHeaders(res, `${method} ${path}`, path);
      // HereSphere's refusal for a guest is a 200 library with access 0 (its login bar).
      const guestHs = !headers.authorization && path.startsWith('/heresphere') && res.status === 200 && JSON.parse(res.text).access === 0;
      if (guestHs) continue;
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path} -> ${res.status}`);
      if (method !== 'OPTIONS' || res.text) assertCleanError(res, `${method} ${path}`);
    }
  }
  assert.ok(n > 100);
});

test('every route validates its path parameters, and its body unless it ignores bodies', () => {
  // Bodies these routes read nothing from except credentials (handled by the auth plugin).
  const BODY_IGNORED = new Set(['POST /heresphere', 'POST /heresphere/scan', 'POST /logout', 'POST /deovr', 'POST /deovr/', 'POST /deovr/:id']);
  const missing: string[] = [];
  for (const r of routeTable(h.app)) {
    const key = `${r.method} ${r.url}`;
    if (r.url.includes(':') && !r.schema.params) missing.push(`${key}: params`);
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.schema.body && !BODY_IGNORED.has(key)) missing.push(`${key}: body`);
    if (r.url.includes('*')) missing.push(`${key}: wildcard route`);
  }
  assert.deepEqual(missing, [], 'routes without a schema');
});

test('body size limits: 64 KB by default, 2 MB for the HereSphere video route (HSP)', async () => {
  const json = { 'content-type': 'application/json', ...bearer };
  const big = (bytes: number) => JSON.stringify({ pad: 'x'.repeat(bytes) });
  const cases: Array<[string, string, number, number]> = [
    ['POST', `/api/videos/${id}`, 70 * 1024, 413],
    ['POST', '/heresphere', 100 * 1024, 413],
    ['POST', '/heresphere/scan', 100 * 1024, 413],
    ['POST', `/heresphere/${id}/event`, 100 * 1024, 413],
    ['POST', '/login', 20 * 1024, 413],
    ['POST', '/heresphere/auth', 20 * 1024, 413],
    ['POST', `/heresphere/${id}`, 3 * 1024 * 1024, 413],
  ];
  for (const [method, path, size, status] of cases) {
    const res = await call(h, method, path, json, big(size));
    assert.equal(res.status, status, `${method} ${path} with ${size} bytes`);
    assertCleanError(res, `${method} ${path}`);
  }
  // A real 1.4 MB HSP file fits.
  const hsp = Buffer.alloc(1024 * 1024, 7);
  const ok = await call(h, 'POST', `/heresphere/${id}`, json, JSON.stringify({ hsp: hsp.toString('base64'), needsMediaSource: false }));
  assert.equal(ok.status, 200, ok.text.slice(0, 200));
  // Anonymous oversize bodies are refused just the same (no 2 MB parse for a guest on other routes).
  const anon = await call(h, 'POST', `/api/videos/${id}`, { 'content-type': 'application/json' }, big(1024 * 1024));
  assert.ok([401, 413].includes(anon.status));
});

test('errors are short JSON: bad JSON, wrong types, bad ids, unknown routes, bad methods', async () => {
  const json = { 'content-type': 'application/json', ...bearer };
  const cases: Array<[string, string, string | undefined, number]> = [
    ['POST', `/api/videos/${id}`, '{"favorite": tru', 400],
    ['POST', `/api/videos/${id}`, '{"rating": "five"}', 400],
    ['POST', `/api/videos/${id}`, '{"rating": 7}', 400],
    ['POST', `/api/videos/${id}`, '{"rating": 1.3}', 400],
    ['POST', `/api/videos/${id}`, '[]', 400],
    ['GET', '/api/videos/..%2F..%2Fetc%2Fpasswd', undefined, 400],
    ['GET', '/api/videos/0123456789ABCDEF', undefined, 400],
    ['GET', '/api/videos/ffffffffffffffff', undefined, 404],
    ['GET', `/play/${id}/-1`, undefined, 400],
    ['GET', `/play/${id}/99999999999999999999`, undefined, 400],
    ['GET', `/play/${id}/1.5`, undefined, 400],
    ['GET', '/thumb/%00.jpg', undefined, 400],
    ['POST', `/heresphere/${id}`, '{"rating": "x"}', 400],
    ['POST', `/heresphere/${id}`, '{"tags": {"name": 1}}', 400],
    ['POST', `/heresphere/${id}`, '{"hsp": {"a": 1}}', 400],
    ['POST', `/heresphere/${id}/event`, '{"event": 9}', 400],
    ['POST', '/heresphere', '{not json', 400],
    ['GET', '/api/media-status?ids=../../x', undefined, 400],
    ['PUT', '/api/library', '{}', 404],
    ['GET', '/nope', undefined, 404],
  ];
  for (const [method, path, body, status] of cases) {
    const res = await call(h, method, path, json, body);
    assert.equal(res.status, status, `${method} ${path} ${body ?? ''} -> ${res.text.slice(0, 200)}`);
    assertCleanError(res, `${method} ${path}`);
  }
});
