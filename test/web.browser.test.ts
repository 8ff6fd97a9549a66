// The browser view end to end, its view part: the real server on the fake RD (real sample media
// and the edge-case fixtures, including the hostile name), driven by the system Chromium. Checks
// the strict CSP and headset addresses, sorting and its persistence, filters, keyboard use, and
// that RD names are only ever text. Thumbnails, previews and actions: web.media.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { postJson } from './helpers/harness.ts';
import { HOSTILE_NAME } from './fake-rd/index.ts';
import { cardTitles, expectedTitles, getLibrary, shot, startMediaSite, waitUntil, type LibraryJson, type MediaSite } from './web.support.ts';

let site: MediaSite;
let page: Page;
let firstSeen: LibraryJson;

before(async () => {
  site = await startMediaSite();
  page = site.page;
  firstSeen = site.firstSeen;
});

after(async () => {
  await site?.close();
});

const byTitle = (needle: string) => site.byTitle(needle);
const card = (id: string) => site.card(id);

test('GET / is the browser view under the strict CSP, with the headset addresses', async () => {
  const res = await fetch(site.h.url + '/', { headers: { accept: 'text/html' } });
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /style-src 'self'/);
  assert.ok(!csp.includes('unsafe-inline'));
  const addr = await page.locator('#connect .addr').allTextContents();
  assert.ok(addr.some((a) => /\/heresphere$/.test(a)), `HereSphere address shown: ${addr.join(', ')}`);
  assert.ok(addr.some((a) => /\/deovr$/.test(a)), `DeoVR address shown: ${addr.join(', ')}`);
  assert.equal(await page.locator('#skeleton').isHidden(), true);
  await shot(page, 'library');
});

test('each sort option orders the cards, both directions', async () => {
  const current = await getLibrary(site.h.url);
  const fresh = page.waitForResponse((r) => r.url().endsWith('/api/library'));
  await page.reload();
  const seen = (await (await fresh).json()) as LibraryJson;
  await page.waitForSelector('#grid .card');
  assert.ok(seen.videos.length >= current.videos.length - 1);
  // The open page follows the server (durations of visible cards arrive as their thumbnails are
  // made, and it re-sorts): compare with what the server has now, once the page caught up.
  for (const sort of ['name', 'added', 'size', 'duration', 'rating', 'played']) {
    await page.selectOption('#sort', sort);
    for (const dir of ['first', 'flipped'] as const) {
      if (dir === 'flipped') await page.click('#dir');
      const d = (await page.getAttribute('#dir', 'data-dir')) as 'asc' | 'desc';
      let last = { shown: [] as string[], want: [] as string[] };
      const same = await waitUntil(`sort ${sort} ${d}`, async () => {
        const shown = await cardTitles(page);
        const want = expectedTitles((await getLibrary(site.h.url)).videos, sort, d).slice(0, shown.length);
        last = { shown, want };
        return shown.length >= 8 && JSON.stringify(shown) === JSON.stringify(want);
      }, 20_000, 250).catch(() => false);
      assert.ok(last.shown.length >= 8, `enough cards rendered (${last.shown.length})`);
      if (!same) assert.deepEqual(last.shown, last.want, `sort ${sort} ${d}`);
      assert.match(page.url(), new RegExp(`sort=${sort}&dir=${d}`));
    }
  }
});

test('the sort survives a reload, comes back from localStorage, and the URL wins over it', async () => {
  await page.selectOption('#sort', 'size');
  if ((await page.getAttribute('#dir', 'data-dir')) !== 'asc') await page.click('#dir');
  await page.reload();
  await page.waitForSelector('#grid .card');
  assert.equal(await page.inputValue('#sort'), 'size');
  assert.equal(await page.getAttribute('#dir', 'data-dir'), 'asc');
  await page.goto(site.h.url + '/');
  await page.waitForSelector('#grid .card');
  assert.equal(await page.inputValue('#sort'), 'size', 'remembered in localStorage');
  assert.match(page.url(), /sort=size&dir=asc/, 'and written back to the URL');
  await page.goto(site.h.url + '/?sort=name&dir=desc&q=beach');
  await page.waitForSelector('#grid .card');
  assert.equal(await page.inputValue('#sort'), 'name', 'the URL wins');
  assert.equal(await page.getAttribute('#dir', 'data-dir'), 'desc');
  assert.equal(await page.inputValue('#q'), 'beach');
  assert.deepEqual(await cardTitles(page), [byTitle('Sunset').title]);
  await page.goto(site.h.url + '/?sort=added&dir=desc');
  await page.waitForSelector('#grid .card');
});

