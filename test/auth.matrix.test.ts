// The auth matrix on the real server: every route of the live route table (so a route added
// later is covered without editing this file) × {no credentials, no credentials but a browser's
// Accept: text/html (the ancestor's bypass), wrong credentials of each kind, each valid kind}.
// Anonymous requests must never see an RD download URL, a thumbnail, a title or user data, nor
// change anything; signed asset URLs must open without headers, break when altered, survive a
// restart and die with a token change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { routeTable, type RouteInfo } from '../src/api/auth/plugin.ts';

const TOKEN = 'matrix-secret-token-0123';
const OTHER_TOKEN = 'another-secret-token-4567';
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}
interface Req {
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

async function call(base: string, method: string, path: string, r: Req = {}): Promise<Res> {
  const headers: Record<string, string> = { ...r.headers };
  let body: string | undefined;
  if (r.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(r.json);
  } else if (r.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(r.form).toString();
  }
  const res = await request(base + path, { method: method as 'GET', headers, body });
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
const PUBLIC = new Set(['GET /healthz', 'HEAD /healthz', 'GET /login', 'HEAD /login', 'POST /login', 'POST /logout', 'GET /login.js', 'HEAD /login.js', 'GET /login.css', 'HEAD /login.css', 'POST /heresphere/auth']);
const isHs = (r: RouteInfo) => /^\/heresphere(\/|$)/.test(r.url);
const isDeo = (r: RouteInfo) => /^\/deovr(\/|$)/.test(r.url);

/** A request body a real client would send to this route. */
function bodyFor(r: RouteInfo): Req {
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

let h: Harness;
let dataDir: string;
let ids: string[] = [];
let titles: string[] = [];
let video: { id: string; fileId: number };
const bearer = { authorization: `Bearer ${TOKEN}` };

function concrete(r: RouteInfo): string {
  const values: Record<string, string> = { id: video.id, fileId: String(video.fileId), file: 'index.js' };
  return r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? 'x');
}

/** The library's secrets that no anonymous answer may contain. */
function assertNoLeak(res: Res, label: string): void {
  const cdn = h.fake.url;
  assert.ok(!res.text.includes(cdn) && !/\/d\/[A-Za-z0-9]/.test(res.text), `${label}: no RD download URL in the body`);
  assert.ok(!String(res.headers.location ?? '').includes(cdn) && !String(res.headers.location ?? '').includes('/d/'), `${label}: no redirect to the CDN`);
  assert.ok(!/^(image|video|audio)\//.test(String(res.headers['content-type'] ?? '')), `${label}: no media (${res.headers['content-type']})`);
  for (const id of ids) assert.ok(!res.text.includes(id), `${label}: no video id`);
  for (const t of titles) assert.ok(!res.text.includes(t), `${label}: no title`);
  assert.ok(!res.text.includes('sig='), `${label}: no signed URL`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  assert.ok(cookies.every((c) => /^ds_session=;/.test(c)), `${label}: no session handed out`);
}

/** A refusal in the client's own language: 401/403, a redirect to the login page, or access 0/-1. */
function assertRefused(r: RouteInfo, res: Res, label: string, expectAccess: 0 | -1 | null = null): void {
  assertNoLeak(res, label);
  if (res.status === 401 || res.status === 403) return;
  if (res.status === 302) {
    assert.match(String(res.headers.location), /^\/login(\?|$)/, `${label}: redirected to the login page`);
    return;
  }
  assert.equal(res.status, 200, `${label}: refused (got ${res.status} ${res.text.slice(0, 200)})`);
  assert.ok(isHs(r) || isDeo(r), `${label}: only player routes answer a refusal with 200`);
  if (r.method === 'HEAD') return;
  if (isHs(r)) {
    assert.ok(res.json.access === 0 || res.json.access === -1, `${label}: HereSphere access 0/-1`);
    if (expectAccess !== null) assert.equal(res.json.access, expectAccess, label);
    assert.deepEqual(res.json.library.map((s: { list: unknown[] }) => s.list.length), [0], `${label}: one empty section`);
    assert.equal(res.json.library[0].name, res.json.access === 0 ? 'Login required' : 'Login failed');
  } else {
    assert.ok(res.json.authorized === '0' || res.json.authorized === '-1', `${label}: DeoVR authorized 0/-1`);
    if (expectAccess !== null) assert.equal(res.json.authorized, String(expectAccess), label);
    for (const s of res.json.scenes ?? []) assert.equal(s.list.length, 0, `${label}: no scenes`);
  }
}

function assertGranted(r: RouteInfo, res: Res, label: string): void {
  assert.ok(![401, 403, 429].includes(res.status), `${label}: granted (got ${res.status} ${res.text.slice(0, 200)})`);
  if (res.status === 302) assert.doesNotMatch(String(res.headers.location), /^\/login/, `${label}: not sent to the login page`);
  if (res.json && typeof res.json === 'object' && 'access' in res.json) assert.equal(res.json.access, 1, `${label}: access 1`);
  if (res.json && typeof res.json === 'object' && 'authorized' in res.json) assert.equal(res.json.authorized, '1', `${label}: authorized 1`);
}

async function login(base: string, token = TOKEN): Promise<string> {
  const res = await call(base, 'POST', '/login', { json: { token } });
  assert.equal(res.status, 200, res.text);
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
  return set.split(';')[0]!;
}

async function hsToken(base: string, token = TOKEN): Promise<string> {
  const res = await call(base, 'POST', '/heresphere/auth', { json: { username: 'anyone', password: token } });
  assert.equal(res.json.access, 1, res.text);
  return res.json['auth-token'];
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'debridsphere-authmatrix-'));
  h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, dataDir, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  const lib = await call(h.url, 'GET', '/api/library', { headers: bearer });
  assert.equal(lib.status, 200, lib.text);
  ids = lib.json.videos.map((v: { id: string }) => v.id);
  titles = lib.json.videos.map((v: { title: string }) => v.title).filter((t: string) => t.length >= 6);
  assert.ok(ids.length >= 2, 'the library loaded');
  const detail = await call(h.url, 'GET', `/api/videos/${ids[0]}`, { headers: bearer });
  assert.equal(detail.status, 200, detail.text);
  video = { id: ids[0]!, fileId: detail.json.files[0].fileId };
});

after(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('anonymous requests to every route are refused and learn nothing, with or without Accept: text/html', async () => {
  const routes = routeTable(h.app);
  assert.ok(routes.length >= 30, `the route table was collected (${routes.length})`);
  const userBefore = JSON.stringify([...h.store.user.all()]);
  let checked = 0;
  for (const r of routes) {
    const path = concrete(r);
    const variants: Array<Record<string, string>> = [{}, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'user-agent': BROWSER_UA }];
    for (const extra of variants) {
      const label = `${r.method} ${r.url} ${Object.keys(extra).length ? '(browser)' : ''}`;
      const req = bodyFor(r);
      const res = await call(h.url, r.method, path, { ...req, headers: { ...extra } });
      if (PUBLIC.has(`${r.method} ${r.url}`)) {
        assertNoLeak(res, label);
        continue;
      }
      assertRefused(r, res, label, 0);
      checked++;
    }
  }
  assert.ok(checked >= 50, `checked ${checked}`);
  assert.equal(JSON.stringify([...h.store.user.all()]), userBefore, 'no anonymous write reached the store');

  // The public ones, precisely.
  assert.deepEqual((await call(h.url, 'GET', '/healthz')).json, { status: 'ok' });
  assert.ok(Object.keys((await call(h.url, 'GET', '/healthz', { headers: bearer })).json).length > 1, 'full health with a credential');
  assert.deepEqual((await call(h.url, 'POST', '/heresphere/auth', { json: {} })).json, { access: 0, library: [{ name: 'Login required', list: [] }] });
  const page = await call(h.url, 'GET', '/login');
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
  assert.doesNotMatch(page.text, /\son[a-z]+=/i, 'no inline handlers');
});

test('player and browser entry points refuse in their own language', async () => {
  const hs = { 'user-agent': 'HereSphere/0.8 Quest2', 'content-type': 'application/json' };
  assert.deepEqual((await call(h.url, 'POST', '/heresphere', { headers: hs, json: {} })).json, { access: 0, library: [{ name: 'Login required', list: [] }] });
  const vid = await call(h.url, 'POST', `/heresphere/${video.id}`, { headers: hs, json: { needsMediaSource: true } });
  assert.equal(vid.status, 200);
  assert.equal(vid.json.access, 0);
  assert.equal(vid.json.media, undefined, 'no media for a guest');
  const root = await call(h.url, 'GET', '/', { headers: { 'user-agent': 'HereSphere/0.8 Quest2' } });
  assert.equal(root.status, 307);
  assert.equal(root.headers.location, '/heresphere');
  const browserRoot = await call(h.url, 'GET', '/', { headers: { accept: 'text/html', 'user-agent': BROWSER_UA } });
  assert.equal(browserRoot.status, 302);
  assert.equal(browserRoot.headers.location, '/login');
  const browserHs = await call(h.url, 'GET', '/heresphere', { headers: { accept: 'text/html', 'user-agent': BROWSER_UA } });
  assert.equal(browserHs.status, 302);
  assert.equal(browserHs.headers.location, '/login?next=%2Fheresphere');
  assert.equal(browserHs.headers['heresphere-json-version'], '1', 'refusals under /heresphere carry the version header');
  const api = await call(h.url, 'GET', '/api/library', { headers: { accept: 'text/html', 'user-agent': BROWSER_UA } });
  assert.equal(api.status, 401, 'the API answers 401 even to a browser, so the app can redirect');
});

test('wrong credentials of every kind are refused on every route (access -1 for players)', async () => {
  const staleCookie = `ds_session=${'A'.repeat(22)}.9999999999.${'B'.repeat(32)}`;
  const wrongSig = `sig=${'C'.repeat(24)}`;
  for (const r of routeTable(h.app)) {
    if (PUBLIC.has(`${r.method} ${r.url}`)) continue;
    const path = concrete(r);
    const kinds: Array<[string, Req, string]> = [
      ['auth-token', { headers: { 'auth-token': 'not-the-auth-token' } }, path],
      ['cookie', { headers: { cookie: staleCookie } }, path],
      ['signature', {}, `${path}?${wrongSig}`],
      ['authorization', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }, path],
    ];
    for (const [kind, req, url] of kinds) {
      const body = bodyFor(r);
      const res = await call(h.url, r.method, url, { ...body, headers: { ...req.headers } });
      assertRefused(r, res, `${r.method} ${r.url} wrong ${kind}`, -1);
    }
  }
  // Guesses of the token itself (these count towards the lock-out: five of the ten).
  const wrongBearer = await call(h.url, 'GET', '/api/library', { headers: { authorization: 'Bearer wrong-token-guess' } });
  assert.equal(wrongBearer.status, 401);
  const hsBody = await call(h.url, 'POST', '/heresphere', { json: { username: 'x', password: 'wrong-token-guess' } });
  assert.deepEqual(hsBody.json, { access: -1, library: [{ name: 'Login failed', list: [] }] });
  assert.deepEqual((await call(h.url, 'POST', '/heresphere/auth', { json: { username: 'x', password: 'wrong-token-guess' } })).json, { access: -1, library: [{ name: 'Login failed', list: [] }] });
  assert.equal((await call(h.url, 'POST', '/deovr', { form: { login: 'x', password: 'wrong-token-guess' } })).json.authorized, '-1');
  assert.equal((await call(h.url, 'POST', '/login', { json: { token: 'wrong-token-guess' } })).status, 401);
});

