// The picture analysis (library/picture.ts) on generated frames, then on real short clips made with
// ffmpeg (hstack/vstack of one source for stereo pairs, masked circles for fisheye, a frame whose
// edges wrap for 360°, a flat clip), read through the thumbnail command's own gray output.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePicture, PICTURE_HEIGHT, PICTURE_WIDTH, stereoOfFrame, type GrayFrame } from '../src/library/picture.ts';
import { thumbArgs } from '../src/media/thumbnail.ts';
import { guessProjection } from '../src/library/projection.ts';
import { refineByPicture } from '../src/library/projection-sources.ts';
import { SAMPLES_DIR } from './fake-rd/samples.ts';
import { bin } from './media.helpers.ts';

const W = PICTURE_WIDTH;
const H = PICTURE_HEIGHT;

/** A deterministic "scene": smooth blobs and edges, not periodic, full contrast. */
function scene(x: number, y: number): number {
  const v = 128 + 50 * Math.sin(x / 7.3 + y / 11.1) + 40 * Math.cos((x * y) / 900 + x / 17) + ((x * 7 + y * 13) % 23) - 11;
  return Math.max(30, Math.min(250, Math.round(v)));
}

function frame(f: (x: number, y: number) => number): GrayFrame {
  const pixels = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) pixels[y * W + x] = f(x, y);
  return { width: W, height: H, pixels };
}

const flat = frame((x, y) => scene(x, y));
// One scene per eye, the right eye shifted by 2 px (parallax).
const sbs = frame((x, y) => (x < W / 2 ? scene(x, y) : scene(x - W / 2 + 2, y)));
const tb = frame((x, y) => (y < H / 2 ? scene(x, y * 2) : scene(x + 1, (y - H / 2) * 2)));
const circleSbs = frame((x, y) => {
  const ex = x < W / 2 ? x : x - W / 2;
  const d = Math.hypot((ex + 0.5 - W / 4) / (W / 4), (y + 0.5 - H / 2) / (H / 2));
  return d <= 0.98 ? scene(ex, y) : 4;
});
// Columns wrap: the value depends on the angle around the sphere, not on x itself.
const wrap = frame((x, y) => Math.round(128 + 60 * Math.sin((2 * Math.PI * x) / W) * Math.cos(y / 9) + 40 * Math.cos((6 * Math.PI * x) / W + y / 13)));
const black = frame(() => 8);

test('generated frames: pairs, circles, a wrapping frame, a flat one, a black one', () => {
  assert.equal(stereoOfFrame(sbs), 'sbs');
  assert.equal(stereoOfFrame(tb), 'tb');
  assert.equal(stereoOfFrame(flat), 'mono');
  assert.deepEqual(analyzePicture(sbs, 5760, 2880), { stereo: 'sbs', shape: '180' });
  assert.deepEqual(analyzePicture(sbs, 3840, 1080), { stereo: 'sbs', shape: 'flat' }, 'a 32:9 pair: two 16:9 film eyes');
  assert.deepEqual(analyzePicture(tb, 2880, 5760), { stereo: 'tb', shape: '180' });
  assert.deepEqual(analyzePicture(tb, 4096, 4096), { stereo: 'tb', shape: 'flat' }, 'TB with 2:1 eyes whose edges do not wrap');
  assert.deepEqual(analyzePicture(circleSbs, 5760, 2880), { stereo: 'sbs', shape: 'fisheye' });
  assert.deepEqual(analyzePicture(wrap, 3840, 1920), { stereo: 'mono', shape: '360' });
  assert.deepEqual(analyzePicture(flat, 3840, 1920), { stereo: 'mono', shape: 'flat' }, '2:1 but the edges do not continue');
  assert.deepEqual(analyzePicture(flat, 1920, 1080), { stereo: 'mono', shape: 'flat' });
  assert.equal(analyzePicture(black, 1920, 1080), null, 'a black frame says nothing');
  assert.equal(analyzePicture({ width: W, height: H, pixels: new Uint8Array(10) }, 1920, 1080), null, 'short data');
});

