// The browser view with 10,000 videos from the fake RD: the DOM stays windowed (≤ ~200 cards)
// while scrolling through all of it, the last video is reachable by scroll and by keyboard, and
// re-sorting the whole list works. Timings are printed as diagnostics, never asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness } from './helpers/harness.ts';
import { generateLibrary } from './fake-rd/index.ts';
import { cardCount, cardTitles, ensureBundle, expectedTitles, launch, openPage, shot, waitForLibrary, type LibraryJson, type Watched } from './web.support.ts';

const N = 10_000;
const MAX_DOM_CARDS = 200;
let h: Harness;
let browser: Browser;
let w: Watched;
let lib: LibraryJson;

before(async () => {
  ensureBundle();
  h = await startHarness({ torrents: generateLibrary(N), media: false, fake: { rateLimit: false } });
  lib = await waitForLibrary(h.url, N, 120_000);
  browser = await launch();
  w = await openPage(browser, { width: 1400, height: 1000 });
});

after(async () => {
  await browser?.close();
  await h?.close();
});

test('10,000 videos: first cards quickly, at most ~200 cards in the DOM while scrolling to the end', async (t) => {
  const { page } = w;
  const t0 = Date.now();
  await page.goto(h.url + '/?sort=added&dir=desc');
  await page.waitForSelector('#grid .card');
  t.diagnostic(`first card after ${Date.now() - t0} ms (page load + ${N} videos JSON + index + render)`);
  assert.equal(await page.textContent('#count'), `${N.toLocaleString('en-US')} videos`);
  assert.ok((await cardCount(page)) <= MAX_DOM_CARDS);

  let maxCards = 0;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += Math.round(height / 20)) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const n = await cardCount(page);
    maxCards = Math.max(maxCards, n);
    assert.ok(n > 0, `cards at scroll ${y}`);
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  maxCards = Math.max(maxCards, await cardCount(page));
  t.diagnostic(`most cards in the DOM at once: ${maxCards}`);
  assert.ok(maxCards <= MAX_DOM_CARDS, `${maxCards} cards in the DOM`);

  const last = page.locator(`#grid .card[aria-posinset="${N}"]`);
  assert.equal(await last.count(), 1, 'the last video is rendered at the bottom');
  const box = await last.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 1000 + 1, `the last card is inside the viewport (${JSON.stringify(box)})`);
  const want = expectedTitles(lib.videos, 'added', 'desc');
  assert.equal(await last.locator('.title').textContent(), want[N - 1]);
  await shot(page, '10k-end');
});

test('10,000 videos: End/Home on a focused card reach both ends', async () => {
  const { page } = w;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.focus('#q');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-posinset')), String(N));
  assert.ok((await cardCount(page)) <= MAX_DOM_CARDS);
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-posinset')), '1');
});

test('10,000 videos: every sort re-orders the whole list (browser time as a diagnostic)', async (t) => {
  const { page } = w;
  const times: string[] = [];
  for (const sort of ['name', 'size', 'duration', 'rating', 'played', 'added']) {
    await page.selectOption('#sort', sort);
    const dir = (await page.getAttribute('#dir', 'data-dir')) as 'asc' | 'desc';
    times.push(`${sort} ${await page.getAttribute('#grid', 'data-view-ms')} ms`);
    const shown = await cardTitles(page);
    assert.deepEqual(shown, expectedTitles(lib.videos, sort, dir).slice(0, shown.length), `sort ${sort} ${dir}`);
    assert.equal(await page.textContent('#count'), `${N.toLocaleString('en-US')} videos`);
  }
  await page.fill('#q', 'vr');
  await page.waitForFunction(() => !/^10,000 videos$/.test(document.getElementById('count')!.textContent ?? ''));
  times.push(`search "vr" ${await page.getAttribute('#grid', 'data-view-ms')} ms`);
  t.diagnostic(`sort/filter of ${N} in the browser: ${times.join(', ')}`);
  assert.deepEqual(w.problems, []);
});
