// Failed-login limits and browser sessions, per process: the 11th failed login within a minute
// gets 429 (while opaque credentials keep working), a session's changes need our own Origin and
// logout ends it, and with TLS on, where the HTTP and HTTPS listeners are two apps built from the
// same parts (as src/main.ts does), both share one failure budget and one session store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { Agent, request } from 'undici';
import { startHarness } from './helpers/harness.ts';
import { startFakeRd, SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { createParts } from '../src/parts.ts';
import { buildApp } from '../src/app.ts';
import { TOKEN, bearer, call, hsToken, login, readLibrary, type Res } from './auth.support.ts';

test('a browser session: changes need our own Origin, logout ends it', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  t.after(() => h.close());
  const { video } = await readLibrary(h);
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

test('the eleventh failed login within a minute gets 429, and opaque credentials still work', async () => {
  const lh = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  try {
    const cookie = await login(lh.url);
    const auth = await hsToken(lh.url);
    const attempts: Array<(g: string) => Promise<Res>> = [
      (g: string) => call(lh.url, 'POST', '/login', { json: { token: g } }),
      (g: string) => call(lh.url, 'POST', '/heresphere/auth', { json: { username: 'u', password: g } }),
      (g: string) => call(lh.url, 'POST', '/heresphere', { json: { username: 'u', password: g } }),
      (g: string) => call(lh.url, 'GET', '/api/library', { headers: { authorization: `Bearer ${g}` } }),
      (g: string) => call(lh.url, 'POST', '/deovr', { form: { login: 'u', password: g } }),
    ];
    // Ten distinct guesses (a repeated identical one counts once: auth.guessing.test.ts).
    for (let i = 0; i < 10; i++) {
      const res = await attempts[i % attempts.length]!(`guess-${i}`);
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

test('HTTP and HTTPS listeners of one process share the failure budget and the sessions', async (t) => {
  const fake = await startFakeRd({ torrents: [SINGLE_FILE] });
  const dataDir = mkdtempSync(join(tmpdir(), 'debridsphere-listeners-'));
  const config = loadConfig({ RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: dataDir, HOST: '127.0.0.1', HERESPHERE_AUTH_TOKEN: TOKEN }, dataDir);
  const parts = createParts(config, { logger: silentLogger() });
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  const plainApp = await buildApp({ parts });
  const tlsApp = await buildApp({ parts, https: { cert: pems.cert, key: pems.private } });
  t.after(async () => {
    await plainApp.close();
    await tlsApp.close();
    await parts.close();
    await fake.close();
    await insecure.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const http = await plainApp.listen({ port: 0, host: '127.0.0.1' });
  const https = await tlsApp.listen({ port: 0, host: '127.0.0.1' });
  assert.match(https, /^https:/);
  const send = async (base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Res> => {
    const res = await request(base + path, {
      method: method as 'GET',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(base.startsWith('https:') ? { dispatcher: insecure } : {}),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, json: text.startsWith('{') ? JSON.parse(text) : null };
  };

  // A session made on one listener works on the other; logging out on one ends it on both.
  const made = await send(https, 'POST', '/login', {}, { token: TOKEN });
  assert.equal(made.status, 200, made.text);
  const cookie = String(([] as string[]).concat(made.headers['set-cookie'] ?? [])[0]).split(';')[0]!;
  assert.equal((await send(http, 'GET', '/api/library', { cookie })).status, 200, 'the HTTPS session opens HTTP');
  assert.equal((await send(http, 'POST', '/logout', { cookie, origin: http })).status, 200);
  assert.equal((await send(https, 'GET', '/api/library', { cookie })).status, 401, 'logged out over HTTP: ended over HTTPS too');
  assert.equal((await send(http, 'GET', '/api/library', { cookie })).status, 401);

  // Ten guesses spread over both listeners use up the one budget of this address.
  for (let i = 0; i < 10; i++) {
    const res = await send(i % 2 === 0 ? http : https, 'POST', '/login', {}, { token: `guess-${i}` });
    assert.equal(res.status, 401, `guess ${i + 1} is answered as a guess: ${res.text}`);
  }
  for (const base of [http, https]) {
    const res = await send(base, 'POST', '/login', {}, { token: 'guess-11' });
    assert.equal(res.status, 429, `${base}: the 11th failure within a minute is refused (${res.text})`);
    assert.equal((await send(base, 'GET', '/api/library', bearer)).status, 429, `${base}: even the right token waits`);
  }
});