test('patterns that do not change along an axis (vertical bars like ffmpeg testsrc) are no stereo pair', () => {
  const bars = frame((x) => [40, 90, 140, 200, 240, 170, 110, 60][Math.floor(x / 16)]!);
  assert.equal(stereoOfFrame(bars), null, 'top and bottom alike only because nothing changes down the frame');
  assert.equal(analyzePicture(bars, 1920, 1080), null);
  const stripes = frame((_x, y) => [40, 90, 140, 200, 240, 170, 110, 60][Math.floor(y / 16)]!);
  assert.equal(stereoOfFrame(stripes), null);
});

test('a 2:1 flat frame with plain edges (pillarbox bars, a box on a plain ground) is not 360°', () => {
  const pillarbox = frame((x, y) => (x < 12 || x >= W - 12 ? 6 : scene(x, y)));
  assert.notEqual(analyzePicture(pillarbox, 2048, 1024)?.shape, '360');
  const box = frame((x, y) => (x >= W / 4 && x < (3 * W) / 4 && y >= H / 4 && y < (3 * H) / 4 ? 220 : 60));
  assert.notEqual(analyzePicture(box, 1024, 512)?.shape, '360');
});

test('letterboxed film is not fisheye; a lit corner breaks a circle', () => {
  const letterbox = frame((x, y) => (y < H * 0.14 || y >= H * 0.86 ? 5 : scene(x, y)));
  assert.deepEqual(analyzePicture(letterbox, 1920, 1080), { stereo: 'mono', shape: 'flat' });
  const lit = frame((x, y) => (x < 10 && y < 10 ? 200 : (circleSbs.pixels[y * W + x] as number)));
  assert.notEqual(analyzePicture(lit, 5760, 2880)?.shape, 'fisheye');
});

test('picture rules against names: unnamed decides, strong contradictions win, agreement keeps the name', () => {
  const none = guessProjection(['clip_0042.mp4']);
  assert.equal(refineByPicture(none, { stereo: 'sbs', shape: '180' }).label, '180° SBS');
  assert.equal(refineByPicture(none, { stereo: 'sbs', shape: '180' }).source, 'picture');
  assert.equal(refineByPicture(none, { stereo: 'mono', shape: '360' }).label, '360° Mono');
  assert.equal(refineByPicture(none, { stereo: 'sbs', shape: 'fisheye' }).label, 'Fisheye 180° SBS');
  assert.equal(refineByPicture(none, { stereo: 'mono', shape: 'flat' }), none, 'nothing found: the frame size may still speak');
  const film3d = guessProjection(['Hugo.2011.3D.1080p.BluRay.x264.mkv']);
  assert.equal(refineByPicture(film3d, { stereo: 'mono', shape: 'flat' }).label, 'Flat', 'a 3D title over one picture is flat');
  const film = guessProjection(['Movie.2010.1080p.BluRay.x264.mkv']);
  assert.equal(refineByPicture(film, { stereo: 'sbs', shape: 'flat' }).label, 'Flat 3D SBS');
  const vr = guessProjection(['Scene_180_LR.mp4']);
  assert.equal(refineByPicture(vr, { stereo: 'tb', shape: '180' }).label, '180° TB');
  assert.equal(refineByPicture(vr, { stereo: 'sbs', shape: 'fisheye' }).label, 'Fisheye 180° SBS');
  assert.equal(refineByPicture(vr, { stereo: 'sbs', shape: '180' }), vr, 'agreement: the name keeps its word');
  const mkx = guessProjection(['Scene_MKX200.mp4']);
  assert.equal(refineByPicture(mkx, { stereo: 'sbs', shape: 'fisheye' }), mkx);
});

// --- real clips through ffmpeg and the thumbnail command's gray output ---

const DIR = join(SAMPLES_DIR, 'picture-v2');
const SRC = 'mandelbrot=size=640x640:rate=10';
const CIRCLE = "format=gray,geq=lum='if(lte(hypot(X-W/2,Y-H/2),W/2-4),lum(X,Y),0)'";
const CLIPS: Record<string, { filter: string; width: number; height: number; want: { stereo: string; shape: string } }> = {
  sbs: { filter: `[0]split[a][b];[b]crop=iw-8:ih:8:0,pad=iw+8:ih[b2];[a][b2]hstack[v]`, width: 1280, height: 640, want: { stereo: 'sbs', shape: '180' } },
  tb: { filter: `[0]split[a][b];[a][b]vstack[v]`, width: 640, height: 1280, want: { stereo: 'tb', shape: '180' } },
  fisheye: { filter: `[0]${CIRCLE},split[a][b];[a][b]hstack[v]`, width: 1280, height: 640, want: { stereo: 'sbs', shape: 'fisheye' } },
  wrap360: { filter: `[0]crop=320:320,scale=640:640,split[a][b];[b]hflip[m];[a][m]hstack[v]`, width: 1280, height: 640, want: { stereo: 'mono', shape: '360' } },
  flat: { filter: `[0]scale=1280:720[v]`, width: 1280, height: 720, want: { stereo: 'mono', shape: 'flat' } },
};
const files: Record<string, string> = {};

