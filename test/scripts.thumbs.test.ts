// Heatmap thumbnails for the players (issue 17, THUMB_HEATMAP): real server, fake RD, real sample
// video and real ffmpeg. With the setting on, HereSphere and DeoVR are given /thumb/heat/<id>.jpg
// for a video whose funscript was read; that image is the plain thumbnail with the heatmap along
// its bottom edge (pixels checked against the hand-computed colours); until it exists it redirects
// to the plain thumbnail, which stays available. Off by default.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import { funscriptFile } from './fake-rd/funscripts.ts';
import { bin } from './media.helpers.ts';
import { loadConfig } from '../src/config.ts';

let h: Harness;
let tmp: string;
const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();
const SLOW = [33, 140, 71];
const MEDIUM = [181, 190, 11];
const FAST = [189, 13, 83];

before(async () => {
  const samples = await ensureSamples();
  tmp = mkdtempSync(join(tmpdir(), 'heat-thumb-'));
  h = await startHarness({
    env: { THUMB_HEATMAP: 'true' },
    torrents: [
      {
        filename: 'Ramp.Scene.180.LR',
        added: ago(1),
        files: [
          { path: '/Ramp.Scene.180.LR/Ramp.Scene.180.LR.mp4', source: samples.sbs180.path },
          { path: '/Ramp.Scene.180.LR/Ramp.Scene.180.LR.funscript', source: funscriptFile('ramp') },
        ],
      },
      { filename: 'Plain.Video.180.LR.mp4', added: ago(2), files: [{ path: '/Plain.Video.180.LR.mp4', source: samples.sbs180.path }] },
    ],
  });
});
after(async () => {
  await h?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Decoded RGB pixels of a JPEG. */
function pixels(jpeg: Buffer): { width: number; height: number; at(x: number, y: number): number[] } {
  const file = join(tmp, `${Math.random().toString(36).slice(2)}.jpg`);
  writeFileSync(file, jpeg);
  const probe = spawnSync(bin('ffprobe'), ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const [width, height] = probe.stdout.trim().split(',').map(Number) as [number, number];
  const raw = spawnSync(bin('ffmpeg'), ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 * 1024 * 1024 }).stdout;
  return { width, height, at: (x, y) => [...raw.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)] };
}

const near = (a: number[], b: number[], tol = 24) => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

test('off by default', () => {
  assert.equal(loadConfig({}, tmp).thumbHeatmap, false);
  assert.equal(loadConfig({ THUMB_HEATMAP: "true" }, tmp).thumbHeatmap, true);
});

test('players get the heatmap thumbnail of a scripted video: the plain thumbnail with the strip at the bottom', async () => {
  const lib = (await (await fetch(`${h.url}/api/library`)).json()) as { videos: Array<{ id: string; title: string }> };
  const ramp = lib.videos.find((v) => /Ramp/.test(v.title))!;
  const plainVideo = lib.videos.find((v) => /Plain/.test(v.title))!;
  for (const v of lib.videos) await fetch(`${h.url}/api/videos/${v.id}`);
  await h.parts.scripts.whenIdle();

  const hs = await postJson(`${h.url}/heresphere/${ramp.id}`, { needsMediaSource: false });
  assert.match(hs.json.thumbnailImage, new RegExp(`/thumb/heat/${ramp.id}\\.jpg$`));
  const deo = await (await fetch(`${h.url}/deovr/${ramp.id}`)).json();
  assert.match(deo.thumbnailUrl, new RegExp(`/thumb/heat/${ramp.id}\\.jpg$`));
  const scenes = (await (await fetch(`${h.url}/deovr`)).json()) as { scenes: Array<{ list: Array<{ title: string; thumbnailUrl: string }> }> };
  const items = scenes.scenes.flatMap((s) => s.list);
  assert.ok(items.some((i) => /Ramp/.test(i.title) && i.thumbnailUrl.includes('/thumb/heat/')));
  assert.ok(items.some((i) => /Plain/.test(i.title) && i.thumbnailUrl.endsWith(`/thumb/${plainVideo.id}.jpg`)));
  const hsPlain = await postJson(`${h.url}/heresphere/${plainVideo.id}`, { needsMediaSource: false });
  assert.match(hsPlain.json.thumbnailImage, new RegExp(`/thumb/${plainVideo.id}\\.jpg$`));

  // The plain thumbnail first (ffmpeg makes it), then the composite.
  const target = h.parts.targets.of(h.parts.catalog.get(ramp.id)!)!;
  assert.equal((await h.parts.media.ensure('thumb', target, 'now')).state, 'ready');
  const first = await fetch(`${h.url}/thumb/heat/${ramp.id}.jpg`, { redirect: 'manual' });
  assert.equal(first.status, 307, 'the plain thumbnail until the composite is made');
  assert.match(first.headers.get('location') ?? '', new RegExp(`/thumb/${ramp.id}\\.jpg$`));
  await h.parts.heatThumbs.whenIdle();
  const res = await fetch(`${h.url}/thumb/heat/${ramp.id}.jpg`, { redirect: 'manual' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/jpeg');
  const heat = pixels(Buffer.from(await res.arrayBuffer()));
  const plain = pixels(Buffer.from(await (await fetch(`${h.url}/thumb/${ramp.id}.jpg`)).arrayBuffer()));
  assert.deepEqual([heat.width, heat.height], [plain.width, plain.height]);
  const y = heat.height - 2; // inside the strip (at least 4 px tall)
  const got = [1 / 6, 1 / 2, 5 / 6].map((f) => heat.at(Math.floor(heat.width * f), y));
  assert.ok(near(got[0]!, SLOW) && near(got[1]!, MEDIUM) && near(got[2]!, FAST), `strip colours ${JSON.stringify(got)}`);
  // Above the strip the picture is the plain thumbnail's.
  const mid = Math.floor(heat.height / 2);
  assert.ok(near(heat.at(10, mid), plain.at(10, mid)) && near(heat.at(heat.width - 10, mid), plain.at(plain.width - 10, mid)));
});
