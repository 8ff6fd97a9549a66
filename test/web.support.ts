// Shared by the browser tests of the web view: launching the system Chromium (never a
// downloaded one), opening pages that record every CSP violation, console error, page error
// and JS dialog (and logging each fetch() the page makes), reading the grid's cards in list
// order, saving screenshots, and the real-media library both browser files test against.
import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startHarness, type Harness } from './helpers/harness.ts';
import { edgeCaseFixtures, type FakeTorrentSpec } from './fake-rd/index.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import { waitFor } from './helpers/wait.ts';
import type { LibraryResponse } from '../src/contract/web-api.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = join(root, 'test-output', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string | null {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

/** Builds dist/web when it is missing (npm test builds it through scripts/ensure.mjs). */
export function ensureBundle(): void {
  if (existsSync(join(root, 'dist', 'web', 'app.js')) && existsSync(join(root, 'dist', 'web', 'index.html'))) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the web bundle failed');
}

/** WebGL on the CPU (SwiftShader through ANGLE) for the VR viewer's tests: no GPU needed. */
export const SOFTWARE_WEBGL_ARGS = [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

export async function launch(args: readonly string[] = CHROMIUM_ARGS): Promise<Browser> {
  const exe = chromiumPath();
  if (!exe) throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  // playwright-core gives every launch a fresh temporary profile (user-data dir)
  return chromium.launch({ executablePath: exe, args: [...args] });
}

export interface Watched {
  ctx: BrowserContext;
  page: Page;
  /** CSP violations, console errors, uncaught errors and alert/confirm dialogs, in words. */
  problems: string[];
  /** Every request URL the page made. */
  requests: string[];
  /** Every response the page got, in arrival order. */
  responses: Array<{ url: string; status: number }>;
}

/** One fetch() call of the page, logged synchronously in the page when it was made. */
export interface FetchRecord {
  url: string;
  method: string;
  /** 0 while in flight, -1 when it failed (aborted, network). */
  status: number;
}

/** The page's fetch() calls so far (see openPage); read in the page, so nothing is in transit. */
export function fetchLog(page: Page): Promise<FetchRecord[]> {
  return page.evaluate(() => (window as unknown as { __fetches: FetchRecord[] }).__fetches.map((f) => ({ ...f })));
}

/**
 * Console "Failed to load resource" lines that are part of the design, by URL: a preview that
 * is not made yet answers 503, and a thumbnail that cannot be made (no real media) 404s.
 */
// Previews are asked for readiness first (202 while being made), so a failed preview load is a problem.
const EXPECTED_FAILURES = [/\/thumb\//];

/** Poll intervals a test sets on the page (src/web/intervals.ts): the next poll comes in a
 *  fraction of a second instead of after the users' 3-4 s. */
export type PagePolls = Partial<Record<'changes' | 'sync' | 'thumbs', number>>;

/** Short polls for tests that only wait for the page's next look at the server. */
export const FAST_POLLS: PagePolls = { changes: 250, sync: 250, thumbs: 250 };

export async function openPage(browser: Browser, opts: { width?: number; height?: number; scale?: number; touch?: boolean; polls?: PagePolls } = {}): Promise<Watched> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 1000 },
    deviceScaleFactor: opts.scale ?? 1,
    // A phone or the headset's browser: touch input, so (pointer: coarse) and (hover: none) apply.
    ...(opts.touch ? { hasTouch: true, isMobile: true } : {}),
  });
  const page = await ctx.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  const responses: Watched['responses'] = [];
  if (opts.polls) {
    await page.addInitScript((polls) => {
      (window as unknown as { __debridspherePolls: PagePolls }).__debridspherePolls = polls;
    }, opts.polls);
  }
  await page.addInitScript(() => {
    // Test instrumentation only: a transparent wrapper that notes each fetch() as it is made.
    const log: Array<{ url: string; method: string; status: number }> = [];
    (window as unknown as { __fetches: typeof log }).__fetches = log;
    const real = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : null;
      const rec = { url: new URL(req ? req.url : String(input), location.href).href, method: (init?.method ?? req?.method ?? 'GET').toUpperCase(), status: 0 };
      log.push(rec);
      const p = real(input, init);
      p.then(
        (r) => (rec.status = r.status),
        () => (rec.status = -1),
      );
      return p;
    };
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location().url;
    if (/Failed to load resource/.test(m.text()) && EXPECTED_FAILURES.some((re) => re.test(where))) return;
    problems.push(`console error: ${m.text()} (${where})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`JS dialog opened: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status() }));
  page.on('response', (r) => {
    if (r.status() >= 500) {
      void r.text().then(
        (body) => problems.push(`server ${r.status()} for ${r.request().method()} ${r.url()}: ${body.slice(0, 300)}`),
        () => undefined,
      );
    }
  });
  return { ctx, page, problems, requests, responses };
}

/**
 * Titles of the window of cards in the DOM, in list order (the grid appends out of order).
 * Only the contiguous run is returned: a focused card is kept while off-screen, elsewhere.
 */
