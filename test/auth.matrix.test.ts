// The auth matrix on the real server: every route of the live route table (so a route added
// later is covered without editing this file) × {no credentials, no credentials but a browser's
// Accept: text/html (the ancestor's bypass), wrong credentials of every kind, each valid kind}.
// Each refusal is the exact answer its route's client expects (auth.support.ts); anonymous
// requests never see an RD download URL, a thumbnail, a title or user data, nor change anything.
// Guesses of the token count towards the failed-login lock-out, so the server's injected clock
// moves a minute past the window before each one: every guess is answered as a guess, not a 429.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { routeTable, type RouteInfo } from '../src/api/auth/plugin.ts';
import {
  BROWSER, TOKEN, assertGranted, assertNoLeak, assertRefusal, bearer, bodyFor, call, concrete, hsToken, isDeo, isHs,
  isPublic, login, readLibrary, type Library, type Offer, type Req,
} from './auth.support.ts';

let h: Harness;
let lib: Library;
let skew = 0;
/** Moves the server's clock past the failed-login window: the next guess starts a fresh count. */
const forgetFailures = () => (skew += 61_000);

before(async () => {
  h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN }, now: () => Date.now() + skew });
  lib = await readLibrary(h);
});

after(async () => {
  await h?.close();
});

const routes = (): readonly RouteInfo[] => routeTable(h.app);

test('anonymous requests to every route are refused exactly and learn nothing, with or without Accept: text/html', async () => {
  assert.ok(routes().length >= 30, `the route table was collected (${routes().length})`);
  const userBefore = JSON.stringify([...h.store.user.all()]);
  let checked = 0;
  for (const r of routes()) {
    const path = concrete(lib, r);
    for (const browser of [false, true]) {
      const label = `${r.method} ${r.url}${browser ? ' (browser)' : ''}`;
      const res = await call(h.url, r.method, path, { ...bodyFor(r), headers: browser ? { ...BROWSER } : {} });
      if (isPublic(r)) {
        assertNoLeak(lib, res, label);
        continue;
      }
      assertRefusal(lib, r, path, res, { access: 0, browser, badSignature: false }, label);
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
  const vid = await call(h.url, 'POST', `/heresphere/${lib.video.id}`, { headers: hs, json: { needsMediaSource: true } });
  assert.equal(vid.status, 200);
  assert.equal(vid.json.access, 0);
  assert.equal(vid.json.media, undefined, 'no media for a guest');
  const root = await call(h.url, 'GET', '/', { headers: { 'user-agent': 'HereSphere/0.8 Quest2' } });
  assert.equal(root.status, 307);
  assert.equal(root.headers.location, '/heresphere');
  const browserRoot = await call(h.url, 'GET', '/', { headers: BROWSER });
  assert.equal(browserRoot.status, 302);
  assert.equal(browserRoot.headers.location, '/login');
  const browserHs = await call(h.url, 'GET', '/heresphere', { headers: BROWSER });
  assert.equal(browserHs.status, 302);
  assert.equal(browserHs.headers.location, '/login?next=%2Fheresphere');
  assert.equal(browserHs.headers['heresphere-json-version'], '1', 'refusals under /heresphere carry the version header');
  const api = await call(h.url, 'GET', '/api/library', { headers: BROWSER });
  assert.equal(api.status, 401, 'the API answers 401 even to a browser, so the app can redirect');
});

test('wrong credentials of every kind are refused exactly on every route (access -1 for players)', async () => {
  const staleCookie = `ds_session=${'A'.repeat(22)}.9999999999.${'B'.repeat(32)}`;
  const wrongSig = `sig=${'C'.repeat(24)}`;
  const userBefore = JSON.stringify([...h.store.user.all()]);
  let checked = 0;
  for (const r of routes()) {
    const path = concrete(lib, r);
    const body = bodyFor(r);
    // [kind, request, url, is it a guess of the token (counted by the limiter)?]
    const kinds: Array<[string, Req, string, boolean]> = [
      ['auth-token', { ...body, headers: { 'auth-token': 'not-the-auth-token' } }, path, false],
      ['cookie', { ...body, headers: { cookie: staleCookie } }, path, false],
      ['signature', body, `${path}?${wrongSig}`, false],
      ['authorization', { ...body, headers: { authorization: 'Basic Zm9vOmJhcg==' } }, path, false],
      ['bearer', { ...body, headers: { authorization: 'Bearer wrong-token-guess' } }, path, true],
    ];
    if (r.method === 'POST' && isHs(r) && !isPublic(r)) {
      kinds.push(['body credentials', { json: { ...(body.json as object), username: 'anyone', password: 'wrong-token-guess' } }, path, true]);
    }
    if (r.method === 'POST' && isDeo(r)) kinds.push(['form credentials', { form: { login: 'anyone', password: 'wrong-token-guess' } }, path, true]);
    for (const [kind, req, url, guess] of kinds) {
      if (guess) forgetFailures();
      const label = `${r.method} ${r.url} wrong ${kind}`;
      const res = await call(h.url, r.method, url, req);
      if (isPublic(r)) {
        assertNoLeak(lib, res, label);
        assert.ok(res.status < 500 && res.status !== 429, `${label}: ${res.status}`);
        continue;
      }
      const offer: Offer = { access: -1, browser: false, badSignature: kind === 'signature' };
      assertRefusal(lib, r, path, res, offer, label);
      checked++;
    }
  }
  const protectedRoutes = routes().filter((r) => !isPublic(r)).length;
  assert.ok(protectedRoutes >= 35 && checked >= protectedRoutes * 5, `checked ${checked} on ${protectedRoutes} routes`);
  assert.equal(JSON.stringify([...h.store.user.all()]), userBefore, 'no write with a wrong credential reached the store');

  // The login routes themselves, with a wrong token.
  forgetFailures();
  assert.deepEqual((await call(h.url, 'POST', '/heresphere/auth', { json: { username: 'x', password: 'wrong-token-guess' } })).json, { access: -1, library: [{ name: 'Login failed', list: [] }] });
  forgetFailures();
  const wrongLogin = await call(h.url, 'POST', '/login', { json: { token: 'wrong-token-guess' } });
  assert.equal(wrongLogin.status, 401);
  assert.deepEqual(wrongLogin.json, { error: 'Wrong token.' });
  assert.equal(wrongLogin.headers['set-cookie'], undefined);
});

test('each valid credential opens every route, and only full credentials write', async () => {
  const auth = await hsToken(h.url);
  assert.notEqual(auth, TOKEN, 'the auth-token is not the token');
  const origin = h.url;
  for (const r of routes()) {
    const path = concrete(lib, r);
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
      assertGranted(await call(h.url, r.method, path, { ...body, headers }), `${label} via ${kind}`);
    }
    if (r.method === 'POST' && isHs(r) && r.url !== '/heresphere/auth') {
      const b = (body.json ?? {}) as Record<string, unknown>;
      assertGranted(await call(h.url, 'POST', path, { json: { ...b, username: 'anyone', password: TOKEN } }), `${label} via body credentials`);
    }
    if (r.method === 'POST' && isDeo(r)) {
      assertGranted(await call(h.url, 'POST', path, { form: { login: 'anyone', password: TOKEN } }), `${label} via form credentials`);
    }
  }
  const user = h.store.user.all();
  assert.ok([...user.values()].some((u) => u.favorite), 'authorised writes reached the store');
});
