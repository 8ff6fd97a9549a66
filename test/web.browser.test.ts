// The browser view end to end: the real server on the fake RD (with real sample media and the
// edge-case fixtures, including the hostile name), driven by the system Chromium. Checks
// thumbnails, sorting, persistence of the view, filters, hover previews, user actions (and
// that HereSphere sees them), keyboard use, the detail dialog, and CSP/XSS safety.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { edgeCaseFixtures, HOSTILE_NAME, type FakeTorrentSpec } from './fake-rd/index.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import {
  cardTitles,
  ensureBundle,
  expectedTitles,
  getLibrary,
  launch,
  openPage,
  shot,
  waitForLibrary,
  waitUntil,
  type LibraryJson,
  type Watched,
} from './web.support.ts';

let h: Harness;
let browser: Browser;
let w: Watched;
let page: Page;
let lib: LibraryJson;
/** The library JSON exactly as the page received it on its first load. */
let firstSeen: LibraryJson;

const HOUR = 3_600_000;
const GB = 1024 ** 3;

before(async () => {
  ensureBundle();
  const s = await ensureSamples();
  const now = Date.now();
  const one = (filename: string, source: string, bytes: number, hoursAgo: number): FakeTorrentSpec => ({
    filename,
    added: new Date(now - hoursAgo * HOUR).toISOString(),
    files: [{ path: `/${filename}`, source, bytes }],
  });
  const media = [
    one('Sunset.Beach.Walk.180.LR.mp4', s.sbs180.path, 3 * GB, 0.5),
    one('Alpine.Lake.MKX200.LR.mp4', s.fisheye.path, 5 * GB, 0.6),
    one('City.Roofs.360.TB.mp4', s.tb360.path, 7 * GB, 0.7),
    one('Quiet.Movie.2019.1080p.mp4', s.flat.path, 2 * GB, 0.8),
    one('Zebra.Safari.180.LR.mp4', s.sbs180.path, 1 * GB, 0.9),
    one('Harbour.Lights.Fisheye190.LR.mp4', s.fisheye.path, 4 * GB, 1),
  ];
  const edge = edgeCaseFixtures({ now: now - 2 * HOUR });
  h = await startHarness({ torrents: [...media, ...edge] });
  lib = await waitForLibrary(h.url, 10);
  browser = await launch();
  w = await openPage(browser, { width: 1400, height: 1400 });
  page = w.page;
  const first = page.waitForResponse((r) => r.url().endsWith('/api/library'));
  const nav = await page.goto(h.url + '/');
  assert.equal(nav?.status(), 200);
  firstSeen = (await (await first).json()) as LibraryJson;
  await page.waitForSelector('#grid .card');
});

after(async () => {
  await browser?.close();
  await h?.close();
});

const byTitle = (needle: string) => {
  const v = firstSeen.videos.find((x) => x.title.toLowerCase().includes(needle.toLowerCase()));
  assert.ok(v, `a video titled like "${needle}" (titles: ${firstSeen.videos.map((x) => x.title).join(' | ')})`);
  return v;
};
const card = (id: string) => page.locator(`#grid .card[data-id="${id}"]`);

