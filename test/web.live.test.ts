// The open page stays current (issue 13): the real server on the fake RD with real sample videos,
// the system Chromium showing the library sorted by duration. Durations arrive after the page
// loaded (the background prober runs only then); the page shows them and re-sorts by itself, with
// no reload of the library (GET /api/changes answers only what changed), and the header says how
// much is probed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness } from './helpers/harness.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import { cardTitles, ensureBundle, fetchLog, launch, openPage, waitUntil, type Watched } from './web.support.ts';

let h: Harness;
let browser: Browser;
let w: Watched;
const DAY = 86_400_000;

before(async () => {
  ensureBundle();
  const samples = await ensureSamples();
  const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();
  h = await startHarness({
    torrents: [
      // Newest first while no duration is known; the longer one is older.
      { filename: 'Alpha.Short.Scene.180.LR.mp4', added: ago(1), files: [{ path: '/Alpha.Short.Scene.180.LR.mp4', source: samples.fisheye.path }] },
      { filename: 'Zulu.Long.Scene.180.LR.mp4', added: ago(2), files: [{ path: '/Zulu.Long.Scene.180.LR.mp4', source: samples.sbs180.path }] },
    ],
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0' },
  });
  browser = await launch();
});
after(async () => {
  await w?.ctx.close();
  await browser?.close();
  await h?.close();
});

test('an open page shows durations that arrived after it loaded, re-sorted, without reloading', async () => {
  // The page asks what changed every 250 ms instead of every 3 s: the durations show up at once.
  w = await openPage(browser, { width: 1200, height: 900, polls: { changes: 250 } });
  // Thumbnails would probe their file on the way (a visible card's thumbnail is "on screen" work):
  // answered in the browser here, so the only durations are the prober's, started after load.
  await w.page.route('**/thumb/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg"/>' }));
  await w.page.goto(`${h.url}/?sort=duration&dir=desc`);
  await w.page.waitForSelector('#grid .card');
  const badges = () => w.page.$$eval('#grid .card .badge-dur', (els) => els.filter((e) => !(e as HTMLElement).hidden).map((e) => e.textContent));
  assert.deepEqual(await badges(), [], 'no duration known at load');
  const before = await cardTitles(w.page);
  assert.equal(before.length, 2);
  h.parts.prober.kick();
  const after = await waitUntil('both durations on the open page', async () => {
    const b = await badges();
    return b.length === 2 ? b : null;
  }, 60_000);
  assert.deepEqual(after.sort(), ['0:10', '0:20']);
  await waitUntil('re-sorted by duration', async () => ((await cardTitles(w.page))[0]?.includes('Zulu') ? true : null), 15_000);
  const libraryLoads = (await fetchLog(w.page)).filter((f) => new URL(f.url).pathname === '/api/library');
  assert.equal(libraryLoads.length, 1, 'the library was loaded once: changes came from /api/changes');
  const progress = await waitUntil('progress in the header', async () => {
    const t = await w.page.locator('#progress').textContent();
    return t && t.includes('2 of 2') ? t : null;
  });
  assert.match(progress, /2 of 2 files probed/);
});
