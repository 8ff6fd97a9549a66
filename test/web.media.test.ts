// The browser view end to end, its media and action part: the real server on the fake RD with
// real sample media (ffmpeg makes thumbnails and previews), driven by the system Chromium.
// Checks thumbnails swapped in without reload and failures explained, hover previews (the first
// hover waits for a clip still being made; leaving cancels), favorite/rating/watched persisted
// and seen by HereSphere, a refused save rolled back, and playback in the detail view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { postJson } from './helpers/harness.ts';
import { fetchLog, getLibrary, MEDIA_TITLES, shot, startMediaSite, waitUntil, type LibraryJson, type MediaSite } from './web.support.ts';

let site: MediaSite;
let page: Page;
let firstSeen: LibraryJson;

before(async () => {
  // Thumbnails still being made are asked about every 250 ms instead of every 3 s.
  site = await startMediaSite({ polls: { thumbs: 250 } });
  page = site.page;
  firstSeen = site.firstSeen;
});

after(async () => {
  await site?.close();
});

const byTitle = (needle: string) => site.byTitle(needle);
const card = (id: string) => site.card(id);

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

test('a thumbnail that cannot be made says why: on the card icon and in the detail view', async () => {
  const url = site.h.url;
  const hostile = firstSeen.videos.find((v) => v.title.includes('<img'));
  assert.ok(hostile);
  const status = (await (await fetch(`${url}/api/media-status?ids=${hostile.id}`)).json()) as Record<string, { thumb: string; reason?: string }>;
  const reason = status[hostile.id]?.reason;
  assert.ok(status[hostile.id]?.thumb === 'failed' && reason, `the server reports the failure with a reason: ${JSON.stringify(status)}`);
  const why = `Thumbnail unavailable: ${reason}`;
  const ph = card(hostile.id).locator('.thumb-ph');
  await waitUntil(`the icon's tooltip "${why}"`, async () => (await ph.getAttribute('title')) === why);
  assert.equal(await ph.getAttribute('aria-label'), why);
  // The tooltip can show: the icon itself is what the pointer is over, not the hidden image.
  const hit = await card(hostile.id).locator('.thumb').evaluate((t) => {
    const r = t.getBoundingClientRect();
    return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('.thumb-ph') !== null;
  });
  assert.ok(hit, 'the fallback icon is under the pointer');
  await page.goto(`${url}/?sort=name&dir=asc#/v/${hostile.id}`);
  await page.waitForSelector('dialog.detail[open] .d-files');
  assert.equal(await page.locator('.d-thumb-problem').textContent(), why);
  assert.equal(await page.locator('.d-poster-missing').getAttribute('title'), why);
  await shot(page, 'detail-thumb-problem');
  await page.keyboard.press('Escape'); // not a click: the pointer stays off the cards for the hover test
  await waitUntil('closed', async () => !(await page.locator('dialog.detail[open]').count()));
});

test('the first hover waits for a preview still being made and plays it; leaving stops, unloads and cancels', async () => {
  const url = site.h.url;
  const path = (v: { previewUrl: string }) => new URL(v.previewUrl, url).pathname;
  const previewsAsked = () => site.w.requests.filter((u) => new URL(u).pathname.startsWith('/preview/'));
  assert.deepEqual(previewsAsked(), [], 'no preview requested before any hover');
  const [a, b] = MEDIA_TITLES.map(byTitle);
  assert.ok(a && b);

  // B: a clip that stays "being made" (202, Retry-After 1 s). Hover it until its first wait starts, then leave.
  await page.route(`**${path(b)}`, (route) => route.fulfill({ status: 202, headers: { 'retry-after': '1', 'x-media-state': 'pending' }, body: '' }));
  await card(b.id).locator('.thumb').hover();
  await waitUntil('B to ask whether its clip is ready', async () => (await fetchLog(page)).some((f) => f.method === 'HEAD' && f.url.endsWith(path(b)) && f.status === 202), 30_000);
  await page.mouse.move(5, 5);
  const counts = await page.evaluate(async (p) => {
    // (no named functions in here: the test's transpiler would wrap them in a helper the page lacks)
    const log = (window as unknown as { __fetches: Array<{ url: string }> }).__fetches;
    await new Promise((r) => requestAnimationFrame(r));
    const before = log.filter((f) => f.url.endsWith(p)).length;
    // Timers run in due order: one set now for longer than B's 1 s wait runs after it would have.
    await new Promise((r) => setTimeout(r, 1500));
    return { before, after: log.filter((f) => f.url.endsWith(p)).length };
  }, path(b));
  assert.equal(counts.after, counts.before, 'leaving the card cancelled the wait: no request after leaving');
  await page.unroute(`**${path(b)}`);

  // A: the real server. One hover, the pointer stays: "being made" first (202, not an error: the
  // last test checks the console), then it plays once made.
  const from = site.w.responses.length;
  await card(a.id).locator('.thumb').hover();
  const playing = await page.waitForFunction(
    () => {
      const v = document.querySelector<HTMLVideoElement>('#grid video.preview');
      return v && !v.paused && v.currentTime > 0 ? v.currentTime : false;
    },
    null,
    { timeout: 90_000, polling: 100 },
  );
  const t1 = (await playing.jsonValue()) as number;
  await page.waitForFunction((t) => document.querySelector<HTMLVideoElement>('#grid video.preview')?.currentTime !== t, t1, { timeout: 15_000, polling: 'raf' });
  const answers = site.w.responses.slice(from).filter((r) => r.url.endsWith(path(a)));
  assert.equal(answers[0]?.status, 202, `the clip was still being made at the first hover (${JSON.stringify(answers)})`);
  assert.ok(answers.every((r) => r.status < 400), `no error answer for a clip being made: ${JSON.stringify(answers)}`);
  assert.equal(await page.evaluate(() => document.querySelector<HTMLVideoElement>('#grid video.preview')!.muted), true);
  await shot(page, 'hover-preview');
  await page.mouse.move(5, 5);
  await waitUntil('the preview to go away', async () => (await page.locator('#grid video.preview').count()) === 0);
  const asked = new Set(previewsAsked().map((u) => new URL(u).pathname));
  assert.deepEqual([...asked].sort(), [path(a), path(b)].sort(), 'only the hovered previews were requested');
});

