// Foreign pages get no RD work and no library (issue 16, item 3): with auth off, a page on any
// site the user visits embedded 80 `<img src="http://<server>/play/<id>/1">` and the server
// unrestricted links for it. Real Chromium opens such a page (http://localhost:… is another site
// than http://127.0.0.1:…, and both get Fetch Metadata): no unrestrict, every embed refused; then
// the browser view itself, same-origin, still lists and plays. Without Fetch Metadata (plain http
// to a LAN address, where Chromium sends none) a foreign Origin or Referer is refused, and players,
// which send none of these headers, are served as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startHarness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { launch } from './web.support.ts';

const EMBEDS = 20;

test('a foreign page\'s <img> to /play is refused without an RD call; the browser view keeps working (Chromium)', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const video = h.parts.catalog.list()[0]!;
  const play = `${h.url}/play/${video.id}/1`;

  // The attacker's page, on another site (localhost vs 127.0.0.1), with the default referrer policy
  // for half the embeds and none for the other half.
  const tags = Array.from({ length: EMBEDS }, (_, i) => `<img ${i % 2 ? 'referrerpolicy="no-referrer"' : ''} src="${play}?n=${i}" onload="done()" onerror="done()">`).join('');
  const html = `<!doctype html><script>let n = 0; function done() { n++; window.finished = n; }</script>${tags}` +
    `<script src="${h.url}/api/library" onerror="window.libraryScript = 'refused'"></script>`;
  const evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => evil.close(() => r())));
  const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;

  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  // Chromium blocks the JSON refusals from reaching the page (ORB), so count what it sent.
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${play}?n=`)) sent.push(r.url());
  });
  h.fake.clearLog();
  await page.goto(evilUrl);
  await page.waitForFunction((n) => (window as unknown as { finished?: number }).finished === n, EMBEDS, { timeout: 30_000 });
  assert.equal(sent.length, EMBEDS, 'the browser did send every embed to the server');
  assert.equal(h.fake.count('unrestrict'), 0, 'no link unrestricted for the foreign page');
  assert.equal(h.fake.count(), 0, 'no RD call at all');

  // The browser view on the server's own origin.
  await page.goto(`${h.url}/`);
  await page.waitForSelector('#grid .card', { timeout: 30_000 });
  const own = await page.evaluate(async (path) => {
    const res = await fetch(path, { redirect: 'manual' });
    return res.type === 'opaqueredirect' ? 302 : res.status;
  }, `/play/${video.id}/1`);
  assert.equal(own, 302, 'the view\'s own /play is answered with the redirect to the download');
  assert.ok(h.fake.count('unrestrict') >= 1, 'and that one did unrestrict');
});

test('without Fetch Metadata, a foreign Origin or Referer is refused; players and typed addresses are served', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const video = h.parts.catalog.list()[0]!;
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await request(h.url + path, { headers });
    const text = await res.body.text();
    return { status: res.statusCode, text };
  };
  h.fake.clearLog();
  const refused: Array<[string, Record<string, string>]> = [
    [`/play/${video.id}/1`, { referer: 'http://evil.example/page' }],
    [`/play/${video.id}/1`, { origin: 'http://evil.example' }],
    [`/play/${video.id}/1`, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'video' }],
    [`/play/${video.id}/1`, { 'sec-fetch-site': 'same-site', referer: 'http://nas.lan:8080/' }],
    ['/api/library', { referer: 'http://evil.example/' }],
    ['/heresphere', { 'sec-fetch-site': 'cross-site' }],
    ['/deovr', { origin: 'null' }],
    [`/thumb/${video.id}.jpg`, { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' }],
  ];
  for (const [path, headers] of refused) {
    const res = await get(path, headers);
    assert.equal(res.status, 403, `${path} ${JSON.stringify(headers)}: ${res.text.slice(0, 200)}`);
    assert.match(res.text, /Cross-site request refused/);
    assert.ok(!res.text.includes(video.id), 'nothing of the library in the refusal');
  }
  assert.equal(h.fake.count('unrestrict'), 0);

  const served: Array<[string, Record<string, string>]> = [
    [`/play/${video.id}/1`, { 'user-agent': 'HereSphere/0.8 Quest2' }],
    ['/api/library', { 'sec-fetch-site': 'same-origin' }],
    ['/api/library', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }],
    ['/api/library', { referer: `${h.url}/` }],
    ['/deovr', { 'user-agent': 'Mozilla/5.0 (Linux; Android 10; Quest 3) DeoVR/1.0' }],
    ['/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }],
    ['/healthz', { 'sec-fetch-site': 'cross-site' }],
  ];
  for (const [path, headers] of served) {
    const res = await get(path, headers);
    assert.ok(res.status < 400, `${path} ${JSON.stringify(headers)}: ${res.status} ${res.text.slice(0, 200)}`);
  }
});
