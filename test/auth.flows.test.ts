// The login flows end to end, as each client does them: HereSphere (/heresphere/auth, then the
// auth-token header or body credentials, with AUTH_USERNAME set, and a login page that says so), a browser (the login page in
// real Chromium: no CSP violation, cookie session, the app's API opens), the Secure flag over
// https, auth off (everything open, nothing signed), and no secret in any log line at trace level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Agent, request } from 'undici';
import { generate } from 'selfsigned';
import { startHarness, postJson } from './helpers/harness.ts';
import { startFakeRd, SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { loadConfig } from '../src/config.ts';
import { createParts } from '../src/parts.ts';
import { buildApp } from '../src/app.ts';
import { REDACT_PATHS } from '../src/log.ts';

const TOKEN = 'flows-secret-token-0123';
const CHROMIUM = '/usr/bin/chromium';

test('HereSphere: /heresphere/auth with the configured user name, then auth-token or body credentials', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN, AUTH_USERNAME: 'viewer' } });
  t.after(() => h.close());
  const hs = { 'user-agent': 'HereSphere/0.8 Quest2' };

  assert.deepEqual((await postJson(`${h.url}/heresphere`, {}, hs)).json, { access: 0, library: [{ name: 'Login required', list: [] }] });
  const wrongUser = await postJson(`${h.url}/heresphere/auth`, { username: 'someone', password: TOKEN }, hs);
  assert.deepEqual(wrongUser.json, { access: -1, library: [{ name: 'Login failed', list: [] }] });
  assert.equal(wrongUser.status, 200);
  assert.equal(wrongUser.headers.get('heresphere-json-version'), '1');
  const ok = await postJson(`${h.url}/heresphere/auth`, { username: 'viewer', password: TOKEN }, hs);
  assert.equal(ok.json.access, 1);
  const authToken: string = ok.json['auth-token'];
  assert.match(authToken, /^[A-Za-z0-9_-]{40,}$/);
  assert.ok(!authToken.includes(TOKEN));

  const index = await postJson(`${h.url}/heresphere`, {}, { ...hs, 'auth-token': authToken });
  assert.equal(index.json.access, 1);
  const urls: string[] = index.json.library.flatMap((s: { list: string[] }) => s.list);
  assert.ok(urls.length >= 2);
  const byHeader = await postJson(urls[0]!, { needsMediaSource: true }, { ...hs, 'auth-token': authToken });
  assert.equal(byHeader.json.access, 1);
  assert.ok(byHeader.json.media.length >= 1);
  const byBody = await postJson(urls[0]!, { username: 'viewer', password: TOKEN, needsMediaSource: false, isFavorite: true }, hs);
  assert.equal(byBody.json.access, 1);
  assert.equal(byBody.json.isFavorite, true, 'a write with body credentials is applied');
  assert.deepEqual((await postJson(urls[0]!, { username: 'viewer', password: 'nope', isFavorite: false }, hs)).json, { access: -1, library: [{ name: 'Login failed', list: [] }] });
  assert.equal((await postJson(urls[0]!, { needsMediaSource: false }, { ...hs, 'auth-token': authToken })).json.isFavorite, true, 'the refused write changed nothing');

  // Every asset URL of the video object opens with no header at all (HereSphere's media stack).
  const assets: string[] = [byHeader.json.thumbnailImage, byHeader.json.thumbnailVideo, ...byHeader.json.media.flatMap((m: { sources: Array<{ url: string }> }) => m.sources.map((s) => s.url))];
  for (const u of [...assets, ...byHeader.json.subtitles.map((s: { url: string }) => s.url)]) {
    assert.match(u, /\?sig=/, `${u} is signed`);
    const res = await request(u, { method: 'HEAD' });
    assert.ok(![401, 403].includes(res.statusCode), `${u} opens (${res.statusCode})`);
    await res.body.dump();
  }
  // The event URL works with the header HereSphere sends after /auth.
  const ev = await postJson(byHeader.json.eventServer, { event: 0, time: 0, id: urls[0] }, { ...hs, 'auth-token': authToken });
  assert.equal(ev.status, 200);

  // The login page tells players to use the configured user name (without revealing it).
  const page = await (await fetch(`${h.url}/login`)).text();
  assert.match(page, /log in with the user name set in <code>AUTH_USERNAME<\/code>/);
  assert.doesNotMatch(page, /any user name/);
  assert.doesNotMatch(page, /viewer/);
});

