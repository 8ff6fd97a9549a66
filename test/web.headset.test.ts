// The browser view from the headset's side of issue 15, in the system Chromium on the real server
// (fake RD, no ffmpeg): the login page in the app's own look at phone, desktop and Quest-browser
// size (computed styles, 44 px targets, no CSP violation, screenshots), the "On the headset" panel
// that is open on a fresh server and starts folded once HereSphere has loaded the library (a
// person's own toggle still wins), and text raised at Quest-browser size (1280x720) while phone and
// desktop keep theirs. Screenshots go to test-output/screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from './helpers/harness.ts';
import { ensureBundle, launch, openPage, shot, type Watched } from './web.support.ts';

const TOKEN = 'headset-test-token-0123';
let h: Harness;
let browser: Browser;

const NAMES = ['Alpha.Sunrise.180.LR.mp4', 'Bravo.Harbour.360.TB.mp4', 'Charlie.Roofs.MKX200.mp4', 'Delta.Forest.180.SBS.mp4'];
const PHONE = { width: 390, height: 844, scale: 2, touch: true };
const DESKTOP = { width: 1400, height: 1000 };
const QUEST = { width: 1280, height: 720, scale: 1.5, touch: true };

before(async () => {
  ensureBundle();
  h = await startHarness({
    media: false,
    env: { HERESPHERE_AUTH_TOKEN: TOKEN },
    torrents: NAMES.map((n, i) => ({ filename: n, files: [{ path: `/${n}`, bytes: (i + 1) * 1_000_000_000 }] })),
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
  await w.page.goto(`${h.url}/`);
  await w.page.waitForSelector('#grid .card');
  return w;
}

const px = (v: string): number => parseFloat(v);

/** Computed style properties of the first element matching a selector. */
function styleOf(page: Page, selector: string, props: string[]): Promise<Record<string, string>> {
  return page.locator(selector).first().evaluate((el, names) => {
    const cs = getComputedStyle(el);
    return Object.fromEntries(names.map((n) => [n, cs.getPropertyValue(n)]));
  }, props);
}

test("login page: the browser view's look at phone, desktop and Quest-browser size, 44 px targets, no CSP violation", async () => {
  for (const [name, size] of [['phone', PHONE], ['desktop', DESKTOP], ['quest', QUEST]] as const) {
    const w = await openPage(browser, size);
    const page = w.page;
    await page.goto(`${h.url}/login?failed=1`);
    await page.waitForSelector('#message:not([hidden])');
    // The browser view's colours and type (src/web/styles.css: --bg, --surface, --accent, --text).
    const body = await styleOf(page, 'body', ['background-color', 'color', 'font-family']);
    assert.equal(body['background-color'], 'rgb(11, 13, 18)', `${name}: page background`);
    assert.equal(body['color'], 'rgb(232, 234, 240)', `${name}: text colour`);
    assert.match(body['font-family']!, /system-ui/, `${name}: the app's font`);
    assert.equal((await styleOf(page, 'main.card', ['background-color']))['background-color'], 'rgb(20, 24, 33)', `${name}: card surface`);
    assert.equal((await styleOf(page, '.brand b', ['color']))['color'], 'rgb(155, 140, 255)', `${name}: brand accent`);
    const submit = await styleOf(page, 'button[type=submit]', ['background-color', 'border-radius']);
    assert.equal(submit['background-color'], 'rgb(155, 140, 255)', `${name}: accent button`);
    assert.equal(submit['border-radius'], '10px');
    const msg = await styleOf(page, '#message', ['background-color', 'color']);
    assert.equal(msg['color'], 'rgb(254, 202, 202)', `${name}: error in the app's error colours`);
    // Touch targets and fit.
    for (const sel of ['#token', 'button[type=submit]', '#reveal']) {
      const b = await page.locator(sel).boundingBox();
      assert.ok(b && b.height >= 44, `${name}: ${sel} is ${b?.height} px high`);
      assert.ok(b.x >= 0 && b.x + b.width <= size.width, `${name}: ${sel} on screen`);
    }
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, `${name}: no sideways scrolling`);
    const card = (await page.locator('main.card').boundingBox())!;
    assert.ok(card.y >= 0 && card.y + card.height <= size.height, `${name}: the whole card is on the first screen`);
    const fontPx = px((await styleOf(page, 'body', ['font-size']))['font-size']!);
    assert.ok(name === 'quest' ? fontPx >= 16 : fontPx >= 15, `${name}: body text ${fontPx} px`);
    // Show/Hide works under the CSP (login.js is the only script).
    await page.fill('#token', 'typed-on-a-headset');
    await page.click('#reveal');
    assert.equal(await page.locator('#token').getAttribute('type'), 'text');
    assert.equal(await page.locator('#reveal').getAttribute('aria-pressed'), 'true');
    await shot(page, `login-${name}`);
    assert.deepEqual(w.problems, [], `${name}: no CSP violation or console error`);
    await w.ctx.close();
  }
});

const panelOpen = (page: Page): Promise<boolean> => page.locator('details.connect-box').evaluate((d) => (d as HTMLDetailsElement).open);

test('headset panel: open on a fresh server, folded once HereSphere has loaded the library, a person’s own choice wins', async () => {
  const fresh = (await (await fetch(`${h.url}/api/library`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { players: unknown };
  assert.deepEqual(fresh.players, { heresphere: null, deovr: null }, 'no player has connected yet');
  const w = await loggedIn(DESKTOP);
  const page = w.page;
  assert.equal(await panelOpen(page), true, 'open on a fresh server: the addresses are what a new user needs');
  assert.equal(await page.locator('.connect-seen').count(), 0);
  await page.reload();
  await page.waitForSelector('#grid .card');
  assert.equal(await panelOpen(page), true, 'still open: the default was not remembered as a choice');

  // HereSphere loads the library, as the headset does after its address is typed in.
  const hs = await fetch(`${h.url}/heresphere`, { method: 'POST', headers: { 'user-agent': 'HereSphere/0.8 Quest2', 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{}' });
  assert.equal(hs.status, 200);
  assert.ok(((await hs.json()) as { library: unknown[] }).library.length > 0, 'HereSphere got the library');
  const lib = (await (await page.request.get(`${h.url}/api/library`)).json()) as { players: { heresphere: string | null; deovr: string | null } };
  assert.ok(lib.players.heresphere && Math.abs(Date.parse(lib.players.heresphere) - Date.now()) < 60_000, JSON.stringify(lib.players));
  assert.equal(lib.players.deovr, null);

  await page.reload();
  await page.waitForSelector('#grid .card');
  assert.equal(await panelOpen(page), false, 'folded once HereSphere has connected');
  assert.match((await page.locator('#connect summary').textContent()) ?? '', /HereSphere connected just now/);
  await shot(page, 'headset-panel-folded');
  // The person can still open it, and that choice is remembered over the automatic fold.
  await page.locator('#connect summary').click();
  assert.equal(await panelOpen(page), true);
  assert.ok(await page.locator('#connect .addr').first().isVisible());
  await page.reload();
  await page.waitForSelector('#grid .card');
  assert.equal(await panelOpen(page), true, 'the explicit choice wins');
  assert.deepEqual(w.problems, []);
  await w.ctx.close();

  // DeoVR's library load is noted too.
  const deo = await fetch(`${h.url}/deovr`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(deo.status, 200);
  await deo.body?.cancel();
  const after = (await (await fetch(`${h.url}/api/library`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { players: { deovr: string | null } };
  assert.ok(after.players.deovr, 'DeoVR noted');
});

/** Font sizes (px) of body text, card titles, card meta lines and whether a card's text block fits. */
async function textSizes(page: Page): Promise<{ body: number; title: number; meta: number; fits: boolean }> {
  return page.evaluate(() => {
    const [body, title0, meta] = ['body', '#grid .card .title', '#grid .card .meta'].map((sel) => parseFloat(getComputedStyle(document.querySelector(sel)!).fontSize));
    const info = document.querySelector('#grid .card .info')!.getBoundingClientRect();
    const row = document.querySelector('#grid .card .row')!.getBoundingClientRect();
    const title = document.querySelector<HTMLElement>('#grid .card .title')!;
    return {
      body: body!,
      title: title0!,
      meta: meta!,
      fits: row.bottom <= info.bottom + 0.5 && title.scrollHeight <= title.clientHeight + 1,
    };
  });
}

test('text at Quest-browser size (1280x720) is raised; phone and desktop keep their sizes and nothing is clipped', async () => {
  const quest = await loggedIn(QUEST);
  const q = await textSizes(quest.page);
  assert.ok(q.body >= 16, `body text ${q.body} px at 1280x720`);
  assert.ok(q.title >= 16, `card titles ${q.title} px`);
  assert.ok(q.meta >= 14, `card meta ${q.meta} px`);
  assert.ok(q.fits, 'the taller card text block holds title, meta and 44 px stars');
  assert.ok((await quest.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'no sideways scrolling');
  await shot(quest.page, 'headset-quest-text');
  assert.deepEqual(quest.problems, []);
  await quest.ctx.close();
  for (const [name, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    const w = await loggedIn(size);
    const s = await textSizes(w.page);
    assert.equal(s.body, 14, `${name}: body text unchanged`);
    assert.equal(s.title, 14, `${name}: card titles unchanged`);
    assert.ok(s.fits, `${name}: card text fits`);
    await w.ctx.close();
  }
});