test('filters narrow the set: search, projection, 3D/2D, favorites, unwatched, minimum rating', async () => {
  const url = site.h.url;
  // User state to filter on, written the way the browser writes it.
  const seed = async (needle: string, patch: Record<string, unknown>) => assert.equal((await postJson(`${url}/api/videos/${byTitle(needle).id}`, patch)).status, 200);
  await seed('Sunset', { favorite: true, rating: 4 });
  await seed('Harbour', { favorite: true, watched: true, rating: 2 });
  await seed('City', { watched: true, rating: 3.5 });
  const all = (await getLibrary(url)).videos;
  await page.goto(url + '/?sort=name&dir=asc');
  await page.waitForSelector('#grid .card');
  const check = async (label: string, want: (v: (typeof all)[number]) => boolean) => {
    const first = all.filter(want).map((v) => v.title).sort();
    assert.ok(first.length > 0 && first.length < all.length, `${label}: the fixture makes this filter narrow (${first.length} of ${all.length})`);
    // Against the server's current facts: a probe or a thumbnail's picture verdict may refine a
    // video's projection while the test runs, and the open page follows such changes.
    let expected: string[] = first;
    let shown: string[] = [];
    try {
      await waitUntil(`${label}`, async () => {
        expected = (await getLibrary(url)).videos.filter(want).map((v) => v.title).sort();
        shown = (await cardTitles(page)).sort();
        return shown.join('\n') === expected.join('\n');
      });
    } catch (err) {
      throw new Error(`${label}: expected ${expected.join(' | ')}, showing ${shown.join(' | ')}`, { cause: err });
    }
  };
  await page.fill('#q', 'SAFARI');
  await check('search', (v) => v.title.toLowerCase().includes('safari'));
  await page.fill('#q', '');
  await page.selectOption('#kind', 'fisheye');
  await check('fisheye', (v) => v.kind === 'fisheye');
  await page.selectOption('#kind', '360');
  await check('360', (v) => v.kind === '360' || v.kind === 'cubemap');
  await page.selectOption('#kind', 'all');
  await page.selectOption('#stereo', '3d');
  await check('3D', (v) => v.stereo !== 'mono');
  await page.selectOption('#stereo', '2d');
  await check('2D', (v) => v.stereo === 'mono');
  await page.selectOption('#kind', 'flat');
  await check('flat 2D', (v) => v.kind === 'flat' && v.stereo === 'mono');
  assert.match(page.url(), /kind=flat&stereo=2d/, 'the URL carries the filters');
  await page.reload();
  await page.waitForSelector('#grid .card');
  assert.equal(await page.inputValue('#stereo'), '2d', 'a link (or reload) reproduces the 3D/2D filter');
  await check('flat 2D after reload', (v) => v.kind === 'flat' && v.stereo === 'mono');
  await page.selectOption('#kind', 'all');
  await page.selectOption('#stereo', 'all');
  assert.doesNotMatch(page.url(), /stereo=/);
  await page.check('#fav');
  await check('favorites', (v) => v.favorite);
  await page.uncheck('#fav');
  await page.check('#unwatched');
  await check('unwatched', (v) => !v.watched);
  await page.uncheck('#unwatched');
  await page.selectOption('#minRating', '3');
  await check('rating 3+', (v) => v.rating >= 3);
  assert.match(page.url(), /minRating=3/);
  await page.selectOption('#minRating', '0');
  await page.fill('#q', 'no such video anywhere');
  await waitUntil('the no-match state', () => page.locator('#empty').isVisible());
  await shot(page, 'filtered-empty');
  await page.click('#empty button');
  await waitUntil('filters cleared', async () => (await page.textContent('#count')) === `${all.length} videos`);
});

test('keyboard: arrows move focus, Enter opens the detail, Esc closes it, f toggles favorite', async () => {
  await page.goto(site.h.url + '/?sort=name&dir=asc');
  await page.waitForSelector('#grid .card');
  await page.focus('#q');
  await page.keyboard.press('ArrowDown');
  const pos = () => page.evaluate(() => document.activeElement?.getAttribute('aria-posinset'));
  assert.equal(await pos(), '1');
  await page.keyboard.press('ArrowRight');
  assert.equal(await pos(), '2');
  const cols = await page.evaluate(() => Math.round(document.getElementById('grid')!.clientWidth / document.querySelector<HTMLElement>('#grid .card')!.offsetWidth));
  await page.keyboard.press('ArrowDown');
  assert.equal(Number(await pos()), 2 + cols);
  await page.keyboard.press('ArrowUp');
  const id = await page.evaluate(() => (document.activeElement as HTMLElement).dataset['id']!);
  const before = await card(id).locator('.fav').getAttribute('aria-pressed');
  const saved = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.keyboard.press('f');
  await saved;
  assert.notEqual(await card(id).locator('.fav').getAttribute('aria-pressed'), before);
  const back = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.keyboard.press('f');
  await back;
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog.detail[open]');
  assert.match(page.url(), new RegExp(`#/v/${id}$`));
  await page.keyboard.press('Escape');
  await waitUntil('the dialog to close', async () => !(await page.locator('dialog.detail[open]').count()));
  await waitUntil('the route to drop the detail hash', async () => !page.url().includes('#/v/'), 2000);
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset['id']), id, 'focus returns to the card');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow);
  assert.notEqual(ring, 'none', 'a visible focus ring');
});

test('the hostile name is text everywhere; no script runs; no CSP violation on any page', async () => {
  const hostile = firstSeen.videos.find((v) => v.title.includes('<img'));
  assert.ok(hostile, `the fixture ${HOSTILE_NAME.filename} is listed`);
  await page.goto(`${site.h.url}/?sort=name&dir=asc&q=${encodeURIComponent('img src')}`);
  await page.waitForSelector(`#grid .card[data-id="${hostile.id}"]`);
  assert.match((await card(hostile.id).locator('.title').textContent()) ?? '', /<img src=x onerror=alert\(1\)>/);
  await page.goto(`${site.h.url}/#/v/${hostile.id}`);
  await page.waitForSelector('dialog.detail[open] .d-files');
  assert.match((await page.locator('#detail-title').textContent()) ?? '', /<img src=x/);
  await shot(page, 'hostile-detail');
  const injected = await page.evaluate(() => [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x' || i.getAttribute('onerror')).length);
  assert.equal(injected, 0);
  assert.deepEqual(site.w.problems, [], 'no CSP violation, console error, page error or JS dialog');
});