export async function cardTitles(page: Page): Promise<string[]> {
  return page.$$eval('#grid .card', (els) => {
    const cards = els
      .map((el) => ({ pos: Number(el.getAttribute('aria-posinset')), title: el.querySelector('.title')?.textContent ?? '' }))
      .sort((a, b) => a.pos - b.pos);
    const run: string[] = [];
    for (const c of cards) {
      if (run.length && c.pos !== cards[0]!.pos + run.length) break;
      run.push(c.title);
    }
    return run;
  });
}

export async function cardCount(page: Page): Promise<number> {
  return page.locator('#grid .card').count();
}

/** Saves a screenshot for review; `css` = one image pixel per CSS pixel (a 4K page at 2x would be 8K). */
export async function shot(page: Page, name: string, scale: 'css' | 'device' = 'device'): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), scale });
}

/** helpers/wait.ts's waitFor with the browser tests' argument order; a check that throws counts as "not yet". */
export async function waitUntil<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  return (await waitFor(fn, what, { timeoutMs, everyMs, retryErrors: true })) as T;
}

/** The browser's library answer, as the server's contract types it (not a hand-kept copy). */
export type LibraryJson = LibraryResponse;

export async function getLibrary(base: string): Promise<LibraryJson> {
  const res = await fetch(`${base}/api/library`);
  if (!res.ok) throw new Error(`/api/library answered ${res.status}`);
  return (await res.json()) as LibraryJson;
}

/** Waits until the server's first sync is over and `min` videos are listed. */
export function waitForLibrary(base: string, min: number, timeoutMs = 60_000): Promise<LibraryJson> {
  return waitUntil(`a synced library of ${min}+ videos`, async () => {
    const lib = await getLibrary(base);
    return !lib.status.syncing && lib.videos.length >= min ? lib : null;
  }, timeoutMs, 250);
}

type V = LibraryJson['videos'][number];
const KEYS: Record<string, (v: V) => number | null> = {
  added: (v) => Date.parse(v.added),
  size: (v) => v.bytes,
  duration: (v) => v.durationMs || null,
  rating: (v) => v.rating || null,
  played: (v) => (v.lastPlayedAt ? Date.parse(v.lastPlayedAt) : null),
};

/** What localeCompare(…, { numeric, sensitivity: 'base' }) does, made once (10,000 titles sort in ms, not seconds). */
const NAME_ORDER = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The documented order, written independently of src/web/state.ts: unknown values last,
 *  ties by name (numeric-aware, case- and accent-insensitive). */
export function expectedTitles(videos: V[], sort: string, dir: 'asc' | 'desc'): string[] {
  const byName = (a: V, b: V) => NAME_ORDER.compare(a.title, b.title);
  const sign = dir === 'asc' ? 1 : -1;
  const key = KEYS[sort];
  return [...videos]
    .sort((a, b) => {
      if (!key) return sign * byName(a, b);
      const ka = key(a);
      const kb = key(b);
      if ((ka === null) !== (kb === null)) return ka === null ? 1 : -1;
      if (ka !== null && kb !== null && ka !== kb) return sign * (ka - kb);
      return byName(a, b);
    })
    .map((v) => v.title);
}

const HOUR = 3_600_000;
const GB = 1024 ** 3;

export interface MediaSite {
  h: Harness;
  browser: Browser;
  w: Watched;
  page: Page;
  /** The library JSON exactly as the page received it on its first load. */
  firstSeen: LibraryJson;
  /** The first video whose title contains `needle` (case-insensitive); fails the test when none. */
  byTitle(needle: string): LibraryJson['videos'][number];
  card(id: string): Locator;
  close(): Promise<void>;
}

/** Titles (prefixes) of the videos with real sample media, one per projection kind and more. */
export const MEDIA_TITLES = ['Sunset', 'Alpine', 'City', 'Quiet', 'Zebra', 'Harbour'] as const;

/**
 * The real server on the fake RD with real sample media (ffmpeg makes thumbnails and previews)
 * plus the edge-case fixtures, including the hostile name; Chromium open on it.
 */
export async function startMediaSite(opts: { polls?: PagePolls } = {}): Promise<MediaSite> {
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
  const h = await startHarness({ torrents: [...media, ...edgeCaseFixtures({ now: now - 2 * HOUR })] });
  await waitForLibrary(h.url, 10);
  const browser = await launch();
  const w = await openPage(browser, { width: 1400, height: 1400, ...(opts.polls ? { polls: opts.polls } : {}) });
  const page = w.page;
  const first = page.waitForResponse((r) => r.url().endsWith('/api/library'));
  const nav = await page.goto(h.url + '/');
  if (nav?.status() !== 200) throw new Error(`GET / answered ${nav?.status()}`);
  const firstSeen = (await (await first).json()) as LibraryJson;
  await page.waitForSelector('#grid .card');
  return {
    h,
    browser,
    w,
    page,
    firstSeen,
    byTitle(needle) {
      const v = firstSeen.videos.find((x) => x.title.toLowerCase().includes(needle.toLowerCase()));
      if (!v) throw new Error(`no video titled like "${needle}" (titles: ${firstSeen.videos.map((x) => x.title).join(' | ')})`);
      return v;
    },
    card: (id) => page.locator(`#grid .card[data-id="${id}"]`),
    async close() {
      await browser.close();
      await h.close();
    },
  };
}
