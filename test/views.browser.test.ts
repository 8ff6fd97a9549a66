// Saved views (issue 17) in the real browser (system Chromium) on the real server and fake RD:
// saving the current view under a name, the chip that brings it back, refusals shown as the
// server words them, rename / reorder / delete in the Manage dialog, and — the point of the
// feature — the cards the browser shows are the videos, in order, of the HereSphere section and
// DeoVR scene the saved view became. Also laid out at phone width (390 px).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { viewsLibrary } from './helpers/views-library.ts';
import { cardTitles, ensureBundle, launch, openPage, shot, waitUntil, type Watched } from './web.support.ts';

let h: Harness;
let browser: Browser;
let w: Watched;
let page: Page;

type Lib = { videos: Array<{ id: string; title: string }> };
const lib = async (): Promise<Lib> => (await (await fetch(`${h.url}/api/library`)).json()) as Lib;

before(async () => {
  ensureBundle();
  h = await startHarness({ torrents: viewsLibrary() });
  const { videos } = await lib();
  for (const [re, rating] of [[/Alpha/, 4], [/beta/i, 5], [/Zeta/, 3], [/Video 9/, 2]] as const) {
    const v = videos.find((x) => re.test(x.title))!;
    await postJson(`${h.url}/api/videos/${v.id}`, { rating });
  }
  browser = await launch();
  w = await openPage(browser);
  page = w.page;
  await page.goto(`${h.url}/?sort=rating&dir=desc&kind=180`);
  await page.waitForSelector('#grid .card');
});

after(async () => {
  await w?.ctx.close();
  await browser?.close();
  await h?.close();
});

async function hsSection(name: string): Promise<string[]> {
  const r = await postJson(`${h.url}/heresphere`, {});
  const s = (r.json.library as Array<{ name: string; list: string[] }>).find((x) => x.name === name);
  assert.ok(s, `HereSphere has a section "${name}"`);
  const titles = new Map((await lib()).videos.map((v) => [v.id, v.title]));
  return s.list.map((u) => titles.get(u.slice(-16)) ?? u);
}

async function deoScene(name: string): Promise<string[]> {
  const json = (await (await fetch(`${h.url}/deovr`)).json()) as { scenes: Array<{ name: string; list: Array<{ title: string }> }> };
  const s = json.scenes.find((x) => x.name === name);
  assert.ok(s, `DeoVR has a scene "${name}"`);
  return s.list.map((x) => x.title);
}

const chips = (): Promise<string[]> => page.locator('.views-chip').allTextContents();

test('save the current view: a chip, and the same videos in the same order in HereSphere and DeoVR', async () => {
  const shown = await cardTitles(page);
  assert.deepEqual(shown, ['beta Garden', 'Alpha Beach', 'Zeta Beach Walk', 'Video 9', 'Epsilon Room', 'Video 10']);
  await page.click('.views-save');
  await page.fill('.views-name', 'Best 180');
  await page.press('.views-name', 'Enter');
  await waitUntil('the new chip', async () => (await chips()).includes('Best 180'));
  assert.equal(await page.getAttribute('.views-chip', 'aria-pressed'), 'true');
  assert.deepEqual(await hsSection('Best 180'), shown);
  assert.deepEqual(await deoScene('Best 180'), shown);
  await shot(page, 'saved-views-bar');

  // Another view, then the chip brings the saved one back (URL and cards).
  await page.selectOption('#sort', 'name');
  assert.equal(await page.getAttribute('.views-chip', 'aria-pressed'), 'false');
  await page.click('.views-chip');
  await waitUntil('the saved view back', async () => /sort=rating&dir=desc&kind=180/.test(page.url()));
  assert.deepEqual(await cardTitles(page), shown);
});

test('a refused name is explained and nothing is added', async () => {
  await page.click('.views-save');
  await page.fill('.views-name', '  best 180 ');
  await page.press('.views-name', 'Enter');
  await waitUntil('the refusal toast', async () => (await page.locator('.toast-error').allTextContents()).some((t) => /already exists/.test(t)));
  assert.deepEqual(await chips(), ['Best 180']);
  await page.press('.views-name', 'Escape');
  assert.equal(await page.locator('.views-form').isHidden(), true);
});

test('Manage: rename, reorder and delete reach the players; the page works at 390 px', async () => {
  // A second view: names, descending.
  await page.goto(`${h.url}/?sort=name&dir=desc`);
  await page.waitForSelector('.views-chip');
  await page.click('.views-save');
  await page.fill('.views-name', 'Z to A');
  await page.press('.views-name', 'Enter');
  await waitUntil('two chips', async () => (await chips()).length === 2);

  await page.click('.views-manage');
  const rename = page.locator('.views-rename').first();
  await rename.fill('Top rated 180');
  await rename.press('Tab'); // change event
  await waitUntil('renamed chip', async () => (await chips())[0] === 'Top rated 180');
  await page.locator('li[data-view] button[data-act="down"]').first().click();
  await waitUntil('reordered chips', async () => (await chips()).join('|') === 'Z to A|Top rated 180');
  const hsNames = (await postJson(`${h.url}/heresphere`, {})).json.library.map((s: { name: string }) => s.name);
  assert.deepEqual(hsNames.slice(-2), ['Z to A', 'Top rated 180']);

  const del = page.locator('li[data-view] .views-delete').first();
  await del.click();
  assert.equal(await del.textContent(), 'Delete: sure?');
  await del.click();
  await waitUntil('one chip left', async () => (await chips()).join('|') === 'Top rated 180');
  await page.keyboard.press('Escape');
  assert.deepEqual((await deovrNames()).slice(-1), ['Top rated 180']);
  assert.ok(!(await deovrNames()).includes('Z to A'));

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 390 px (${overflow} px too wide)`);
  await shot(page, 'saved-views-phone');
  // The duplicate name of the test above is refused with a 409 on purpose; nothing else may go wrong.
  assert.deepEqual(w.problems.filter((p) => !/status of 409 .*\/api\/views\)$/.test(p)), []);
});

async function deovrNames(): Promise<string[]> {
  const json = (await (await fetch(`${h.url}/deovr`)).json()) as { scenes: Array<{ name: string }> };
  return json.scenes.map((s) => s.name);
}
