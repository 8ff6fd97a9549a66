// "Play in VR" end to end: the real server (PLAY_MODE=proxy, so the video is same-origin and its
// pixels readable by WebGL) on the fake RD serving colour-coded patterns made by ffmpeg, in the
// system Chromium with software WebGL (SwiftShader). The pixel at the canvas centre must have
// the colour of the region the projection puts there (red box = the left eye's centre, green =
// the same eye off-centre, blue = the other eye), dragging must turn the view, a flat film must
// not be offered VR, the viewer's code must load only on the button, and the immersive path runs
// against a hand-written navigator.xr stub that records the session request and the eye views.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { postJson, startHarness, type Harness } from './helpers/harness.ts';
import { ensureVrPatterns, VR_COLOURS } from './fake-rd/samples.ts';
import { ensureBundle, launch, openPage, SOFTWARE_WEBGL_ARGS, waitForLibrary, waitUntil, type LibraryJson, type Watched } from './web.support.ts';

const MB = 1024 ** 2;
let h: Harness;
let browser: Browser;
let lib: LibraryJson;

before(async () => {
  ensureBundle();
  const p = await ensureVrPatterns();
  const one = (filename: string, source: string) => ({ filename, files: [{ path: `/${filename}`, source, bytes: 40 * MB }] });
  h = await startHarness({
    media: false,
    env: { PLAY_MODE: 'proxy' },
    torrents: [
      one('Pattern.One.180.LR.mp4', p.sbs.path),
      one('Pattern.Two.360.TB.mp4', p.tb.path),
      one('Pattern.Three.360.mp4', p.mono.path),
      one('Pattern.Four.MKX200.LR.mp4', p.sbs.path),
      one('Pattern.Five.180.RL.mp4', p.sbs.path),
      one('Plain.Movie.2019.1080p.mp4', p.mono.path),
      one('Pattern.Six.2019.3D.HSBS.1080p.mp4', p.sbs.path),
    ],
  });
  lib = await waitForLibrary(h.url, 7);
  browser = await launch(SOFTWARE_WEBGL_ARGS);
});

after(async () => {
  await browser?.close();
  await h?.close();
});

const byTitle = (needle: string) => {
  const v = lib.videos.find((x) => x.title.includes(needle));
  assert.ok(v, `a video titled like ${needle}: ${lib.videos.map((x) => x.title).join(' | ')}`);
  return v;
};

type Rgb = [number, number, number];
type Region = 'box' | 'eye' | 'other' | 'black';

/** One screen pixel, read from a 1x1 PNG screenshot: a single pixel's filtered row is the pixel
 *  itself whatever the PNG filter (every predictor is 0 with no neighbours). */
async function pixel(page: Page, x: number, y: number): Promise<Rgb> {
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 }, scale: 'css' });
  const chunks: Buffer[] = [];
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o);
    const type = png.toString('ascii', o + 4, o + 8);
    if (type === 'IDAT') chunks.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  return [raw[1]!, raw[2]!, raw[3]!];
}

function region(c: Rgb): Region | null {
  const near = (want: readonly number[]) => c.every((v, i) => Math.abs(v - want[i]!) < 48);
  if (near(VR_COLOURS.box.rgb)) return 'box';
  if (near(VR_COLOURS.eye.rgb)) return 'eye';
  if (near(VR_COLOURS.other.rgb)) return 'other';
  if (c.every((v) => v < 24)) return 'black';
  return null;
}

const W = 800;
const H = 600;

async function waitRegion(page: Page, x: number, y: number, want: Region, what: string): Promise<void> {
  let last: Rgb = [0, 0, 0];
  await waitUntil(`${what}: ${want} at (${x}, ${y})`, async () => {
    last = await pixel(page, x, y);
    return region(last) === want;
  }, 60_000, 150).catch((err: Error) => {
    throw new Error(`${err.message}; last pixel rgb(${last.join(', ')}) = ${region(last)}`);
  });
}

