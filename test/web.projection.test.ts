// The projection editor in the browser detail view (issue 14 items 3-4), in the system Chromium on
// a phone-sized and a desktop window: it says where the decision came from, sets an override that
// the card, HereSphere and DeoVR follow at once, and goes back to automatic. No CSP violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { postJson, startHarness, type Harness } from './helpers/harness.ts';
import { ensureBundle, launch, openPage, shot, waitUntil } from './web.support.ts';

let h: Harness;
let browser: Browser;
let id = '';

before(async () => {
  ensureBundle();
  h = await startHarness({ media: false, torrents: [{ filename: 'Sunset.Beach.Walk.180.LR.mp4', files: [{ path: '/Sunset.Beach.Walk.180.LR.mp4', bytes: 3_000_000 }] }] });
  await h.parts.sync.refresh();
  id = h.parts.catalog.list()[0]!.id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await h?.close();
});

for (const [name, width] of [['phone', 390], ['desktop', 1400]] as const) {
  test(`${name}: the detail view shows the source, sets an override everyone follows, and goes back to automatic`, { timeout: 60_000 }, async () => {
    // Each window starts from the automatic decision, whatever an earlier one left behind.
    await fetch(`${h.url}/api/videos/${id}/projection`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"automatic":true}' });
    const w = await openPage(browser, { width, height: 900 });
    const page = w.page;
    try {
      await page.goto(`${h.url}/#/v/${id}`);
      await page.waitForSelector('dialog.detail[open] .d-proj form');
      const now = page.locator('.d-proj .p-now');
      assert.match((await now.textContent()) ?? '', /180° SBS · decided by file name/);
      assert.match((await page.locator('.d-facts').textContent()) ?? '', /from file name/);

      await page.selectOption('.d-proj select[name=projection]', 'fisheye');
      await page.selectOption('.d-proj select[name=lens]', 'MKX200');
      await page.click('.d-proj button[type=submit]');
      await waitUntil('the override to show', async () => /Fisheye 200° SBS · decided by your setting/.test((await now.textContent()) ?? ''));
      assert.match((await page.locator('.d-proj .p-auto').textContent()) ?? '', /Automatic would be 180° SBS \(from file name\)/);
      await shot(page, `projection-editor-${name}`);
      await waitUntil('the tags to follow', async () => ((await page.locator('.d-body .tags').textContent()) ?? '').includes('Projection from: Your setting'));
      const card = page.locator(`#grid .card[data-id="${id}"] .badge-proj`);
      await waitUntil('the card to follow', async () => (await card.textContent()) === 'Fisheye 200° SBS');
      const hs = await postJson(`${h.url}/heresphere/${id}`, { needsMediaSource: false });
      assert.deepEqual([hs.json.projection, hs.json.lens, hs.json.fov], ['fisheye', 'MKX200', 200]);
      const deo = await (await fetch(`${h.url}/deovr/${id}`)).json();
      assert.equal(deo.screenType, 'mkx200');

      await page.click('.d-proj button:has-text("Back to automatic")');
      await waitUntil('automatic again', async () => /180° SBS · decided by file name/.test((await now.textContent()) ?? ''));
      await waitUntil('the card to follow back', async () => (await card.textContent()) === '180° SBS');
      assert.equal((await postJson(`${h.url}/heresphere/${id}`, { needsMediaSource: false })).json.projection, 'equirectangular');
      if (name === 'phone') {
        const overflow = await page.evaluate(() => document.querySelector('.d-proj')!.scrollWidth - document.querySelector('.d-proj')!.clientWidth);
        assert.ok(overflow <= 0, `the editor fits a 390 px screen (overflow ${overflow}px)`);
      }
      assert.deepEqual(w.problems, []);
    } finally {
      await w.ctx.close();
    }
  });
}