test('each valid credential opens every route, and only full credentials write', async () => {
  const auth = await hsToken(h.url);
  assert.notEqual(auth, TOKEN, 'the auth-token is not the token');
  const origin = h.url;
  for (const r of routeTable(h.app)) {
    const path = concrete(r);
    const body = bodyFor(r);
    const label = `${r.method} ${r.url}`;
    const writes = r.method !== 'GET' && r.method !== 'HEAD';
    const cookie = await login(h.url);
    const kinds: Array<[string, Record<string, string>]> = [
      ['bearer', bearer],
      ['auth-token', { 'auth-token': auth }],
      ['cookie', { cookie, ...(writes ? { origin } : {}) }],
    ];
    for (const [kind, headers] of kinds) {
      if (r.url === '/login' && r.method === 'POST') continue; // a login needs its own token
      assertGranted(r, await call(h.url, r.method, path, { ...body, headers }), `${label} via ${kind}`);
    }
    if (r.method === 'POST' && isHs(r) && r.url !== '/heresphere/auth') {
      const b = (body.json ?? {}) as Record<string, unknown>;
      assertGranted(r, await call(h.url, 'POST', path, { json: { ...b, username: 'anyone', password: TOKEN } }), `${label} via body credentials`);
    }
    if (r.method === 'POST' && isDeo(r)) {
      assertGranted(r, await call(h.url, 'POST', path, { form: { login: 'anyone', password: TOKEN } }), `${label} via form credentials`);
    }
  }
  const user = h.store.user.all();
  assert.ok([...user.values()].some((u) => u.favorite), 'authorised writes reached the store');
});