async function openViewer(w: Watched, id: string): Promise<void> {
  await w.page.goto(`${h.url}/#/v/${id}`);
  await w.page.locator('dialog.detail[open] .d-vr').first().click();
  await w.page.waitForSelector('dialog.vr[open] canvas.vr-canvas');
  await w.page.waitForFunction(() => {
    const v = document.querySelector<HTMLVideoElement>('dialog.vr video');
    return !!v && v.readyState >= 2 && v.currentTime > 0;
  }, null, { timeout: 60_000 }); // SwiftShader on a loaded 2-core machine: generous, never waited out when working
}

/** Drags the canvas `deg` degrees of view to the right (80° vertical field over H pixels), in
 *  drags of at most 60° so each starts and ends inside the window. */
async function turn(page: Page, deg: number): Promise<void> {
  for (let left = deg; left > 0; left -= 60) {
    const px = (Math.min(60, left) / 80) * H;
    await page.mouse.move(W / 2 + px / 2, H / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(W / 2 + px / 2 - (px * i) / 10, H / 2);
    await page.mouse.up();
  }
}

// The box covers the middle half of the eye's picture: ±45° on 180° equirect, ±90° on 360°,
// ±50° on a 200° fisheye (equidistant). A turn past that edge lands on the green.
const CASES: ReadonlyArray<{ needle: string; what: string; centre: Region; turn: number; turned: Region }> = [
  { needle: 'Pattern One', what: '180° SBS', centre: 'box', turn: 60, turned: 'eye' },
  { needle: 'Pattern Two', what: '360° TB', centre: 'box', turn: 120, turned: 'eye' },
  { needle: 'Pattern Three', what: '360° mono', centre: 'box', turn: 120, turned: 'eye' },
  { needle: 'Pattern Four', what: 'fisheye MKX200 SBS', centre: 'box', turn: 60, turned: 'eye' },
  { needle: 'Pattern Five', what: '180° SBS with the eyes swapped (RL)', centre: 'other', turn: 60, turned: 'other' },
  // A 3D film on the virtual screen (2.6 m wide, 3 m away: ±23°): beside it there is nothing.
  { needle: 'Pattern Six', what: '3D film (HSBS) on a virtual screen', centre: 'box', turn: 60, turned: 'black' },
];

for (const c of CASES) {
  test(`inline viewer, ${c.what}: the centre pixel is the ${c.centre} region; dragging ${c.turn}° shows the ${c.turned} region`, async () => {
    const w = await openPage(browser, { width: W, height: H });
    try {
      await openViewer(w, byTitle(c.needle).id);
      await waitRegion(w.page, W / 2, H / 2, c.centre, `${c.what} ahead`);
      await turn(w.page, c.turn);
      await waitRegion(w.page, W / 2, H / 2, c.turned, `${c.what} turned ${c.turn}°`);
      assert.deepEqual(w.problems, []);
    } finally {
      await w.ctx.close();
    }
  });
}

test('180° SBS: turning past the 180° edge shows nothing (black), not the other eye', async () => {
  const w = await openPage(browser, { width: W, height: H });
  try {
    await openViewer(w, byTitle('Pattern One').id);
    await waitRegion(w.page, W / 2, H / 2, 'box', 'ahead');
    await turn(w.page, 120);
    await waitRegion(w.page, W / 2, H / 2, 'black', 'behind the 180° edge');
  } finally {
    await w.ctx.close();
  }
});

test('on a phone, Motion turns the view with the device: upright ahead shows the centre, turned 120° left the side', async () => {
  const w = await openPage(browser, { width: W, height: H, touch: true });
  try {
    await openViewer(w, byTitle('Pattern Three').id);
    const motion = w.page.locator('dialog.vr .vr-motion');
    // Chromium asks like iOS does (DeviceOrientationEvent.requestPermission): the person says yes.
    await w.ctx.grantPermissions(['accelerometer', 'gyroscope', 'magnetometer']);
    await motion.click();
    await waitUntil('motion on', async () => (await motion.getAttribute('aria-pressed')) === 'true');
    const orient = (alpha: number) =>
      w.page.evaluate((a) => window.dispatchEvent(new DeviceOrientationEvent('deviceorientation', { alpha: a, beta: 90, gamma: 0 })), alpha);
    await orient(30); // the first reading sets where the picture's centre is
    await waitRegion(w.page, W / 2, H / 2, 'box', 'phone upright, first reading');
    await orient(150); // 120° further counter-clockwise: looking left of the centre, past the box (±90°)
    await waitRegion(w.page, W / 2, H / 2, 'eye', 'phone turned 120° left');
    await orient(30);
    await waitRegion(w.page, W / 2, H / 2, 'box', 'phone back');
  } finally {
    await w.ctx.close();
  }
});

test('PLAY_MODE=redirect to a download server without CORS headers: the viewer falls back to ?via=server and draws', async () => {
  const p = await ensureVrPatterns();
  const r = await startHarness({ media: false, torrents: [{ filename: 'Redirected.180.LR.mp4', files: [{ path: '/Redirected.180.LR.mp4', source: p.sbs.path, bytes: 40 * MB }] }] });
  const w = await openPage(browser, { width: W, height: H });
  try {
    const [v] = (await waitForLibrary(r.url, 1)).videos;
    assert.ok(v);
    await w.page.goto(`${r.url}/#/v/${v.id}`);
    await w.page.locator('dialog.detail[open] .d-vr').click();
    await waitRegion(w.page, W / 2, H / 2, 'box', 'drawn after the fallback');
    // The route itself: a redirect by default, streamed with Range when asked via=server, nothing else accepted.
    const play = ((await (await fetch(`${r.url}/api/videos/${v.id}`)).json()) as { files: Array<{ playUrl: string }> }).files[0]!.playUrl;
    assert.equal((await fetch(`${r.url}${play}`, { redirect: 'manual' })).status, 302);
    const ranged = await fetch(`${r.url}${play}?via=server`, { headers: { range: 'bytes=0-99' } });
    assert.equal(ranged.status, 206);
    assert.equal((await ranged.arrayBuffer()).byteLength, 100);
    assert.equal((await fetch(`${r.url}${play}?via=elsewhere`, { redirect: 'manual' })).status, 400);
    const plays = w.requests.filter((u) => new URL(u).pathname.startsWith('/play/'));
    assert.ok(plays.some((u) => !u.includes('via=server')), `tried the redirect first: ${plays.join(' ')}`);
    assert.ok(plays.some((u) => u.includes('via=server')), `then through the server: ${plays.join(' ')}`);
  } finally {
    await w.ctx.close();
    await r.close();
  }
});

test('a flat film is not offered VR; the viewer code loads only when Play in VR is pressed', async () => {
  const w = await openPage(browser, { width: W, height: H });
  try {
    await w.page.goto(`${h.url}/#/v/${byTitle('Plain Movie').id}`);
    await w.page.waitForSelector('dialog.detail[open] .d-files');
    assert.equal(await w.page.locator('.d-files button[aria-label^="Play "]').count() > 0, true, 'the ordinary Play button is there');
    assert.equal(await w.page.locator('.d-vr').count(), 0, 'no Play in VR for a flat film');
    await w.page.goto(`${h.url}/#/v/${byTitle('Pattern One').id}`);
    await w.page.waitForSelector('dialog.detail[open] .d-vr');
    const chunk = (u: string) => /\/assets\/viewer-[A-Z0-9]+\.js/.test(u);
    assert.equal(w.requests.filter(chunk).length, 0, 'no viewer code before the press');
    await w.page.locator('.d-vr').first().click();
    await w.page.waitForSelector('dialog.vr[open]');
    assert.equal(w.requests.filter(chunk).length, 1, 'the viewer chunk is fetched on the press');
    assert.deepEqual(w.problems, [], 'no CSP violation or error loading the chunk');
  } finally {
    await w.ctx.close();
  }
});

test('playing in VR records open, position and close like a player: play count +1, resume point kept', async () => {
  const v = byTitle('Pattern Three');
  const before = (await (await fetch(`${h.url}/api/videos/${v.id}`)).json()) as { playCount: number };
  const w = await openPage(browser, { width: W, height: H });
  try {
    await openViewer(w, v.id);
    await w.page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('dialog.vr video')?.currentTime ?? 0) > 1.5, null, { timeout: 30_000 });
    await w.page.locator('dialog.vr .vr-close').click();
    const after = await waitUntil('the close event stored', async () => {
      const d = (await (await fetch(`${h.url}/api/videos/${v.id}`)).json()) as { playCount: number; resumeMs: number; lastPlayedAt: string | null };
      return d.playCount === before.playCount + 1 ? d : null;
    });
    assert.ok(after.resumeMs >= 1500, `resume point kept: ${after.resumeMs}`);
    assert.ok(after.lastPlayedAt);
  } finally {
    await w.ctx.close();
  }
});