test('GET / is the browser view under the strict CSP, with the headset addresses', async () => {
  const res = await fetch(h.url + '/', { headers: { accept: 'text/html' } });
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

test('a pending thumbnail is swapped for the generated image without a reload', async () => {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const withMedia = ['Sunset', 'Alpine', 'City', 'Quiet', 'Zebra', 'Harbour'].map(byTitle);
  const pending = withMedia.filter((v) => !v.thumbReady);
  // Every real-media card ends with a loaded, cache-busted image; pending ones got there by polling.
  for (const v of withMedia) {
    await waitUntil(`thumbnail of ${v.title}`, async () => {
      const phase = await card(v.id).locator('.thumb').getAttribute('data-phase');
      const natural = await card(v.id).locator('.thumb img').evaluate((img) => (img as HTMLImageElement).naturalWidth);
      return phase === 'loaded' && natural > 0;
    }, 45_000, 250);
  }
  for (const v of pending) {
    const src = await card(v.id).locator('.thumb img').getAttribute('src');
    assert.match(src ?? '', /[?&]v=\d+/, `${v.title} was swapped in by the poller`);
  }
  assert.ok(pending.length > 0, 'at least one thumbnail was still pending when the page loaded (else this test proves nothing)');
  assert.equal(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument), true, 'no reload');
  // A video with no real media never gets an image: its card shows the fallback icon, not a broken image.
  const hostile = firstSeen.videos.find((v) => v.title.includes('<img'));
  assert.ok(hostile);
  await waitUntil('fallback icon for a video without a thumbnail', async () => (await card(hostile.id).locator('.thumb').getAttribute('data-phase')) === 'missing', 30_000, 250);
});

test('each sort option orders the cards, both directions', async () => {
  const current = await getLibrary(h.url);
  // The page's copy is the first JSON; durations and thumbnails may have changed since: reload to align.
  const fresh = page.waitForResponse((r) => r.url().endsWith('/api/library'));
  await page.reload();
  const seen = (await (await fresh).json()) as LibraryJson;
  await page.waitForSelector('#grid .card');
  assert.ok(seen.videos.length >= current.videos.length - 1);
  for (const sort of ['name', 'added', 'size', 'duration', 'rating', 'played']) {
    await page.selectOption('#sort', sort);
    for (const dir of ['first', 'flipped'] as const) {
      if (dir === 'flipped') await page.click('#dir');
      const d = (await page.getAttribute('#dir', 'data-dir')) as 'asc' | 'desc';
      const shown = await cardTitles(page);
      const want = expectedTitles(seen.videos, sort, d).slice(0, shown.length);
      assert.ok(shown.length >= 8, `enough cards rendered (${shown.length})`);
      assert.deepEqual(shown, want, `sort ${sort} ${d}`);
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
  await page.goto(h.url + '/');
  await page.waitForSelector('#grid .card');
  assert.equal(await page.inputValue('#sort'), 'size', 'remembered in localStorage');
  assert.match(page.url(), /sort=size&dir=asc/, 'and written back to the URL');
  await page.goto(h.url + '/?sort=name&dir=desc&q=beach');
  await page.waitForSelector('#grid .card');
  assert.equal(await page.inputValue('#sort'), 'name', 'the URL wins');
  assert.equal(await page.getAttribute('#dir', 'data-dir'), 'desc');
  assert.equal(await page.inputValue('#q'), 'beach');
  assert.deepEqual(await cardTitles(page), [byTitle('Sunset').title]);
  await page.goto(h.url + '/?sort=added&dir=desc');
  await page.waitForSelector('#grid .card');
});

test('favorite, rating and watched: optimistic, saved, kept across reload, seen by HereSphere', async () => {
  const fav = byTitle('Sunset');
  const rated = byTitle('Alpine');
  const cleared = byTitle('City');
  const watched = byTitle('Quiet');
  const saved = () => page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/videos\//.test(r.url()));

  let done = saved();
  await card(fav.id).hover();
  await card(fav.id).locator('.fav').click();
  assert.equal(await card(fav.id).locator('.fav').getAttribute('aria-pressed'), 'true');
  assert.equal((await done).status(), 200);

  done = saved();
  await card(rated.id).locator('.star[data-value="4"]').click();
  assert.equal((await done).status(), 200);
  assert.equal(await card(rated.id).locator('.star.on').count(), 4);

  done = saved();
  await card(cleared.id).locator('.star[data-value="2"]').click();
  await done;
  done = saved();
  await card(cleared.id).locator('.star[data-value="2"]').click(); // same star again clears
  await done;
  assert.equal(await card(cleared.id).locator('.star.on').count(), 0);

  done = saved();
  await card(watched.id).focus();
  await page.keyboard.press('w');
  await done;
  assert.equal(await card(watched.id).locator('.badge-watched').isVisible(), true);

  await page.reload();
  await page.waitForSelector('#grid .card');
  assert.equal(await card(fav.id).locator('.fav').getAttribute('aria-pressed'), 'true');
  assert.equal(await card(rated.id).locator('.star.on').count(), 4);
  assert.equal(await card(cleared.id).locator('.star.on').count(), 0);
  assert.equal(await card(watched.id).locator('.badge-watched').isVisible(), true);

  const hsFav = await postJson(`${h.url}/heresphere/${fav.id}`, { needsMediaSource: false });
  assert.equal(hsFav.status, 200);
  assert.equal(hsFav.json.isFavorite, true);
  const hsRated = await postJson(`${h.url}/heresphere/${rated.id}`, { needsMediaSource: false });
  assert.equal(hsRated.json.rating, 4);
  const hsCleared = await postJson(`${h.url}/heresphere/${cleared.id}`, { needsMediaSource: false });
  assert.equal(hsCleared.json.rating ?? 0, 0);
  await shot(page, 'after-actions');
});

test('a refused save rolls back and says why', async () => {
  const v = byTitle('Zebra');
  const problemsBefore = w.problems.length;
  await page.route('**/api/videos/**', (route) =>
    route.request().method() === 'POST' ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'disk full' }) }) : route.continue(),
  );
  try {
    await card(v.id).hover();
    await card(v.id).locator('.fav').click();
    await waitUntil('rollback of the heart', async () => (await card(v.id).locator('.fav').getAttribute('aria-pressed')) === 'false');
    await waitUntil('an error toast', async () => /disk full/.test((await page.locator('.toast-error').allTextContents()).join(' ')));
    await shot(page, 'rollback-toast');
  } finally {
    await page.unroute('**/api/videos/**');
  }
  const server = (await getLibrary(h.url)).videos.find((x) => x.id === v.id);
  assert.equal(server?.favorite, false);
  // The refusal we staged shows up as a failed request in the console; nothing else may.
  await page.waitForTimeout(200);
  const staged = w.problems.splice(problemsBefore);
  assert.ok(staged.every((p) => p.includes(`/api/videos/${v.id}`)), staged.join('\n'));
});

