// The browser view with 10,000 videos (system Chromium through playwright-core): time from
// navigation start to the first card rendered, measured inside the page (a MutationObserver
// notes performance.now() when the first `.card` appears), cold (new browser context, empty
// cache) and warm (reload: the library answers 304); then the most `.card` elements in the DOM
// while scrolling to the end. Targets: first cards within 1 s; at most about 200 cards.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { check, progress, type BenchResult, type Cell, type Check } from './lib/report.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { ROOT } from './lib/server.ts';
import { startLibraryServer } from './lib/serve.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';

const N = 10_000;
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const VIEWPORT = { width: 1400, height: 1000 };

function ensureBundle(): void {
  if (existsSync(join(ROOT, 'dist', 'web', 'app.js'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the web bundle failed');
}

/** Installed before any page script: notes when the first card shows up. */
function watchFirstCard(): void {
  const w = window as unknown as { __firstCard?: number };
  new MutationObserver((_m, obs) => {
    if (document.querySelector('.card')) {
      w.__firstCard = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

async function firstCard(page: Page, load: () => Promise<unknown>): Promise<number> {
  await load();
  await page.waitForSelector('.card', { timeout: 60_000 });
  return page.evaluate(() => (window as unknown as { __firstCard: number }).__firstCard);
}

async function maxCards(page: Page, stepsWanted: number): Promise<{ max: number; steps: number }> {
  let max = 0;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = Math.max(VIEWPORT.height, Math.round(height / stepsWanted));
  let steps = 0;
  for (let y = 0; ; y += step) {
    await page.evaluate((top) => window.scrollTo(0, top), Math.min(y, height));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    max = Math.max(max, await page.locator('.card').count());
    steps++;
    if (y >= height) break;
  }
  return { max, steps };
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  ensureBundle();
  const s = await startLibraryServer(N, { latencyMs: opts.latencyMs });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const runs = opts.quick ? 2 : 5;
    const cold: number[] = [];
    const warm: number[] = [];
    let dom = { max: 0, steps: 0 };
    for (let i = 0; i < runs; i++) {
      progress(`browser run ${i + 1}/${runs}`);
      const ctx = await browser.newContext({ viewport: VIEWPORT });
      const page = await ctx.newPage();
      await page.addInitScript(watchFirstCard);
      cold.push(await firstCard(page, () => page.goto(s.url + '/')));
      warm.push(await firstCard(page, () => page.reload()));
      if (i === 0) dom = await maxCards(page, opts.quick ? 30 : 80);
      await ctx.close();
    }
    const c = summarize(cold);
    const w = summarize(warm);
    const rows: Array<Record<string, Cell>> = [
      { measure: 'first card, cold (new context)', median: fmtMs(c.median), p95: fmtMs(c.p95), runs },
      { measure: 'first card, warm (reload)', median: fmtMs(w.median), p95: fmtMs(w.p95), runs },
      { measure: 'most .card elements in the DOM while scrolling to the end', median: String(dom.max), p95: '', runs: `${dom.steps} scroll steps` },
    ];
    const checks: Check[] = [
      check(`browser, ${fmtN(N)} videos: first cards (cold, median)`, '≤ 1 s', fmtMs(c.median), c.median <= 1000),
      check(`browser, ${fmtN(N)} videos: cards in the DOM`, '≤ ~200', String(dom.max), dom.max <= 220),
    ];
    return [
      {
        name: 'browser',
        title: `Browser view with ${fmtN(N)} videos (Chromium headless, ${VIEWPORT.width}×${VIEWPORT.height})`,
        columns: ['measure', 'median', 'p95', 'runs'],
        rows,
        checks,
        notes: ['Times are performance.now() in the page when the first `.card` element was added, i.e. from navigation start: HTML, bundle, /api/library (gzipped JSON of all videos) and the first render. Thumbnails are placeholders (not generated).'],
        data: { cold: c, warm: w, dom },
      },
    ];
  } finally {
    await browser?.close();
    await s.close();
  }
}