/**
 * A hand-written WebXR double, as page script text (plain JS: the test's transpiler would add
 * helpers the page lacks): two eyes side by side on the page canvas (framebuffer null), an
 * identity head pose, a log of what the viewer asked for, and window.__xrSelect(x, y, z) firing
 * a trigger press whose pointing ray goes from the head along (x, y, z).
 */
const XR_STUB = `(() => {
  const log = [];
  const ident = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const pose = (m) => ({ matrix: new Float32Array(m), inverse: { matrix: new Float32Array(ident) }, position: { x: 0, y: 0, z: 0 } });
  const session = new EventTarget();
  let canvas = null;
  const proj = () => {
    const a = canvas ? canvas.width / 2 / canvas.height : 1;
    return new Float32Array([1 / a, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1.001, -1, 0, 0, -0.1, 0]);
  };
  const views = () => [
    { eye: 'left', projectionMatrix: proj(), transform: pose(ident) },
    { eye: 'right', projectionMatrix: proj(), transform: pose(ident) },
  ];
  const frame = {
    getViewerPose: () => ({ views: views(), transform: pose(ident) }),
    getPose: (space) => ({ transform: pose(space.ray) }),
  };
  session.renderState = {};
  session.updateRenderState = (s) => { session.renderState = { baseLayer: s.baseLayer }; };
  session.requestReferenceSpace = (type) => { log.push(['space', type]); return Promise.resolve({}); };
  session.requestAnimationFrame = (cb) => requestAnimationFrame((t) => cb(t, frame));
  session.end = () => { log.push(['end']); session.dispatchEvent(new Event('end')); return Promise.resolve(); };
  window.XRWebGLLayer = function (s, gl) {
    canvas = gl.canvas;
    this.framebuffer = null;
    this.getViewport = (view) => {
      log.push(['viewport', view.eye]);
      return { x: view.eye === 'left' ? 0 : canvas.width / 2, y: 0, width: canvas.width / 2, height: canvas.height };
    };
  };
  Object.defineProperty(navigator, 'xr', {
    configurable: true,
    value: {
      isSessionSupported: (mode) => Promise.resolve(mode === 'immersive-vr'),
      requestSession: (mode, init) => { log.push(['request', mode, init]); return Promise.resolve(session); },
    },
  });
  // Without a headset Chromium's own makeXRCompatible never settles; an XR device would resolve it.
  for (const C of [WebGLRenderingContext, WebGL2RenderingContext]) {
    C.prototype.makeXRCompatible = function () { log.push(['makeXRCompatible']); return Promise.resolve(); };
  }
  window.__xrLog = log;
  window.__xrSelect = (x, y, z) => {
    const n = Math.hypot(x, y, z);
    const ev = new Event('select');
    ev.frame = frame;
    ev.inputSource = { targetRaySpace: { ray: [1, 0, 0, 0, 0, 1, 0, 0, -x / n, -y / n, -z / n, 0, 0, 0, 0, 1] } };
    session.dispatchEvent(ev);
  };
})();`;

