// News that crosses a person's change (the system Chromium on the real server): the open page asks
// the server what changed every few seconds, and an answer made before the person's rating landed
// may arrive after it. It must not put the old rating back on screen: a second click on the same
// star would then set it instead of clearing it (web.media saw exactly that once in CI). Here the
// crossing is made on purpose: the page's next /api/changes is fetched from the server (which
// then holds HereSphere's rating 3), held while the person rates 5 and the save is answered, then
// delivered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { ensureBundle, launch, openPage, waitUntil, type Watched } from './web.support.ts';

let h: Harness;
let browser: Browser;
let w: Watched;

before(async () => {
  ensureBundle();
  h = await startHarness({
    torrents: [{ filename: 'Crossing.Scene.180.LR.mp4', files: [{ path: '/Crossing.Scene.180.LR.mp4', bytes: 1_000_000 }] }],
    media: false,
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0', MEDIA_BACKGROUND_PROBE: 'false' },
  });
  browser = await launch();
});
after(async () => {
  await w?.ctx.close();
  await browser?.close();
  await h?.close();
});

test('an /api/changes answer made before a person’s rating landed does not put the old rating back', async () => {
  // Polls every 200 ms; the route below decides what each one hears.
  w = await openPage(browser, { polls: { changes: 200 } });
  await w.page.route('**/thumb/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg"/>' }));
  await w.page.goto(`${h.url}/`);
  await w.page.waitForSelector('#grid .card');
  const v = h.parts.catalog.list()[0]!;
  const stars = () => w.page.locator(`#grid .card[data-id="${v.id}"] .star.on`).count();

  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let fetched!: () => void;
  const answered = new Promise<void>((r) => (fetched = r));
  let seen = 0;
  let later!: () => void;
  const laterHeld = new Promise<void>((r) => (later = r));
  await w.page.route('**/api/changes*', async (route) => {
    if (++seen === 1) {
      const response = await route.fetch(); // the server's news now: rating 3, not yet 5
      fetched();
      await held;
      return route.fulfill({ response });
    }
    // The polls after it wait until the end: nothing else may correct the screen meanwhile.
    await laterHeld;
    return route.continue();
  });
  assert.equal((await postJson(`${h.url}/heresphere/${v.id}`, { rating: 3 })).status, 200, 'HereSphere rates it 3');
  await answered;

  const saved = w.page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/videos\//.test(r.url()));
  await w.page.locator(`#grid .card[data-id="${v.id}"] .star[data-value="5"]`).click();
  assert.equal((await saved).status(), 200);
  assert.equal(await stars(), 5);

  release();
  // The page asks again only once it has applied the held answer.
  await waitUntil('the held news applied (the next poll has started)', async () => (seen >= 2 ? true : null));
  assert.equal(await stars(), 5, 'the person’s rating stays on screen');
  assert.equal(h.parts.catalog.get(v.id)!.user.rating, 5, 'and it is what the server has');
  later();
});