test('a browser session: changes need our own Origin, logout ends it', async () => {
  const cookie = await login(h.url);
  const url = `/api/videos/${video.id}`;
  assert.equal((await call(h.url, 'POST', url, { headers: { cookie }, json: { rating: 2 } })).status, 403, 'no Origin');
  assert.equal((await call(h.url, 'POST', url, { headers: { cookie, origin: 'http://evil.example' }, json: { rating: 2 } })).status, 403, 'foreign Origin');
  assert.equal((await call(h.url, 'POST', url, { headers: { cookie, origin: 'null' }, json: { rating: 2 } })).status, 403, 'opaque Origin');
  assert.equal((await call(h.url, 'POST', url, { headers: { cookie, 'sec-fetch-site': 'same-origin' }, json: { rating: 2 } })).status, 200, 'Sec-Fetch-Site same-origin');
  assert.equal((await call(h.url, 'POST', url, { headers: { cookie, origin: h.url }, json: { rating: 2.5 } })).status, 200);
  assert.equal((await call(h.url, 'GET', url, { headers: { cookie } })).status, 200, 'reads need no Origin');
  // Even a valid Bearer request is refused when a foreign page sends it.
  assert.equal((await call(h.url, 'POST', url, { headers: { ...bearer, origin: 'http://evil.example' }, json: { rating: 2 } })).status, 403);

  const out = await call(h.url, 'POST', '/logout', { headers: { cookie, origin: h.url } });
  assert.equal(out.status, 200);
  assert.match(String(out.headers['set-cookie']), /^ds_session=;.*Max-Age=0/);
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 401, 'the old cookie is revoked');
});

