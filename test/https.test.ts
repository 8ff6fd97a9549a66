// HTTPS (heresphere-protocol.md §7 item 28: DeoVR hides plain-HTTP thumbnails from LAN
// addresses): the real server over TLS with a certificate made during the test, and a plain-HTTP
// server behind a reverse proxy that says X-Forwarded-Proto: https. In both cases every absolute
// URL handed to DeoVR and HereSphere must be https.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { Agent, fetch as undiciFetch } from 'undici';
import { startHarness, type Harness } from './helpers/harness.ts';
import type { FakeTorrentSpec } from './fake-rd/index.ts';
import { freePort, launchMain, startMain } from './hardening.support.ts';

const TORRENTS: FakeTorrentSpec[] = [
  { filename: 'Secure.Scene.180.LR.mp4', files: [{ path: '/Secure.Scene.180.LR.mp4', bytes: 1_000_000 }] },
  { filename: 'Secure.Tour.360.TB.mp4', files: [{ path: '/Secure.Tour.360.TB.mp4', bytes: 2_000_000 }] },
];

type Get = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{ status: number; json: () => Promise<unknown> }>;

/** Every absolute URL in a JSON answer. */
function urlsIn(json: unknown): string[] {
  return JSON.stringify(json).match(/\b[a-z]+:\/\/[^"\s]+/gi) ?? [];
}

async function allPlayerUrls(h: Harness, get: Get, headers: Record<string, string> = {}): Promise<string[]> {
  const out: string[] = [];
  const deo = (await (await get(`${h.url}/deovr`, { headers })).json()) as { scenes: Array<{ list: Array<{ video_url: string }> }> };
  out.push(...urlsIn(deo));
  const videoUrls = deo.scenes.flatMap((s) => s.list.map((i) => i.video_url));
  assert.equal(videoUrls.length, TORRENTS.length);
  for (const u of videoUrls) {
    // follow what the player follows: the video_url as given (its scheme must already be right)
    const target = headers['x-forwarded-proto'] ? u.replace(/^https:\/\/[^/]+/, h.url) : u;
    out.push(...urlsIn(await (await get(target, { headers })).json()));
  }
  const hs = await get(`${h.url}/heresphere`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  const hsJson = (await hs.json()) as { library: Array<{ list: string[] }> };
  out.push(...urlsIn(hsJson));
  for (const u of hsJson.library.flatMap((s) => s.list)) {
    const target = headers['x-forwarded-proto'] ? u.replace(/^https:\/\/[^/]+/, h.url) : u;
    out.push(...urlsIn(await (await get(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' })).json()));
  }
  return out;
}

test('over TLS with a self-signed certificate, every URL in /deovr and /heresphere is https', async (t) => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  const h = await startHarness({ torrents: TORRENTS, media: false, https: { cert: pems.cert, key: pems.private } });
  // Verification off for this test's own requests only, never globally.
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  t.after(async () => {
    await h.close();
    await insecure.close();
  });
  assert.match(h.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const get: Get = (url, init = {}) => undiciFetch(url, { ...init, dispatcher: insecure });

  const urls = await allPlayerUrls(h, get);
  assert.ok(urls.length >= 10, urls.join(' '));
  for (const u of urls) assert.ok(u.startsWith(`${h.url}/`), `not on this https origin: ${u}`);
  assert.ok(urls.some((u) => /\/thumb\//.test(u)) && urls.some((u) => /\/play\//.test(u)));

  // The certificate really is checked by default: a verifying client refuses it.
  await assert.rejects(fetch(`${h.url}/deovr`));
  // And the thumbnail a DeoVR list points at is served over that https origin.
  const deo = (await (await get(`${h.url}/deovr`)).json()) as { scenes: Array<{ list: Array<{ thumbnailUrl: string }> }> };
  const thumb = await get(deo.scenes[0]!.list[0]!.thumbnailUrl);
  assert.equal(thumb.status, 200);
});

test('behind a reverse proxy: X-Forwarded-Proto/Host over plain HTTP give https URLs', async (t) => {
  const h = await startHarness({ torrents: TORRENTS, media: false });
  t.after(() => h.close());
  assert.match(h.url, /^http:\/\//);
  const get: Get = (url, init = {}) => fetch(url, init);
  const proxied = await allPlayerUrls(h, get, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'vr.example.com' });
  assert.ok(proxied.length >= 10);
  for (const u of proxied) assert.ok(u.startsWith('https://vr.example.com/'), u);
  // Proto alone keeps the Host the proxy passed through.
  const protoOnly = (await (await fetch(`${h.url}/deovr`, { headers: { 'x-forwarded-proto': 'https' } })).json()) as { scenes: Array<{ list: Array<{ video_url: string }> }> };
  const host = new URL(h.url).host;
  for (const u of urlsIn(protoOnly)) assert.ok(u.startsWith(`https://${host}/`), u);
  // Without the header the same server answers with its own http origin.
  const plain = urlsIn(await (await fetch(`${h.url}/deovr`)).json());
  for (const u of plain) assert.ok(u.startsWith(`${h.url}/`), u);
});

test('PUBLIC_URL wins over the request for every URL', async (t) => {
  const h = await startHarness({ torrents: TORRENTS, media: false, env: { PUBLIC_URL: 'https://vr.example.net' } });
  t.after(() => h.close());
  const urls = await allPlayerUrls(h, (url, init = {}) => fetch(url.replace(/^https:\/\/vr\.example\.net/, h.url), init), { 'x-forwarded-proto': 'http' });
  assert.ok(urls.length >= 10);
  for (const u of urls) assert.ok(u.startsWith('https://vr.example.net/'), u);
});

const TOKEN = 'https-listener-token-0123';

test('src/main.ts: serves HTTP and HTTPS from TLS_CERT/TLS_KEY; a mismatched key stops start-up with one sentence', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'debridsphere-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
  const b = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
  writeFileSync(join(dir, 'a.crt'), a.cert);
  writeFileSync(join(dir, 'a.key'), a.private);
  writeFileSync(join(dir, 'b.key'), b.private);
  writeFileSync(join(dir, 'junk.crt'), 'not a certificate');

  // The certificate is checked before anything listens, so the port does not matter here.
  const bad = [
    ['a.crt', 'b.key', /TLS_KEY is not the private key of the TLS_CERT certificate\./],
    ['junk.crt', 'a.key', /TLS_CERT\/TLS_KEY must be a PEM certificate/],
  ] as const;
  await Promise.all(
    bad.map(async ([cert, key, message]) => {
      const r = await launchMain({ PORT: String(await freePort()), TLS_CERT: cert, TLS_KEY: key, DATA_DIR: join(dir, 'data') }, dir).ready;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one sentence: ${r.stderr}`);
    }),
  );

  const good = await startMain({ TLS_CERT: 'a.crt', TLS_KEY: 'a.key', DATA_DIR: join(dir, 'data'), HERESPHERE_AUTH_TOKEN: TOKEN }, dir);
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  t.after(async () => {
    await good.stop();
    await insecure.close();
  });
  const https = `https://127.0.0.1:${good.httpsPort}`;
  assert.ok(good.stdout().includes(`${https}/deovr`), good.output());
  const bearer = { authorization: `Bearer ${TOKEN}` };
  const overTls = await undiciFetch(`${https}/deovr`, { dispatcher: insecure, headers: bearer });
  assert.equal(overTls.status, 200);
  assert.ok(Array.isArray(((await overTls.json()) as { scenes: unknown[] }).scenes));
  const plain = await fetch(`${good.url}/deovr`, { headers: bearer });
  assert.equal(plain.status, 200);
  await plain.arrayBuffer();

  // One auth state for both listeners. A session made over HTTPS opens HTTP, and logging out on
  // one listener ends it on the other.
  type Call = { status: number; headers: Headers; text: string };
  const call = async (base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Call> => {
    const res = base.startsWith('https:') ? await undiciFetch(base + path, { ...init, dispatcher: insecure }) : await fetch(base + path, init);
    return { status: res.status, headers: res.headers as Headers, text: await res.text() };
  };
  const json = { 'content-type': 'application/json' };
  const login = await call(https, '/login', { method: 'POST', headers: json, body: JSON.stringify({ token: TOKEN }) });
  assert.equal(login.status, 200, login.text);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.match(cookie, /^ds_session=.+/);
  assert.equal((await call(good.url, '/api/library', { headers: { cookie } })).status, 200, 'the HTTPS session opens HTTP');
  assert.equal((await call(https, '/logout', { method: 'POST', headers: { cookie, origin: https } })).status, 200);
  assert.equal((await call(good.url, '/api/library', { headers: { cookie } })).status, 401, 'logged out over HTTPS: ended over HTTP too');
  assert.equal((await call(https, '/api/library', { headers: { cookie } })).status, 401);

  // Ten wrong guesses spread over both listeners use up the one budget: the 11th gets 429 on each.
  for (let i = 0; i < 10; i++) {
    const res = await call(i % 2 === 0 ? good.url : https, '/login', { method: 'POST', headers: json, body: JSON.stringify({ token: `guess-${i}` }) });
    assert.equal(res.status, 401, `guess ${i + 1}: ${res.text}`);
  }
  for (const base of [good.url, https]) {
    const res = await call(base, '/login', { method: 'POST', headers: json, body: JSON.stringify({ token: 'guess-11' }) });
    assert.equal(res.status, 429, `${base}: the 11th failure is refused (${res.text})`);
  }
});