test('over https the session cookie is Secure (TLS or a proxy saying X-Forwarded-Proto: https)', async (t) => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false, https: { cert: pems.cert, key: pems.private }, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  const plain = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  t.after(async () => {
    await h.close();
    await plain.close();
    await insecure.close();
  });
  const login = async (url: string, headers: Record<string, string> = {}, dispatcher?: Agent) => {
    const res = await request(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ token: TOKEN }), ...(dispatcher ? { dispatcher } : {}) });
    await res.body.dump();
    assert.equal(res.statusCode, 200);
    return String(res.headers['set-cookie']);
  };
  const tls = await login(h.url, {}, insecure);
  assert.match(tls, /; Secure/);
  assert.match(tls, /HttpOnly/);
  assert.match(await login(plain.url, { 'x-forwarded-proto': 'https' }), /; Secure/);
  assert.doesNotMatch(await login(plain.url), /Secure/, 'plain http on a LAN: a Secure cookie would never come back');
});

test('the login form works without JavaScript too: form post, redirect, failure message', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  t.after(() => h.close());
  const form = (fields: Record<string, string>) => request(`${h.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.url }, body: new URLSearchParams(fields).toString() });
  const bad = await form({ token: 'nope', next: '/heresphere' });
  await bad.body.dump();
  assert.equal(bad.statusCode, 303);
  assert.equal(bad.headers.location, '/login?failed=1&next=%2Fheresphere');
  const good = await form({ token: TOKEN, next: '//evil.example/' });
  await good.body.dump();
  assert.equal(good.statusCode, 303);
  assert.equal(good.headers.location, '/', 'never off-site');
  assert.match(String(good.headers['set-cookie']), /^ds_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  const cross = await request(`${h.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, body: `token=${TOKEN}` });
  await cross.body.dump();
  assert.equal(cross.statusCode, 403, 'a foreign page cannot log the browser in');
  const page = await request(`${h.url}/login`);
  const html = await page.body.text();
  assert.match(html, /log in with any user name and the token as password/, 'without AUTH_USERNAME any name works');
  assert.doesNotMatch(html, /\{\{/, 'no placeholder left');
  for (const path of ['/login.js', '/login.css']) {
    const res = await request(`${h.url}${path}`);
    assert.equal(res.statusCode, 200, path);
    await res.body.dump();
  }
});

test('a real browser: / sends it to the login page, the token logs it in, the app reads its API', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip('Chromium is not installed at /usr/bin/chromium');
  const { chromium } = await import('playwright-core');
  const h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.after(async () => {
    await browser.close();
    await h.close();
  });
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/\/login/.test(page.url()) && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${h.url}/`);
  assert.match(page.url(), /\/login$/);
  await page.fill('#token', 'wrong-token');
  await page.click('button[type=submit]');
  await page.waitForSelector('#message:not([hidden])');
  assert.match((await page.textContent('#message')) ?? '', /wrong token/i);
  await page.fill('#token', TOKEN);
  await Promise.all([page.waitForURL(`${h.url}/`), page.click('button[type=submit]')]);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'ds_session');
  assert.ok(session && session.httpOnly && session.sameSite !== 'None', 'an HttpOnly, same-site session cookie');
  const api = await page.evaluate(async () => {
    const r = await fetch('/api/library', { credentials: 'same-origin' });
    return { status: r.status, total: ((await r.json()) as { total: number }).total };
  });
  assert.deepEqual(api, { status: 200, total: 2 });
  const write = await page.evaluate(async (id: string) => (await fetch(`/api/videos/${id}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ favorite: true }) })).status, (await (await fetch(`${h.url}/api/library`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { videos: Array<{ id: string }> }).videos[0]!.id);
  assert.equal(write, 200, 'the browser sends Origin, so its own writes pass');
  const out = await page.evaluate(async () => (await fetch('/logout', { method: 'POST', credentials: 'same-origin' })).status);
  assert.equal(out, 200);
  await page.goto(`${h.url}/heresphere`);
  assert.match(page.url(), /\/login\?next=%2Fheresphere$/, 'logged out: back to the login page');
  assert.deepEqual(violations, [], 'the login page breaks no CSP rule');
});