test('filters narrow the set: search, projection, favorites, unwatched, minimum rating', async () => {
  const all = (await getLibrary(h.url)).videos;
  await page.goto(h.url + '/?sort=name&dir=asc');
  await page.waitForSelector('#grid .card');
  const check = async (label: string, want: (v: (typeof all)[number]) => boolean) => {
    const expected = all.filter(want).map((v) => v.title);
    await waitUntil(`${label}: ${expected.length} cards`, async () => (await cardTitles(page)).length === expected.length || (expected.length === 0 && (await page.locator('#empty').isVisible())));
    assert.deepEqual(new Set(await cardTitles(page)), new Set(expected), label);
  };
  await page.fill('#q', 'SAFARI');
  await check('search', (v) => v.title.toLowerCase().includes('safari'));
  await page.fill('#q', '');
  await page.selectOption('#kind', 'fisheye');
  await check('fisheye', (v) => v.kind === 'fisheye');
  assert.ok((await cardTitles(page)).length >= 2);
  await page.selectOption('#kind', '360');
  await check('360', (v) => v.kind === '360' || v.kind === 'cubemap');
  await page.selectOption('#kind', 'all');
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
  await waitUntil('filters cleared', async () => (await cardTitles(page)).length > 5);
});

test('hovering a card plays its preview; leaving stops and unloads it', async () => {
  await page.goto(h.url + '/?sort=name&dir=asc');
  await page.waitForSelector('#grid .card');
  const v = byTitle('Sunset');
  const previewPath = new URL(v.previewUrl, h.url).pathname;
  await page.mouse.move(5, 5);
  await page.waitForTimeout(1000);
  const from = w.requests.length; // earlier tests hovered cards on other pages
  const since = () => w.requests.slice(from).filter((u) => u.includes('/preview/'));
  assert.equal(since().length, 0, 'no preview requested before any hover');
  await waitUntil('the preview to play', async () => {
    await page.mouse.move(5, 5);
    await card(v.id).locator('.thumb').hover();
    await page.waitForTimeout(1200);
    const t = await page.evaluate(() => document.querySelector<HTMLVideoElement>('#grid video.preview')?.currentTime ?? 0);
    return t > 0.1;
  }, 60_000, 500);
  const t1 = await page.evaluate(() => document.querySelector<HTMLVideoElement>('#grid video.preview')!.currentTime);
  await page.waitForTimeout(400);
  const t2 = await page.evaluate(() => document.querySelector<HTMLVideoElement>('#grid video.preview')!.currentTime);
  assert.ok(t2 > t1, `currentTime advances (${t1} -> ${t2})`);
  assert.equal(await page.evaluate(() => document.querySelector<HTMLVideoElement>('#grid video.preview')!.muted), true);
  await shot(page, 'hover-preview');
  await page.mouse.move(5, 5);
  await waitUntil('the preview to go away', async () => (await page.locator('#grid video.preview').count()) === 0);
  const previews = since();
  assert.ok(previews.every((u) => new URL(u).pathname === previewPath), `only the hovered preview was requested: ${previews.join(', ')}`);
});

