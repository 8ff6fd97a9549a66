// The browser view as a new user meets it, in the system Chromium on the real server (fake RD, no
// ffmpeg: thumbnails stay "being made"): errors in the detail view in front of its backdrop and
// once, a logout button, arrow keys that work before any card has focus, the cards' DOM order
// following their visual order after a sort, readable tags that do not contradict the watched
// button, "being made" thumbnails saying so, and a phone (390 px, touch) where everything is
// reachable without sideways scrolling with 44 px touch targets. Screenshots of phone, desktop
// and Quest-browser sizes go to test-output/screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from './helpers/harness.ts';
import { ensureBundle, launch, openPage, shot, waitUntil, type Watched } from './web.support.ts';

const TOKEN = 'ux-test-token-0123';
let h: Harness;
let browser: Browser;

const NAMES = ['Alpha.Sunrise.180.LR.mp4', 'Bravo.Harbour.360.TB.mp4', 'Charlie.Roofs.MKX200.mp4', 'Delta.Forest.180.SBS.mp4', 'Echo.Film.2019.1080p.mp4', 'Foxtrot.Lake.180.LR.mp4'];

before(async () => {
  ensureBundle();
  const HOUR = 3600_000;
  h = await startHarness({
    media: false,
    env: { HERESPHERE_AUTH_TOKEN: TOKEN },
    torrents: [
      ...NAMES.map((n, i) => ({ filename: n, added: new Date(Date.now() - (i + 1) * HOUR).toISOString(), files: [{ path: `/${n}`, bytes: (i + 1) * 1_000_000_000 }] })),
      {
        filename: 'Golf.Very.Long.Collection.Name.With.Many.Parts.180.LR',
        added: new Date(Date.now() - 10 * HOUR).toISOString(),
        files: [1, 2].map((i) => ({ path: `/Golf.Very.Long.Collection.Name.With.Many.Parts.180.LR/Golf.Very.Long.Collection.Name.Part.${i}.180.LR.mp4`, bytes: 2_000_000_000 + i })),
      },
    ],
  });
  await h.parts.sync.refresh('full');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await h?.close();
});

async function loggedIn(opts: Parameters<typeof openPage>[1] = {}): Promise<Watched> {
  const w = await openPage(browser, opts);
  const r = await w.ctx.request.post(`${h.url}/login`, { data: { token: TOKEN } });
  assert.equal(r.status(), 200, await r.text());
  await w.page.goto(`${h.url}/?sort=added&dir=desc`);
  await w.page.waitForSelector('#grid .card');
  return w;
}

/** The cards' aria-posinset in DOM order. */
function domOrder(page: Page): Promise<number[]> {
  return page.$$eval('#grid .card', (els) => els.map((e) => Number(e.getAttribute('aria-posinset'))));
}

test('desktop: arrows work before any card has focus, and DOM order follows the visual order after a sort', async () => {
  const w = await loggedIn();
  const page = w.page;
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('card')), true, 'a card has focus');
  await page.keyboard.press('ArrowRight');
  const second = await page.evaluate(() => document.activeElement?.getAttribute('aria-posinset'));
  assert.equal(second, '2');
  for (const sort of ['name', 'size', 'added']) {
    await page.selectOption('#sort', sort);
    await page.click('#dir');
    const order = await domOrder(page);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `${sort}: DOM order is the visual order`);
  }
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('card')), false, 'the sort control kept focus');
  // Being made and cannot be made say different things (ffmpeg is off here: they cannot be made).
  const phases = await page.$$eval('#grid .card .thumb', (els) => els.map((e) => [e.getAttribute('data-phase'), e.querySelector('.ph-text')?.textContent ?? '']));
  for (const [phase, text] of phases) {
    if (phase === 'missing') assert.equal(text, 'No thumbnail');
    else if (phase === 'pending' || phase === 'loading') assert.equal(text, 'Making thumbnail…');
  }
  assert.ok(phases.some(([p]) => p === 'missing'), JSON.stringify(phases));
  await shot(page, 'ux-desktop');
  assert.deepEqual(w.problems, []);
  await w.ctx.close();
});

test('detail view: a failed Play says so once, in front of the backdrop; tags are readable and agree with the watched button', async () => {
  const w = await loggedIn();
  const page = w.page;
  const lib = (await (await page.request.get(`${h.url}/api/library`)).json()) as { videos: Array<{ id: string; title: string }> };
  const v = lib.videos.find((x) => /Alpha/.test(x.title))!;
  await page.goto(`${h.url}/#/v/${v.id}`);
  await page.waitForSelector('dialog.detail[open] .d-files tbody tr');
  await page.locator('.d-watched').click();
  await waitUntil('marked watched', async () => (await page.locator('.d-watched').getAttribute('aria-pressed')) === 'true');
  const tags = await page.locator('.tags .tag').allTextContents();
  assert.ok(tags.length > 0);
  assert.ok(tags.every((t) => !t.startsWith('Feature:')), `readable: ${tags.join(' | ')}`);
  assert.ok(!tags.some((t) => /Unwatched|^Watched$/.test(t)), `no stale watched tag: ${tags.join(' | ')}`);
  // The fake CDN's bytes are not a video: the browser cannot play it.
  await page.locator('.d-files tbody tr').first().getByRole('button', { name: /^Play/ }).click();
  const toast = page.locator('.toast-error');
  const inFront = () =>
    toast.first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return el.contains(hit) ? true : `${hit?.tagName}.${hit?.className} is in front`;
    });
  const failed = () => page.evaluate(() => document.querySelector<HTMLVideoElement>('video.d-player')?.error != null);
  await waitUntil('the player to fail', failed, 15_000);
  await waitUntil('the error toast', async () => (await toast.count()) > 0, 5_000);
  assert.equal(await inFront(), true, 'the toast is in front of the dialog and its backdrop');
  await page.locator('.d-close').click(); // closing unloads the player: that is no second error
  await page.goto(`${h.url}/#/v/${v.id}`);
  await page.waitForSelector('dialog.detail[open]');
  await page.locator('.d-files tbody tr').first().getByRole('button', { name: /^Play/ }).click();
  await waitUntil('the player to fail again', failed, 15_000);
  assert.equal(await toast.count(), 1, 'the same message is shown once');
  assert.equal(await inFront(), true, 'still in front of the dialog opened since');
  await shot(page, 'ux-detail-error');
  await w.ctx.close();
});