test('signed asset URLs open without headers, fail when altered, survive a restart, die with a token change', async () => {
  const lib = await call(h.url, 'GET', '/api/library', { headers: bearer });
  const thumb: string = lib.json.videos[0].thumbUrl;
  const preview: string = lib.json.videos[0].previewUrl;
  const detail = await call(h.url, 'GET', `/api/videos/${video.id}`, { headers: bearer });
  const play: string = detail.json.files[0].playUrl;
  // HSP: write one through HereSphere, then fetch it from the URL the video object gives.
  const hsp = Buffer.from('hsp-bytes-for-the-matrix');
  const hsVideo = await call(h.url, 'POST', `/heresphere/${video.id}`, { headers: bearer, json: { hsp: hsp.toString('base64'), needsMediaSource: false } });
  const hspUrl = new URL(hsVideo.json.hsp).pathname + new URL(hsVideo.json.hsp).search;
  const deo = await call(h.url, 'GET', '/deovr', { headers: bearer });
  const deoVideo = new URL(deo.json.scenes.flatMap((s: { list: Array<{ video_url: string }> }) => s.list)[0].video_url);
  const signed = [thumb, preview, play, hspUrl, deoVideo.pathname + deoVideo.search];
  for (const u of signed) assert.match(u, /\?sig=[A-Za-z0-9_-]{22,}$/, `${u} is signed`);
  for (const u of [...signed, ...(detail.json.subtitles as Array<{ url: string }>).map((s) => s.url)]) {
    assert.doesNotMatch(u, new RegExp(TOKEN), 'the token never appears in a URL');
  }

  const open = async (u: string, method = 'GET') => call(h.url, method, u);
  for (const u of signed) {
    const res = await open(u);
    assert.ok(![401, 403].includes(res.status), `${u} opens without headers (${res.status})`);
    assert.ok(![401, 403].includes((await open(u, 'HEAD')).status), `HEAD ${u}`);
    if (u.startsWith('/deovr/')) assert.equal(res.json.authorized, '1');
  }
  const hspRes = await open(hspUrl);
  assert.equal(hspRes.status, 200);
  assert.equal(hspRes.text, hsp.toString());
  assert.equal((await open(thumb)).headers['content-type'], 'image/jpeg');
  const playRes = await open(play);
  assert.equal(playRes.status, 302);
  assert.ok(String(playRes.headers.location).startsWith(h.fake.url), 'a signed /play redirects to the download');

  const other = ids[1]!;
  for (const u of signed) {
    const [path, query] = u.split('?') as [string, string];
    const sig = query.slice(4);
    assert.equal((await open(`${path.replace(video.id, other)}?${query}`)).status, u.startsWith('/deovr/') ? 200 : 403, `another video with ${u}'s signature`);
    const flipped = `${sig.slice(0, 5)}${sig[5] === 'x' ? 'y' : 'x'}${sig.slice(6)}`;
    const altered = await open(`${path}?sig=${flipped}`);
    if (u.startsWith('/deovr/')) assert.equal(altered.json.authorized, '-1');
    else assert.equal(altered.status, 403, `altered signature on ${path}`);
    const bare = await open(path);
    if (u.startsWith('/deovr/')) assert.equal(bare.json.authorized, '0');
    else assert.equal(bare.status, 401, `no signature on ${path}`);
  }
  assert.equal((await call(h.url, 'POST', thumb)).status !== 200, true, 'a signature opens reads only');
  assert.equal((await open(`${thumb}&sig=${thumb.split('sig=')[1]}`)).status, 403, 'two signatures are refused');

  const auth = await hsToken(h.url);
  const cookie = await login(h.url);

  // Restart with the same token: every URL, auth-token and cookie still works (HereSphere keeps them).
  await h.restart();
  for (const u of signed) assert.ok(![401, 403].includes((await open(u)).status), `${u} after a restart`);
  assert.equal((await call(h.url, 'POST', '/heresphere', { headers: { 'auth-token': auth }, json: {} })).json.access, 1);
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 200);

  // Another token on the same data dir: everything handed out before is dead.
  await h.close();
  h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, dataDir, env: { HERESPHERE_AUTH_TOKEN: OTHER_TOKEN } });
  for (const u of signed) {
    const res = await open(u);
    if (u.startsWith('/deovr/')) assert.equal(res.json.authorized, '-1', 'old DeoVR link');
    else assert.equal(res.status, 403, `${u} after the token changed`);
  }
  assert.deepEqual((await call(h.url, 'POST', '/heresphere', { headers: { 'auth-token': auth }, json: {} })).json, { access: -1, library: [{ name: 'Login failed', list: [] }] });
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 401, 'old cookie');
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: bearer })).status, 401, 'old token');
  const fresh = await call(h.url, 'GET', '/api/library', { headers: { authorization: `Bearer ${OTHER_TOKEN}` } });
  assert.equal(fresh.status, 200);
  const newThumb: string = fresh.json.videos[0].thumbUrl;
  assert.notEqual(newThumb, thumb);
  assert.equal((await open(newThumb)).status, 200);
  assert.notEqual(await hsToken(h.url, OTHER_TOKEN), auth);
});

