// A hovered card's preview on a fresh library while 100 background jobs wait (issue 13): the real
// server on the fake RD with real sample videos, the system Chromium hovering one card. Background
// work gets only 1 unrestrict a minute here, so anything that waits behind it (its queue slots or
// its RD lane) would not play for minutes: the preview must not. (Leaving a card lowering its job:
// media.queue.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness } from './helpers/harness.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import { ensureBundle, launch, openPage, waitUntil, type Watched } from './web.support.ts';

let h: Harness;
let browser: Browser;
let w: Watched;
const BACKGROUND = 100;

before(async () => {
  ensureBundle();
  const samples = await ensureSamples();
  const now = Date.now();
  h = await startHarness({
    torrents: [
      { filename: 'Hover.Me.Scene.180.LR.mp4', added: new Date(now).toISOString(), files: [{ path: '/Hover.Me.Scene.180.LR.mp4', source: samples.sbs180.path }] },
      ...Array.from({ length: BACKGROUND }, (_, i) => {
        const name = `Background.Job.${String(i).padStart(3, '0')}.mp4`;
        return { filename: name, added: new Date(now - (i + 1) * 60_000).toISOString(), files: [{ path: `/${name}`, source: samples.flat.path }] };
      }),
    ],
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0', RD_BACKGROUND_UNRESTRICTS_PER_MINUTE: '1' },
  });
  browser = await launch();
});
after(async () => {
  await w?.ctx.close();
  await browser?.close();
  await h?.close();
});

test('a hover on a fresh library gets a playing preview while 100 background jobs are queued', async () => {
  w = await openPage(browser, { width: 1200, height: 900 });
  await w.page.goto(`${h.url}/?sort=added&dir=desc`);
  await w.page.waitForSelector('#grid .card');
  const hovered = h.parts.catalog.list().find((v) => v.title.includes('Hover'))!;
  const background = h.parts.catalog.list().filter((v) => v.title.includes('Background'));
  assert.equal(background.length, BACKGROUND);
  // 100 thumbnails nobody looks at, queued at background priority (as the warm-up or prober would).
  for (const v of background) void h.parts.media.ensure('thumb', h.parts.targets.of(v)!, 'background');
  const card = w.page.locator(`#grid .card[data-id="${hovered.id}"]`);
  await card.hover();
  await waitUntil('the hovered card plays its preview', async () => (await card.locator('.thumb.previewing').count()) > 0, 45_000, 100);
  const made = background.filter((v) => h.parts.media.isReady('thumb', h.parts.targets.of(v)!)).length;
  assert.ok(made < BACKGROUND / 2, `most background jobs still wait (${made} of ${BACKGROUND} done)`);
  // The preview spent a person's RD call, not the background lane's.
  assert.ok(h.parts.scheduler.snapshot().queued.background > 0, 'background unrestricts still wait for their lane');
});
