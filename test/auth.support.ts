// Shared by the auth tests: raw requests, the bodies real clients send per route, concrete paths
// for route patterns, and the test's own statement of what each kind of route must answer to a
// request without full access (independent of src/api/auth/policy.ts, so a wrong policy table
// fails here instead of being copied into the expectation).
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { RouteInfo } from '../src/api/auth/plugin.ts';
import type { Harness } from './helpers/harness.ts';

export const TOKEN = 'matrix-secret-token-0123';
export const OTHER_TOKEN = 'another-secret-token-4567';
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
export const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'user-agent': BROWSER_UA };
export const bearer = { authorization: `Bearer ${TOKEN}` };

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}
export interface Req {
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

export async function call(base: string, method: string, path: string, r: Req = {}): Promise<Res> {
  const headers: Record<string, string> = { ...r.headers };
  let body: string | undefined;
  if (r.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(r.json);
  } else if (r.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(r.form).toString();
  }
  // A fresh connection per call: tests restart servers on the same port, and a pooled keep-alive
  // socket to the old server would fail with "other side closed".
  const res = await request(base + path, { method: method as 'GET', headers, body, reset: true });
  const text = await res.body.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** Routes anyone may call; what they answer is checked separately. */
export const PUBLIC = new Set(['GET /healthz', 'HEAD /healthz', 'GET /login', 'HEAD /login', 'POST /login', 'POST /logout', 'GET /login.js', 'HEAD /login.js', 'GET /login.css', 'HEAD /login.css', 'POST /heresphere/auth']);
export const isPublic = (r: RouteInfo) => PUBLIC.has(`${r.method} ${r.url}`);
export const isHs = (r: RouteInfo) => /^\/heresphere(\/|$)/.test(r.url);
export const isDeo = (r: RouteInfo) => /^\/deovr(\/|$)/.test(r.url);
export const isAsset = (r: RouteInfo) => /^\/(thumb|preview|play|hsp)\//.test(r.url);

/** A request body a real client would send to this route. */
export function bodyFor(r: RouteInfo): Req {
  if (r.method !== 'POST') return {};
  if (isDeo(r)) return { form: {} };
  const bodies: Record<string, unknown> = {
    '/api/videos/:id': { favorite: true, rating: 4, watched: true },
    '/heresphere/:id': { isFavorite: true, rating: 3, needsMediaSource: false, tags: [{ name: 'Anonymous:was-here' }] },
    '/heresphere/:id/event': { event: 3, time: 120_000 },
    '/login': { token: '' },
  };
  return { json: bodies[r.url] ?? {} };
}

export interface Library {
  h: Harness;
  ids: string[];
  titles: string[];
  video: { id: string; fileId: number };
}

/** Reads the library with a valid credential: what no refusal may reveal. */
export async function readLibrary(h: Harness, headers: Record<string, string> = bearer): Promise<Library> {
  const lib = await call(h.url, 'GET', '/api/library', { headers });
  assert.equal(lib.status, 200, lib.text);
  const ids: string[] = lib.json.videos.map((v: { id: string }) => v.id);
  const titles: string[] = lib.json.videos.map((v: { title: string }) => v.title).filter((t: string) => t.length >= 6);
  assert.ok(ids.length >= 2, 'the library loaded');
  const detail = await call(h.url, 'GET', `/api/videos/${ids[0]}`, { headers });
  assert.equal(detail.status, 200, detail.text);
  return { h, ids, titles, video: { id: ids[0]!, fileId: detail.json.files[0].fileId } };
}

export function concrete(lib: Library, r: RouteInfo): string {
  const values: Record<string, string> = { id: lib.video.id, fileId: String(lib.video.fileId), file: 'index.js' };
  return r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? 'x');
}

/** The library's secrets that no refused answer may contain. */
export function assertNoLeak(lib: Library, res: Res, label: string): void {
  const cdn = lib.h.fake.url;
  assert.ok(!res.text.includes(cdn) && !/\/d\/[A-Za-z0-9]/.test(res.text), `${label}: no RD download URL in the body`);
  assert.ok(!String(res.headers.location ?? '').includes(cdn) && !String(res.headers.location ?? '').includes('/d/'), `${label}: no redirect to the CDN`);
  assert.ok(!/^(image|video|audio)\//.test(String(res.headers['content-type'] ?? '')), `${label}: no media (${res.headers['content-type']})`);
  for (const id of lib.ids) assert.ok(!res.text.includes(id), `${label}: no video id`);
  for (const t of lib.titles) assert.ok(!res.text.includes(t), `${label}: no title`);
  assert.ok(!res.text.includes('sig='), `${label}: no signed URL`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  assert.ok(cookies.every((c) => /^ds_session=;/.test(c)), `${label}: no session handed out`);
}

export interface Offer {
  /** What the request offered: 0 nothing, -1 a wrong credential. */
  access: 0 | -1;
  /** A browser navigating (Accept: text/html, a browser's User-Agent). */
  browser: boolean;
  /** The wrong credential was a `sig` query parameter. */
  badSignature: boolean;
}

/**
 * The exact refusal for a protected route, in its client's language. HereSphere routes: 200 with
 * access 0/-1 (a browser opening /heresphere goes to the login page). DeoVR routes: 200 with
 * authorized "0"/"-1". A wrong signature elsewhere: 403. A browser opening a page: 302 to
 * /login?next=. Everything else (the API, assets): 401 with WWW-Authenticate.
 */
export function assertRefusal(lib: Library, r: RouteInfo, path: string, res: Res, offer: Offer, label: string): void {
  assertNoLeak(lib, res, label);
  const head = r.method === 'HEAD';
  const where = `${label}: got ${res.status} ${res.text.slice(0, 160)}`;
  if (isHs(r)) {
    if (r.method === 'GET' && r.url === '/heresphere' && offer.browser) {
      assert.equal(res.status, 302, where);
      assert.equal(res.headers.location, '/login?next=%2Fheresphere', where);
      return;
    }
    assert.equal(res.status, 200, where);
    if (head) return assert.equal(res.text, '', where);
    const body: Record<string, unknown> = { access: offer.access, library: [{ name: offer.access === 0 ? 'Login required' : 'Login failed', list: [] }] };
    if (r.url === '/heresphere/scan') body.scanData = [];
    assert.deepEqual(res.json, body, where);
    return;
  }
  if (isDeo(r)) {
    assert.equal(res.status, 200, where);
    if (head) return assert.equal(res.text, '', where);
    const authorized = String(offer.access);
    if (r.url === '/deovr/:id') assert.deepEqual(res.json, { authorized }, where);
    else assert.deepEqual(res.json, { scenes: [{ name: offer.access === 0 ? 'Login required' : 'Login failed', list: [] }], authorized }, where);
    return;
  }
  if (offer.badSignature) {
    assert.equal(res.status, 403, where);
    if (!head) assert.match(res.json.error, /not valid/, where);
    return;
  }
  if (!isAsset(r) && !r.url.startsWith('/api/') && offer.browser && r.method === 'GET') {
    assert.equal(res.status, 302, where);
    assert.equal(res.headers.location, path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`, where);
    return;
  }
  assert.equal(res.status, 401, where);
  assert.equal(res.headers['www-authenticate'], 'Bearer realm="debridsphere"', where);
  if (!head) assert.match(res.json.error, offer.access === 0 ? /^Login required/ : /^Wrong or expired credentials/, where);
}

export function assertGranted(res: Res, label: string): void {
  assert.ok(![401, 403, 429].includes(res.status), `${label}: granted (got ${res.status} ${res.text.slice(0, 200)})`);
  if (res.status === 302) assert.doesNotMatch(String(res.headers.location), /^\/login/, `${label}: not sent to the login page`);
  if (res.json && typeof res.json === 'object' && 'access' in res.json) assert.equal(res.json.access, 1, `${label}: access 1`);
  if (res.json && typeof res.json === 'object' && 'authorized' in res.json) assert.equal(res.json.authorized, '1', `${label}: authorized 1`);
}

/** Logs a browser in; the session cookie (`name=value`). */
export async function login(base: string, token = TOKEN): Promise<string> {
  const res = await call(base, 'POST', '/login', { json: { token } });
  assert.equal(res.status, 200, res.text);
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
  return set.split(';')[0]!;
}

/** HereSphere's login: the opaque auth-token. */
export async function hsToken(base: string, token = TOKEN): Promise<string> {
  const res = await call(base, 'POST', '/heresphere/auth', { json: { username: 'anyone', password: token } });
  assert.equal(res.json.access, 1, res.text);
  return res.json['auth-token'];
}