test('the eleventh failed login within a minute gets 429, and opaque credentials still work', async () => {
  const lh = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  try {
    const cookie = await login(lh.url);
    const auth = await hsToken(lh.url);
    const attempts: Array<() => Promise<Res>> = [
      () => call(lh.url, 'POST', '/login', { json: { token: 'guess' } }),
      () => call(lh.url, 'POST', '/heresphere/auth', { json: { username: 'u', password: 'guess' } }),
      () => call(lh.url, 'POST', '/heresphere', { json: { username: 'u', password: 'guess' } }),
      () => call(lh.url, 'GET', '/api/library', { headers: { authorization: 'Bearer guess' } }),
      () => call(lh.url, 'POST', '/deovr', { form: { login: 'u', password: 'guess' } }),
    ];
    for (let i = 0; i < 10; i++) {
      const res = await attempts[i % attempts.length]!();
      assert.notEqual(res.status, 429, `failure ${i + 1} is answered normally`);
    }
    const eleventh = await call(lh.url, 'POST', '/login', { json: { token: 'guess' } });
    assert.equal(eleventh.status, 429);
    assert.match(eleventh.json.error, /too many failed logins/i);
    assert.ok(Number(eleventh.headers['retry-after']) > 0);
    // Locked out: even the right token is not checked now, on any password path.
    assert.equal((await call(lh.url, 'POST', '/login', { json: { token: TOKEN } })).status, 429);
    assert.equal((await call(lh.url, 'GET', '/api/library', { headers: { authorization: `Bearer ${TOKEN}` } })).status, 429);
    const hs = await call(lh.url, 'POST', '/heresphere/auth', { json: { username: 'u', password: TOKEN } });
    assert.equal(hs.status, 429);
    assert.equal(hs.json.access, -1, 'still library-shaped for HereSphere');
    // Credentials that cannot be guessed are not locked out.
    assert.equal((await call(lh.url, 'GET', '/api/library', { headers: { cookie } })).status, 200);
    assert.equal((await call(lh.url, 'POST', '/heresphere', { headers: { 'auth-token': auth }, json: {} })).json.access, 1);
    // And anonymous visitors still get the normal login answers.
    assert.equal((await call(lh.url, 'POST', '/heresphere', { json: {} })).json.access, 0);
  } finally {
    await lh.close();
  }
});