before(() => {
  mkdirSync(DIR, { recursive: true });
  for (const [key, c] of Object.entries(CLIPS)) {
    const file = join(DIR, `${key}.mp4`);
    if (!existsSync(file)) {
      const tmp = join(DIR, `${key}.${process.pid}.tmp.mp4`);
      const r = spawnSync(bin('ffmpeg'), ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', SRC, '-t', '1',
        '-filter_complex', c.filter, '-map', '[v]', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', tmp], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      renameSync(tmp, file);
    }
    files[key] = file;
  }
});

function grayOf(file: string): GrayFrame {
  const jpg = `${file}.${process.pid}.jpg`;
  const gray = `${file}.${process.pid}.gray`;
  try {
    const r = spawnSync(bin('ffmpeg'), thumbArgs({ input: file, net: [], durationMs: 1000, stereo: 'mono', out: jpg, pictureOut: gray }), { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return { width: W, height: H, pixels: readFileSync(gray) };
  } finally {
    rmSync(jpg, { force: true });
    rmSync(gray, { force: true });
  }
}

test('real clips: the thumbnail command writes the whole gray frame, and the verdict is right', () => {
  for (const [key, c] of Object.entries(CLIPS)) {
    const g = grayOf(files[key]!);
    assert.equal(g.pixels.length, W * H, key);
    assert.deepEqual(analyzePicture(g, c.width, c.height), c.want, key);
  }
});

test('end to end: clips without names or metadata show as their picture says once the thumbnail is made, in HereSphere and DeoVR', { timeout: 180_000 }, async (t) => {
  const { startHarness, postJson } = await import('./helpers/harness.ts');
  const { waitFor } = await import('./media.helpers.ts');
  const keys = Object.keys(CLIPS);
  const h = await startHarness({ torrents: keys.map((k, i) => ({ filename: `clip_000${i + 1}.mp4`, files: [{ path: `/clip_000${i + 1}.mp4`, source: files[k]! }] })) });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const byName = new Map(h.parts.catalog.list().map((v) => [v.videos[0]?.name ?? '', v.id] as const));
  const want: Record<string, [string, string, string]> = {
    sbs: ['180° SBS', 'dome', 'sbs'],
    tb: ['180° TB', 'dome', 'tb'],
    fisheye: ['Fisheye 180° SBS', 'fisheye', 'sbs'],
    wrap360: ['360° Mono', 'sphere', 'off'],
    flat: ['Flat', 'flat', 'off'],
  };
  const ids = keys.map((_, i) => byName.get(`clip_000${i + 1}.mp4`)!);
  for (const id of ids) assert.equal(h.parts.catalog.get(id)!.projection.label, 'Flat', 'before: no name, no metadata, small frames');
  await waitFor(async () => {
    for (const id of ids) await (await fetch(`${h.url}/thumb/${id}.jpg`)).arrayBuffer();
    return ids.every((id) => h.parts.catalog.get(id)!.videos[0]?.probe?.picture !== undefined);
  }, 'every picture verdict', 150_000);
  for (const [i, key] of keys.entries()) {
    const v = h.parts.catalog.get(ids[i]!)!;
    const [label, screenType, stereoMode] = want[key]!;
    assert.equal(v.projection.label, label, key);
    assert.equal(v.projection.source, key === 'flat' ? 'default' : 'picture', key);
    const hs = await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false });
    assert.equal(hs.json.stereo, v.projection.stereo, key);
    assert.equal(hs.json.projection, v.projection.projection, key);
    const deo = (await (await fetch(`${h.url}/deovr/${v.id}`)).json()) as { screenType: string; stereoMode: string };
    assert.deepEqual([deo.screenType, deo.stereoMode], [screenType, stereoMode], key);
  }
});