test('a logout button ends the session', async () => {
  const w = await loggedIn();
  const page = w.page;
  const btn = page.getByRole('button', { name: 'Log out' });
  await btn.click();
  await page.waitForURL(/\/login/);
  const after = await page.request.get(`${h.url}/api/library`);
  assert.equal(after.status(), 401, 'the session is gone');
  await w.ctx.close();
});

test('phone (390 px, touch): no sideways scrolling, files table fits, 44 px targets, heart visible, compact header', async () => {
  const w = await loggedIn({ width: 390, height: 844, scale: 2, touch: true });
  const page = w.page;
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, `page wider than the screen by ${await overflow()} px`);
  const header = await page.locator('header.top').boundingBox();
  assert.ok(header && header.height <= 844 * 0.2, `header takes ${header?.height} px of 844`);
  const fav = page.locator('#grid .card .fav').first();
  assert.equal(await fav.evaluate((el) => getComputedStyle(el).opacity), '1', 'heart visible without hover');
  const sizes = await page.$$eval('#grid .card .star, #grid .card .fav', (els) => els.slice(0, 6).map((e) => e.getBoundingClientRect().height));
  assert.ok(sizes.every((s) => s >= 44), `touch targets: ${sizes}`);
  await shot(page, 'ux-phone-grid');
  await page.locator('#connect summary').click();
  const addr = page.locator('#connect .addr').first();
  const lines = await addr.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
  assert.ok(lines <= 2, `address on ${lines} lines`);
  assert.ok((await overflow()) <= 0, 'open address panel fits');
  await shot(page, 'ux-phone-header');
  const id = await page.locator('#grid .card').last().getAttribute('data-id');
  const lib = (await (await page.request.get(`${h.url}/api/library`)).json()) as { videos: Array<{ id: string; title: string }> };
  const pack = lib.videos.find((x) => /Golf/.test(x.title))?.id ?? id!;
  await page.goto(`${h.url}/#/v/${pack}`);
  await page.waitForSelector('dialog.detail[open] .d-files tbody tr');
  const table = await page.locator('.d-files').boundingBox();
  assert.ok(table && table.width <= 390, `files table ${table?.width} px wide`);
  for (const name of [/^Play/, /^Copy stream URL/]) {
    const b = await page.locator('.d-files tbody tr').first().getByRole('button', { name }).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 390, `${name} on screen: ${JSON.stringify(b)}`);
    assert.ok(b.height >= 44, `${name} ${b.height} px high`);
  }
  const dialogOverflow = await page.locator('dialog.detail').evaluate((d) => d.scrollWidth - d.clientWidth);
  assert.ok(dialogOverflow <= 0, `detail view scrolls sideways by ${dialogOverflow} px`);
  await shot(page, 'ux-phone-detail');
  await w.ctx.close();
});

test('Quest-browser size (1280x720 at 1.5x, touch-like pointer): screenshot for review', async () => {
  const w = await loggedIn({ width: 1280, height: 720, scale: 1.5, touch: true });
  assert.ok((await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
  await shot(w.page, 'ux-quest');
  await w.ctx.close();
});

test('home: "Continue watching" and the headset sections above the full grid, hidden while filtering', async () => {
  const played = h.parts.catalog.list().find((v) => /Bravo/.test(v.title))!;
  const fav = h.parts.catalog.list().find((v) => /Charlie/.test(v.title))!;
  h.store.user.recordOpen(played.hash, new Date().toISOString()); // a headset opened it, not finished
  h.parts.writer.userData(played.hash, {});
  h.parts.writer.userData(fav.hash, { favorite: true });
  const w = await loggedIn();
  const page = w.page;
  const shelves = await page.$$eval('#home .shelf', (els) =>
    els.map((s) => ({ title: s.querySelector('.shelf-title')?.textContent, items: [...s.querySelectorAll('.tile-title')].map((t) => t.textContent) })),
  );
  assert.deepEqual(shelves.map((s) => s.title), ['Continue watching', 'Favorites', 'Recently added']);
  assert.deepEqual(shelves[0]!.items, [played.title]);
  assert.deepEqual(shelves[1]!.items, [fav.title]);
  const homeBottom = (await page.locator('#home').boundingBox())!;
  const gridTop = (await page.locator('#grid').boundingBox())!;
  assert.ok(homeBottom.y + homeBottom.height <= gridTop.y + 1, 'above the grid');
  await page.locator('#home .shelf').first().locator('.tile').first().click();
  await page.waitForSelector('dialog.detail[open]');
  assert.equal(await page.locator('#detail-title').textContent(), played.title);
  await page.locator('.d-close').click();
  await page.fill('#q', 'Delta');
  await waitUntil('home hidden while searching', async () => page.locator('#home').isHidden());
  await shot(page, 'ux-home');
  assert.deepEqual(w.problems, []);
  await w.ctx.close();
});
