// The browser view's states, each produced by the real server on the fake RD: loading
// skeletons, empty library, token missing, token rejected, RD unreachable (stored library still
// shown), throttled, sync progress; and its layout on a phone and on a 4K screen. Each state has
// its own server, fake RD and browser context, so they run side by side (most of their time is
// waiting: RD retries, the page's refresh timer).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness, type HarnessOptions } from './helpers/harness.ts';
import { generateLibrary } from './fake-rd/index.ts';
import { cardCount, ensureBundle, FAST_POLLS, getLibrary, launch, openPage, shot, waitForLibrary, waitUntil, type LibraryJson, type PagePolls, type Watched } from './web.support.ts';

let browser: Browser | null = null;
const harnesses: Harness[] = [];
const pages: Watched[] = [];

before(async () => {
  ensureBundle();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const h of harnesses) await h.close().catch(() => undefined);
});

async function setup(opts: HarnessOptions, viewport?: { width: number; height: number; scale?: number }, polls?: PagePolls) {
  if (!browser) throw new Error('no browser');
  // RD failures are resent after 10, 30, 90 ms instead of 1, 3, 9 s: the states show up at once.
  const h = await startHarness({ media: false, rdRetry: { baseDelayMs: 10 }, ...opts });
  harnesses.push(h);
  const w = await openPage(browser, { ...viewport, ...(polls ? { polls } : {}) });
  pages.push(w);
  return { h, w, page: w.page };
}

const banner = (w: Watched) => w.page.locator('#banner');

/** Starts a refresh (not awaited: the client may retry or wait out a cooldown for a long time)
 *  and waits until the server reports the trouble in /api/library. */
async function troubleSeen(h: Harness, seen: (s: LibraryJson['status']) => boolean): Promise<void> {
  void h.parts.sync.refresh('full').catch(() => undefined);
  await waitUntil('the server to report the problem', async () => seen((await getLibrary(h.url)).status), 30_000, 200);
}