test('favorite, rating and watched: optimistic, saved, kept across reload, seen by HereSphere', async () => {
  const fav = byTitle('Sunset');
  const rated = byTitle('Alpine');
  const cleared = byTitle('City');
  const watched = byTitle('Quiet');
  const saved = () => page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/videos\//.test(r.url()));
  // HereSphere's video object: watched shows as its generated "Feature:Watched"/"Feature:Unwatched" tag.
  const hs = async (id: string) => {
    const r = await postJson(`${site.h.url}/heresphere/${id}`, { needsMediaSource: false });
    assert.equal(r.status, 200);
    return r.json as { isFavorite: boolean; rating?: number; tags: Array<{ name: string }> };
  };
  const watchTags = async (id: string) => (await hs(id)).tags.map((t) => t.name).filter((n) => /^Feature:(Un)?[Ww]atched$/.test(n));
  assert.deepEqual(await watchTags(watched.id), ['Feature:Unwatched'], 'not watched before');

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

  assert.equal((await hs(fav.id)).isFavorite, true);
  assert.equal((await hs(rated.id)).rating, 4);
  assert.equal((await hs(cleared.id)).rating ?? 0, 0);
  assert.deepEqual(await watchTags(watched.id), ['Feature:Watched'], 'HereSphere sees the video watched');
  await shot(page, 'after-actions');

  // And back: unwatched from the detail view's button, seen by HereSphere too.
  await page.goto(`${site.h.url}/?sort=name&dir=asc#/v/${watched.id}`);
  await page.waitForSelector('dialog.detail[open] .d-watched[aria-pressed="true"]');
  done = saved();
  await page.click('.d-watched');
  assert.equal((await done).status(), 200);
  assert.equal(await page.getAttribute('.d-watched', 'aria-pressed'), 'false');
  assert.deepEqual(await watchTags(watched.id), ['Feature:Unwatched'], 'HereSphere sees it unwatched again');
  await page.click('.d-close');
  await waitUntil('closed', async () => !(await page.locator('dialog.detail[open]').count()));
});

test('a refused save rolls back and says why', async () => {
  const v = byTitle('Zebra');
  const problemsBefore = site.w.problems.length;
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
  const server = (await getLibrary(site.h.url)).videos.find((x) => x.id === v.id);
  assert.equal(server?.favorite, false);
  // The refusal we staged shows up as a failed request, in the console and as a 500 (that one is
  // noted once its body is read): wait for both, then nothing else may be there.
  const mine = (p: string) => p.includes(`/api/videos/${v.id}`);
  await waitUntil('the staged refusal in the problem list', async () => {
    const staged = site.w.problems.slice(problemsBefore);
    return staged.some((p) => mine(p) && p.startsWith('console error')) && staged.some((p) => mine(p) && p.startsWith('server 500'));
  });
  const staged = site.w.problems.splice(problemsBefore);
  assert.ok(staged.every(mine), staged.join('\n'));
});

test('detail view by its route: files, browser playback, copy stream URL, unload on close', async () => {
  const v = byTitle('Quiet');
  await site.w.ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.h.url });
  await page.goto(`${site.h.url}/?sort=name&dir=asc#/v/${v.id}`);
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

test('no CSP violation, console error, page error or JS dialog on any of these pages', () => {
  assert.deepEqual(site.w.problems, []);
});