test('auth off: everything is open, nothing is signed, /login goes home, foreign pages still cannot write', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false });
  t.after(() => h.close());
  const lib = (await (await fetch(`${h.url}/api/library`)).json()) as { videos: Array<{ id: string; thumbUrl: string }> };
  assert.equal(lib.videos.length, 1);
  assert.doesNotMatch(lib.videos[0]!.thumbUrl, /sig=/);
  assert.equal((await postJson(`${h.url}/heresphere`, {})).json.access, 1);
  assert.deepEqual((await postJson(`${h.url}/heresphere/auth`, { username: 'x', password: 'y' })).json, { 'auth-token': '', access: 1 });
  const login = await request(`${h.url}/login`);
  await login.body.dump();
  assert.equal(login.statusCode, 302);
  assert.equal(login.headers.location, '/');
  const health = (await (await fetch(`${h.url}/healthz`)).json()) as Record<string, unknown>;
  assert.ok('library' in health, 'full health');
  const id = lib.videos[0]!.id;
  const cross = await request(`${h.url}/api/videos/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: '{"favorite":true}' });
  await cross.body.dump();
  assert.equal(cross.statusCode, 403);
  const same = await request(`${h.url}/api/videos/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"favorite":true}' });
  await same.body.dump();
  assert.equal(same.statusCode, 200);
});

test('no token, cookie, auth-token or signature reaches a log line, even at trace level', async (t) => {
  const fake = await startFakeRd({ torrents: [SINGLE_FILE] });
  const dataDir = mkdtempSync(join(tmpdir(), 'debridsphere-authlog-'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  const config = loadConfig({ RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: dataDir, HOST: '127.0.0.1', HERESPHERE_AUTH_TOKEN: TOKEN }, dataDir);
  const parts = createParts(config, { logger });
  const app = await buildApp({ parts });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await app.close();
    await parts.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const auth = (await postJson(`${url}/heresphere/auth`, { username: 'u', password: TOKEN })).json['auth-token'] as string;
  const cookieHeader = (await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) })).headers.get('set-cookie')!;
  const cookie = cookieHeader.split(';')[0]!;
  const lib = (await (await fetch(`${url}/api/library`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { videos: Array<{ id: string; thumbUrl: string }> };
  const sig = lib.videos[0]!.thumbUrl.split('sig=')[1]!;
  const detail = (await (await fetch(`${url}/api/videos/${lib.videos[0]!.id}`, { headers: { cookie } })).json()) as { files: Array<{ playUrl: string }> };
  await fetch(`${url}${lib.videos[0]!.thumbUrl}`);
  await fetch(`${url}${detail.files[0]!.playUrl}`, { redirect: 'manual' });
  await fetch(`${url}/thumb/${lib.videos[0]!.id}.jpg?sig=${sig.slice(1)}x`);
  await postJson(`${url}/heresphere`, { username: 'u', password: TOKEN });
  await postJson(`${url}/heresphere`, { username: 'u', password: 'wrong-password-guess' });
  await postJson(`${url}/heresphere`, {}, { 'auth-token': auth });
  await fetch(`${url}/deovr`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `login=u&password=${TOKEN}` });
  await fetch(`${url}/api/library`, { headers: { authorization: 'Bearer wrong-bearer-guess' } });
  await postJson(`${url}/heresphere/${lib.videos[0]!.id}`, { rating: 'bad' }, { 'auth-token': auth });

  const log = lines.join('');
  assert.ok(lines.length > 0, 'something was logged');
  assert.match(log, /failed login/, 'failed logins are logged (without what was tried)');
  for (const [what, secret] of [['token', TOKEN], ['auth-token', auth], ['cookie', cookie.split('=')[1]!], ['signature', sig], ['RD token', fake.token], ['guess', 'wrong-password-guess'], ['bearer guess', 'wrong-bearer-guess']] as const) {
    assert.ok(!log.includes(secret), `the ${what} is not in the log`);
  }
  assert.doesNotMatch(log, /sig=/, 'no signed URL in the log');
});