test('keyboard: arrows move focus, Enter opens the detail, Esc closes it, f toggles favorite', async () => {
  await page.goto(h.url + '/?sort=name&dir=asc');
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

test('detail view by its route: files, browser playback, copy stream URL, unload on close', async () => {
  const v = byTitle('Quiet');
  await w.ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
  await page.goto(`${h.url}/?sort=name&dir=asc#/v/${v.id}`);
  await page.waitForSelector('dialog.detail[open] .d-files tbody tr');
  assert.equal(await page.locator('#detail-title').textContent(), v.title);
  const rows = await page.locator('.d-files tbody tr').count();
  assert.ok(rows >= 1);
  assert.match((await page.locator('.d-facts').textContent()) ?? '', /Projection/);
  await page.locator('.d-files tbody tr').first().getByRole('button', { name: /^Copy stream URL/ }).click();
  await waitUntil('a copied toast', async () => /copied/i.test((await page.locator('.toast').allTextContents()).join(' ')));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^http:\/\/127\.0\.0\.1:\d+\/play\//);
  await page.locator('.d-files tbody tr').first().getByRole('button', { name: /^Play/ }).click();
  await waitUntil('browser playback', async () => page.evaluate(() => (document.querySelector<HTMLVideoElement>('video.d-player')?.currentTime ?? 0) > 0.2), 30_000, 250);
  await shot(page, 'detail-playing');
  await page.click('.d-close');
  await waitUntil('closed', async () => !(await page.locator('dialog.detail[open]').count()));
  await waitUntil('the player to be unloaded', async () => (await page.locator('video.d-player').count()) === 0, 2000);
});

test('the hostile name is text everywhere; no script runs; no CSP violation on any page', async () => {
  const hostile = firstSeen.videos.find((v) => v.title.includes('<img'));
  assert.ok(hostile, `the fixture ${HOSTILE_NAME.filename} is listed`);
  await page.goto(`${h.url}/?sort=name&dir=asc&q=${encodeURIComponent('img src')}`);
  await page.waitForSelector(`#grid .card[data-id="${hostile.id}"]`);
  assert.match((await card(hostile.id).locator('.title').textContent()) ?? '', /<img src=x onerror=alert\(1\)>/);
  await page.goto(`${h.url}/#/v/${hostile.id}`);
  await page.waitForSelector('dialog.detail[open] .d-files');
  assert.match((await page.locator('#detail-title').textContent()) ?? '', /<img src=x/);
  await shot(page, 'hostile-detail');
  const injected = await page.evaluate(() => [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x' || i.getAttribute('onerror')).length);
  assert.equal(injected, 0);
  assert.deepEqual(w.problems, [], 'no CSP violation, console error, page error or JS dialog');
});