test('immersive VR (navigator.xr stub): immersive-vr requested, both eyes drawn with their own half, panel buttons work', async () => {
  const w = await openPage(browser, { width: W, height: H });
  try {
    await w.page.addInitScript({ content: XR_STUB });
    await openViewer(w, byTitle('Pattern One').id);
    const enter = w.page.locator('dialog.vr .vr-enter');
    await enter.waitFor({ state: 'visible' });
    await enter.click();
    const log = () => w.page.evaluate(() => (window as unknown as { __xrLog: unknown[] }).__xrLog);
    await waitUntil('both eyes drawn', async () => {
      const l = (await log()) as Array<[string, string]>;
      return l.some((e) => e[0] === 'viewport' && e[1] === 'left') && l.some((e) => e[0] === 'viewport' && e[1] === 'right');
    });
    const first = ((await log()) as unknown[][]).find((e) => e[0] === 'request');
    assert.deepEqual(first, ['request', 'immersive-vr', { optionalFeatures: ['local'] }], 'session requested as immersive-vr with the local space');
    assert.ok(((await log()) as unknown[][]).some((e) => e[0] === 'space' && e[1] === 'local'));
    // Left eye (left half of the canvas) sees the left picture's centre; the right eye the blue half.
    await waitRegion(w.page, W / 4, H / 2, 'box', 'left eye centre');
    await waitRegion(w.page, (3 * W) / 4, H / 2, 'other', 'right eye centre');
    // The panel: play/pause button (u 0.06), then exit (u 0.935), both at the panel's height.
    const at = (u: number) => [(u - 0.5) * 1.2, -0.55, -1.5] as const;
    const paused = () => w.page.evaluate(() => document.querySelector<HTMLVideoElement>('dialog.vr video')!.paused);
    const was = await paused(); // the 6 s clip may have ended by now: then the button plays it again
    await w.page.evaluate((r) => (window as unknown as { __xrSelect: (...a: number[]) => void }).__xrSelect(...r), at(0.06));
    await waitUntil('play/pause toggled from the panel', async () => (await paused()) !== was);
    await w.page.evaluate((r) => (window as unknown as { __xrSelect: (...a: number[]) => void }).__xrSelect(...r), at(0.935));
    await waitUntil('session ended from the panel', async () => ((await log()) as unknown[][]).some((e) => e[0] === 'end'));
    assert.equal(await w.page.locator('dialog.vr[open]').count(), 1, 'back to the inline view, not closed');
    assert.deepEqual(w.problems, []);
  } finally {
    await w.ctx.close();
  }
});

test('the playback endpoint refuses what no viewer sends: unknown events, negative times, unknown videos', async () => {
  const v = byTitle('Pattern Two');
  const post = (id: string, body: unknown) => postJson(`${h.url}/api/videos/${id}/playback`, body);
  assert.equal((await post(v.id, { event: 'rewind', timeMs: 0 })).status, 400);
  assert.equal((await post(v.id, { event: 'play', timeMs: -5 })).status, 400);
  assert.equal((await post('0000000000000000', { event: 'play', timeMs: 0 })).status, 404);
  const ok = await post(v.id, { event: 'pause', timeMs: 2500 });
  assert.equal(ok.status, 200);
  const d = (await (await fetch(`${h.url}/api/videos/${v.id}`)).json()) as { resumeMs: number };
  assert.equal(d.resumeMs, 2500, 'a pause stores the resume point, as a player pause does');
});
