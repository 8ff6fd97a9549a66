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

  // The whole walk down the page runs in the browser (one round trip, not sixty): scroll, let
  // two frames render, count the cards; 20 stops, then the very end.
  const walk = await page.evaluate(async (n) => {
    const counts: Array<{ y: number; cards: number }> = [];
    const height = document.documentElement.scrollHeight;
    const stops = Array.from({ length: 20 }, (_, i) => Math.round((i * height) / 20)).concat(height);
    for (const y of stops) {
      window.scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      counts.push({ y, cards: document.querySelectorAll('#grid .card').length });
    }
    const last = document.querySelector<HTMLElement>(`#grid .card[aria-posinset="${n}"]`);
    const box = last?.getBoundingClientRect();
    return { counts, last: last && box ? { top: box.top, bottom: box.bottom, title: last.querySelector('.title')?.textContent ?? '' } : null };
  }, N);
  const maxCards = Math.max(...walk.counts.map((c) => c.cards));
  t.diagnostic(`most cards in the DOM at once: ${maxCards}`);
  for (const c of walk.counts) assert.ok(c.cards > 0, `cards at scroll ${c.y}`);
  assert.ok(maxCards <= MAX_DOM_CARDS, `${maxCards} cards in the DOM`);

  assert.ok(walk.last, 'the last video is rendered at the bottom');
  assert.ok(walk.last.top >= 0 && walk.last.bottom <= 1000 + 1, `the last card is inside the viewport (${JSON.stringify(walk.last)})`);
  const want = expectedTitles(lib.videos, 'added', 'desc');
  assert.equal(walk.last.title, want[N - 1]);
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
    // One round trip for everything the page shows after the re-sort.
    const seen = await page.evaluate(() => ({
      dir: document.getElementById('dir')!.dataset['dir'] as 'asc' | 'desc',
      ms: document.getElementById('grid')!.dataset['viewMs'],
      count: document.getElementById('count')!.textContent,
    }));
    times.push(`${sort} ${seen.ms} ms`);
    const shown = await cardTitles(page);
    assert.deepEqual(shown, expectedTitles(lib.videos, sort, seen.dir).slice(0, shown.length), `sort ${sort} ${seen.dir}`);
    assert.equal(seen.count, `${N.toLocaleString('en-US')} videos`);
  }
  await page.fill('#q', 'vr');
  await page.waitForFunction(() => !/^10,000 videos$/.test(document.getElementById('count')!.textContent ?? ''));
  times.push(`search "vr" ${await page.getAttribute('#grid', 'data-view-ms')} ms`);
  t.diagnostic(`sort/filter of ${N} in the browser: ${times.join(', ')}`);
  assert.deepEqual(w.problems, []);
});