describe('states', { concurrency: 4 }, () => {
  // The slowest first, so the others fill in beside them.
  test('RD unreachable: the stored library with a notice', { timeout: 60_000 }, async () => {
    const { h, page, w } = await setup({ torrents: generateLibrary(12) });
    await waitForLibrary(h.url, 8);
    await h.fake.close();
    await troubleSeen(h, (st) => st.rd === 'unreachable');
    await page.goto(h.url + '/');
    await waitUntil('the banner', () => banner(w).isVisible());
    assert.match((await banner(w).textContent()) ?? '', /unreachable/i);
    assert.match((await banner(w).textContent()) ?? '', /stored/);
    assert.ok((await cardCount(page)) >= 8);
    await shot(page, 'rd-unreachable');
  });

  test('phone and 4K layouts: no sideways scrolling, columns from the viewport, ≤ 200 cards', { timeout: 60_000 }, async () => {
    const { h, page } = await setup({ torrents: generateLibrary(150) }, { width: 390, height: 844, scale: 2 });
    await waitForLibrary(h.url, 100);
    await page.goto(h.url + '/');
    await page.waitForSelector('#grid .card');
    const phone = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      cardW: document.querySelector<HTMLElement>('#grid .card')!.offsetWidth,
    }));
    assert.ok(phone.overflow <= 0, `no horizontal overflow (${phone.overflow}px)`);
    assert.ok(phone.cardW <= 390 - 16, `one column fits (${phone.cardW}px)`);
    await shot(page, 'phone');
    // A 4K screen: 3840×2160 at one device pixel per CSS pixel, set on the same page (the grid must
    // re-flow on resize). Keeping the phone's 2x here would make Chromium paint an 8K page in
    // software for every frame, seconds of CPU that test nothing more.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 3840, height: 2160, deviceScaleFactor: 1, mobile: false });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#grid .card')!.offsetWidth < 330);
    const wide = await page.evaluate(() => {
      if (window.innerWidth !== 3840 || devicePixelRatio !== 1) throw new Error(`viewport ${window.innerWidth}@${devicePixelRatio}x, not 4K`);
      const cards = [...document.querySelectorAll<HTMLElement>('#grid .card')];
      return { n: cards.length, w: cards[0]!.offsetWidth, overflow: document.documentElement.scrollWidth - window.innerWidth };
    });
    assert.ok(wide.w >= 220 && wide.w <= 320, `4K card width ${wide.w}`);
    assert.ok(wide.n <= 200, `${wide.n} cards`);
    assert.ok(wide.overflow <= 0);
    await shot(page, '4k', 'css');
  });

  test('sync progress renders from the status the server reports', { timeout: 60_000 }, async () => {
    // The page looks again 250 ms after seeing a sync in flight (users: 4 s).
    const { h, page } = await setup({ torrents: generateLibrary(12) }, undefined, FAST_POLLS);
    await waitForLibrary(h.url, 8);
    // The first sync of a fake RD is too quick to photograph: show the page the same JSON with a
    // sync in flight (the shape is the server's own, only the status fields differ).
    let served = 0;
    await page.route('**/api/library', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      served++;
      if (served === 1) body.status = { ...body.status, syncing: true, syncProgress: { done: 120, total: 480 } };
      await route.fulfill({ response: res, json: body });
    });
    await page.goto(h.url + '/');
    await page.waitForSelector('#sync:not([hidden])');
    assert.match((await page.textContent('#sync')) ?? '', /120 \/ 480/);
    assert.equal(await page.getAttribute('#sync [role=progressbar]', 'aria-valuenow'), '25');
    await shot(page, 'syncing');
    await waitUntil('the page to poll again and hide the bar', () => page.locator('#sync').isHidden(), 15_000, 200);
    assert.ok(served >= 2);
  });

  test('loading skeletons until the library arrives, then cards', { timeout: 60_000 }, async () => {
    const { h, page } = await setup({ torrents: generateLibrary(30) });
    await waitForLibrary(h.url, 20);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/library', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(h.url + '/');
    await page.waitForSelector('#skeleton .sk-card');
    assert.equal(await page.locator('#skeleton').isVisible(), true);
    assert.equal(await cardCount(page), 0);
    await shot(page, 'loading-skeleton');
    release();
    await page.waitForSelector('#grid .card');
    assert.equal(await page.locator('#skeleton').isHidden(), true);
  });

  test('empty library: a clear empty state, no banner', { timeout: 60_000 }, async () => {
    const { h, page, w } = await setup({ torrents: [] });
    await waitForLibrary(h.url, 0);
    await page.goto(h.url + '/');
    await page.waitForSelector('#empty:not([hidden])');
    assert.match((await page.textContent('#empty')) ?? '', /No videos yet/);
    assert.equal(await banner(w).isHidden(), true);
    await shot(page, 'empty-library');
  });

  test('token missing: says what to do', { timeout: 60_000 }, async () => {
    const { h, page, w } = await setup({ noToken: true });
    await page.goto(h.url + '/');
    await waitUntil('the banner', () => banner(w).isVisible());
    assert.match((await banner(w).textContent()) ?? '', /No Real-Debrid token/);
    assert.match((await page.textContent('#empty')) ?? '', /Connect Real-Debrid/);
    await shot(page, 'token-missing');
  });

  test('token rejected: says so, keeps the stored library', { timeout: 60_000 }, async () => {
    const { h, page, w } = await setup({ torrents: generateLibrary(12) });
    await waitForLibrary(h.url, 8);
    h.fake.setToken('SOMEOTHERTOKEN0000000');
    await troubleSeen(h, (st) => st.token === 'rejected');
    await page.goto(h.url + '/');
    await waitUntil('the banner', () => banner(w).isVisible());
    assert.match((await banner(w).textContent()) ?? '', /rejected the token/);
    assert.ok((await cardCount(page)) >= 8, 'stored library still shown');
    await shot(page, 'token-rejected');
  });

  test('throttled: says RD is throttling, keeps the library', { timeout: 60_000 }, async () => {
    const { h, page, w } = await setup({ torrents: generateLibrary(12) });
    await waitForLibrary(h.url, 8);
    h.fake.setFault({ failNext: { route: 'torrents', status: 429, body: { error: 'too_many_requests', error_code: 34 }, times: 50 } });
    await troubleSeen(h, (st) => st.rd === 'throttled');
    await page.goto(h.url + '/');
    await waitUntil('the banner', () => banner(w).isVisible());
    assert.match((await banner(w).textContent()) ?? '', /throttling/i);
    assert.ok((await cardCount(page)) >= 8);
    await shot(page, 'throttled');
  });
});

test('no CSP violation or console error in any of these states', { timeout: 60_000 }, () => {
  for (const w of pages) assert.deepEqual(w.problems, []);
});
