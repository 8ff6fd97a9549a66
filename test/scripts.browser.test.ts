// Funscript heatmaps in the real browser (system Chromium) on the real server and fake RD (issue
// 17): the strip under the card thumbnail with the expected colours at known positions (pixels
// read back from the page), only for videos whose script reads; the detail view's figures, and
// its reason for a broken script; the toolbar's script filter and the intensity sort.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from './helpers/harness.ts';
import { scriptedTorrent as scripted } from './fake-rd/funscripts.ts';
import { SCRIPT_PROBLEMS } from '../src/library/funscript.ts';
import { cardTitles, ensureBundle, launch, openPage, shot, waitUntil, type Watched } from './web.support.ts';

let h: Harness;
let browser: Browser;
let w: Watched;
let page: Page;

// Hand-computed colours of the ramp's three phases (see library.funscript.test.ts).
const SLOW = [33, 140, 71];
const MEDIUM = [181, 190, 11];
const FAST = [189, 13, 83];

before(async () => {
  ensureBundle();
  h = await startHarness({
    media: false,
    torrents: [scripted('Ramp.Scene.180.LR', 1, 'ramp'), scripted('Broken.Json.180.LR', 2, 'notJson'), scripted('Plain.Video.180.LR', 3, null)],
  });
  // Open each video once (file list, then its script is read in the background) and wait for the reads.
  const lib = (await (await fetch(`${h.url}/api/library`)).json()) as { videos: Array<{ id: string }> };
  for (const v of lib.videos) await fetch(`${h.url}/api/videos/${v.id}`);
  await h.parts.scripts.whenIdle();
  browser = await launch();
  w = await openPage(browser);
  page = w.page;
  await page.goto(`${h.url}/?sort=name&dir=asc`);
  await page.waitForSelector('#grid .card');
});

after(async () => {
  await w?.ctx.close();
  await browser?.close();
  await h?.close();
});

const cardOf = (title: string) => page.locator('#grid .card', { has: page.locator('.title', { hasText: title }) });

test('the card strip shows the expected colours at known positions, only where a script reads', async () => {
  assert.equal(await cardOf('Ramp Scene').locator('canvas.heat-card').count(), 1);
  assert.equal(await cardOf('Broken Json').locator('canvas.heat-card').count(), 0);
  assert.equal(await cardOf('Plain Video').locator('canvas.heat-card').count(), 0);
  const px = await cardOf('Ramp Scene')
    .locator('canvas.heat-card')
    .evaluate((c: HTMLCanvasElement, fractions: number[]) => fractions.map((f) => [...c.getContext('2d')!.getImageData(Math.floor(c.width * f), 0, 1, 1).data.slice(0, 3)]), [1 / 6, 1 / 2, 5 / 6]);
  assert.deepEqual(px, [SLOW, MEDIUM, FAST]);
  // The strip sits at the bottom edge of the thumbnail, full width.
  const strip = await cardOf('Ramp Scene').locator('canvas.heat-card').boundingBox();
  const thumb = await cardOf('Ramp Scene').locator('.thumb').boundingBox();
  assert.ok(strip && thumb);
  assert.ok(Math.abs(strip.y + strip.height - (thumb.y + thumb.height)) <= 1 && Math.abs(strip.width - thumb.width) <= 1);
  await shot(page, 'heatmap-cards');
});

test('filter by script and sort by intensity', async () => {
  await page.selectOption('#script', 'scripted');
  assert.deepEqual(await cardTitles(page), ['Broken Json', 'Ramp Scene']);
  await page.selectOption('#script', 'medium');
  assert.deepEqual(await cardTitles(page), ['Ramp Scene']);
  await page.selectOption('#script', 'high');
  assert.equal(await page.locator('#grid .card').count(), 0);
  await page.selectOption('#script', 'unscripted');
  assert.deepEqual(await cardTitles(page), ['Plain Video']);
  await page.selectOption('#script', 'all');
  await page.selectOption('#sort', 'intensity');
  assert.match(page.url(), /sort=intensity&dir=desc/);
  // Read scripts first; unknown intensity last, by name.
  assert.deepEqual(await cardTitles(page), ['Ramp Scene', 'Broken Json', 'Plain Video']);
});

test('the detail view shows the heatmap and figures, or why there is none', async () => {
  await cardOf('Ramp Scene').click();
  await page.waitForSelector('dialog.detail canvas.heat-detail');
  const figures = await page.locator('dialog.detail .script-figures').textContent();
  assert.equal(figures, 'Intensity: Medium · 233 /s average · 400 /s fastest · 421 actions · 3:00 long');
  await shot(page, 'heatmap-detail');
  await page.keyboard.press('Escape');
  await cardOf('Broken Json').click();
  await waitUntil('the reason', async () => (await page.locator('dialog.detail .script-problem').count()) > 0);
  assert.equal((await page.locator('dialog.detail .script-problem').textContent())?.trim(), `No heatmap: ${SCRIPT_PROBLEMS['not-json']}`);
  assert.equal(await page.locator('dialog.detail canvas.heat-detail').count(), 0);
  await page.keyboard.press('Escape');
  assert.deepEqual(w.problems, []);
});
