// The file's own word on its picture (issue 14 item 1): real clips made with ffmpeg carrying
// Matroska StereoMode, an MP4 st3d box (remuxed with -strict unofficial) and MP4 sv3d boxes
// (test/helpers/spatial-mp4.ts, as VR180 cameras write them). ffprobe's side data is read into the
// probe, and the product shows each clip as its metadata says, in HereSphere and DeoVR, even where
// the name says otherwise.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from './fake-rd/samples.ts';
import { bin, mediaFixture, waitFor } from './media.helpers.ts';
import { addSphericalBoxes } from './helpers/spatial-mp4.ts';
import { postJson, startHarness } from './helpers/harness.ts';
import { parseProbe, probeArgs } from '../src/media/ffprobe.ts';
import { guessProjection } from '../src/library/projection.ts';
import { refineByProbe } from '../src/library/projection-sources.ts';
import type { SpatialMeta } from '../src/library/model.ts';

const DIR = join(SAMPLES_DIR, 'spatial-v1');

function ffmpeg(args: string[]): void {
  const r = spawnSync(bin('ffmpeg'), ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
}

const SRC = ['-f', 'lavfi', '-i', 'testsrc=size=256x128:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p'];

/** Each clip: how it is made, and what the product must show. */
const CLIPS = {
  // Matroska StereoMode (mkvmerge --stereo-mode; ffmpeg -metadata:s:v stereo_mode).
  mkvTb: { name: 'Scene_180_LR.mkv', make: (out: string) => ffmpeg([...SRC, '-metadata:s:v', 'stereo_mode=top_bottom', out]),
    spatial: { stereo: 'tb' }, label: '180° TB' },
  mkvRl: { name: 'Movie.2010.1080p.BluRay.mkv', make: (out: string) => ffmpeg([...SRC, '-metadata:s:v', 'stereo_mode=right_left', out]),
    spatial: { stereo: 'sbs', eyeSwapped: true }, label: 'Flat 3D SBS (RL)' },
  // MP4 st3d, written by ffmpeg's mov muxer from the stream's stereo side data.
  st3d: { name: 'clip_0001.mp4', make: (out: string) => {
    const mkv = `${out}.src.mkv`;
    ffmpeg([...SRC, '-metadata:s:v', 'stereo_mode=left_right', mkv]);
    ffmpeg(['-i', mkv, '-c', 'copy', '-strict', 'unofficial', out]);
  }, spatial: { stereo: 'sbs' }, label: 'Flat 3D SBS' },
  // sv3d VR180: equirectangular with a quarter cut off left and right, st3d left-right.
  vr180: { name: 'Scene_360_TB.mp4', make: (out: string) => {
    ffmpeg([...SRC, out]);
    addSphericalBoxes(out, { stereo: 2, equi: { top: 0, bottom: 0, left: 0.25, right: 0.25 } });
  }, spatial: { stereo: 'sbs', family: '180', fov: 180 }, label: '180° SBS' },
  // sv3d full sphere, no st3d: a mono 360° video.
  mono360: { name: 'clip_0002.mp4', make: (out: string) => {
    ffmpeg([...SRC, out]);
    addSphericalBoxes(out, { equi: { top: 0, bottom: 0, left: 0, right: 0 } });
  }, spatial: { family: '360', fov: 360 }, label: '360° Mono' },
  // sv3d cube map, stereo top-bottom.
  cube: { name: 'clip_0003.mp4', make: (out: string) => {
    ffmpeg([...SRC, out]);
    addSphericalBoxes(out, { stereo: 1, cubemap: true });
  }, spatial: { stereo: 'tb', family: 'cubemap', fov: 360 }, label: 'Cubemap 360° TB' },
} satisfies Record<string, { name: string; make: (out: string) => void; spatial: SpatialMeta; label: string }>;

const files: Record<string, string> = {};

before(() => {
  mkdirSync(DIR, { recursive: true });
  for (const [key, c] of Object.entries(CLIPS)) {
    const file = join(DIR, `${key}${c.name.slice(c.name.lastIndexOf('.'))}`);
    if (!existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp${c.name.slice(c.name.lastIndexOf('.'))}`;
      c.make(tmp);
      renameSync(tmp, file);
    }
    files[key] = file;
  }
});

function probe(file: string) {
  const r = spawnSync(bin('ffprobe'), probeArgs(file, []), { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseProbe(r.stdout);
}

test('ffprobe side data and Matroska StereoMode read into the probe', () => {
  for (const [key, c] of Object.entries(CLIPS)) assert.deepEqual(probe(files[key]!).spatial, c.spatial, key);
});

test('a plain clip has no spatial metadata', () => {
  const plain = join(DIR, 'plain.mp4');
  if (!existsSync(plain)) ffmpeg([...SRC, plain]);
  assert.equal(probe(plain).spatial, null);
  const g = guessProjection(['Scene_180_LR.mp4']);
  assert.equal(refineByProbe(g, probe(plain)), g, 'no metadata: the name stands');
});

test('file metadata beats the name', () => {
  for (const [key, c] of Object.entries(CLIPS)) {
    const g = refineByProbe(guessProjection([c.name]), probe(files[key]!));
    assert.equal(g.label, c.label, key);
    assert.equal(g.source, 'metadata', key);
  }
});

test('end to end: after its probe each clip shows as its metadata says, in HereSphere and DeoVR', { timeout: 120_000 }, async (t) => {
  const entries = Object.entries(CLIPS);
  const scratch = join(DIR, `e2e-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const torrents = entries.map(([key, c]) => {
    const source = join(scratch, c.name.replace(/\//g, '_') + key);
    copyFileSync(files[key]!, source);
    return { filename: c.name, files: [{ path: `/${c.name}`, source }] };
  });
  const h = await startHarness({ torrents });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const byName = new Map(h.parts.catalog.list().map((v) => [v.videos[0]?.name ?? '', v] as const));
  for (const [key, c] of entries) {
    const v = byName.get(c.name);
    assert.ok(v, key);
    await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: true });
  }
  await waitFor(() => entries.every(([, c]) => h.parts.catalog.get(byName.get(c.name)!.id)?.projection.source === 'metadata'), 'every probe', 90_000);
  const deoScreen = { '180° TB': ['dome', 'tb'], 'Flat 3D SBS (RL)': ['flat', 'sbs'], 'Flat 3D SBS': ['flat', 'sbs'], '180° SBS': ['dome', 'sbs'], '360° Mono': ['sphere', 'off'], 'Cubemap 360° TB': ['flat', 'tb'] };
  for (const [key, c] of entries) {
    const v = h.parts.catalog.get(byName.get(c.name)!.id)!;
    assert.equal(v.projection.label, c.label, key);
    const hs = await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false });
    assert.equal(hs.json.stereo, v.projection.stereo, key);
    assert.equal(hs.json.projection, v.projection.projection, key);
    assert.equal(hs.json.fov, v.projection.fov, key);
    assert.equal(hs.json.isEyeSwapped, v.projection.eyeSwapped, key);
    const deo = (await (await fetch(`${h.url}/deovr/${v.id}`)).json()) as { screenType: string; stereoMode: string };
    assert.deepEqual([deo.screenType, deo.stereoMode], deoScreen[c.label as keyof typeof deoScreen], key);
  }
});

test('a probe stored before side data was read is asked again once, and keeps its picture verdict', async (t) => {
  const sample = { name: CLIPS.mkvTb.name, path: files.mkvTb!, width: 256, height: 128, durationMs: 1000, stereo: 'sbs' as const };
  const fx = await mediaFixture(t, { files: { clip: sample }, start: false });
  const target = fx.targets.clip!;
  const picture = { stereo: 'tb' as const, shape: 'flat' as const };
  fx.facts.putProbe(target, { durationMs: 1000, width: 256, height: 128, codec: 'h264', fps: 10, picture });
  await fx.pipeline.start();
  assert.equal(fx.pipeline.peek('probe', target).state, 'pending', 'an old probe without side data is not final');
  assert.equal((await fx.pipeline.ensure('probe', target, 'now')).state, 'ready');
  const p = fx.facts.getProbe(target)!;
  assert.deepEqual(p.spatial, { stereo: 'tb' });
  assert.deepEqual(p.picture, picture);
  assert.equal(fx.pipeline.peek('probe', target).state, 'ready');
  assert.equal(fx.resolves.length, 1, 'asked once');
});
