// The user's word over every guess (issue 14 items 3-4): an override set through the browser API is
// stored as user data, followed at once by HereSphere (video object, scan data, tags), DeoVR and the
// browser JSON, survives a restart, and "back to automatic" restores the guess. At the library level
// it beats every automatic source (name, file metadata, picture, frame size).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postJson, startHarness } from './helpers/harness.ts';
import { guessProjection } from '../src/library/projection.ts';
import { applyOverride, cleanOverride, refineByProbe } from '../src/library/projection-sources.ts';
import type { MediaProbe } from '../src/library/model.ts';

async function put(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

test('the override beats name, file metadata, picture and frame size, field by field', () => {
  const probe = (extra: Partial<MediaProbe>): MediaProbe => ({ durationMs: 1000, width: 5760, height: 2880, codec: 'hevc', fps: 30, ...extra });
  const autos = [
    guessProjection(['Scene_180_LR.mp4']),
    refineByProbe(guessProjection(['Scene_180_LR.mp4']), probe({ spatial: { stereo: 'tb' } })),
    refineByProbe(guessProjection(['clip.mp4']), probe({ picture: { stereo: 'sbs', shape: 'fisheye' } })),
    refineByProbe(guessProjection(['clip.mp4']), probe({})),
  ];
  assert.deepEqual(autos.map((a) => a.source), ['name', 'metadata', 'picture', 'frame']);
  for (const auto of autos) {
    const g = applyOverride(auto, { projection: 'equirectangular360', stereo: 'tb' });
    assert.equal(g.label, '360° TB', auto.source);
    assert.equal(g.source, 'user');
    assert.equal(applyOverride(auto, null), auto, 'no override: the automatic guess as it is');
  }
  const name = autos[0]!;
  assert.equal(applyOverride(name, { eyeSwapped: true }).label, '180° SBS (RL)', 'one field: the rest stays');
  assert.equal(applyOverride(name, { lens: 'MKX200', projection: 'fisheye' }).label, 'Fisheye 200° SBS', 'a lens brings its FOV');
  assert.equal(applyOverride(name, { projection: 'fisheye', fov: 190 }).fov, 190);
  assert.equal(applyOverride(name, { projection: 'perspective' }).label, 'Flat', 'flat from VR: mono unless said');
  assert.equal(applyOverride(name, { projection: 'perspective', stereo: 'sbs' }).label, 'Flat 3D SBS');
  assert.equal(cleanOverride({ fov: 1000, stereo: 'x', lens: 'Fish', extra: 1 }), null, 'junk leaves nothing');
  assert.deepEqual(cleanOverride({ fov: 200, stereo: 'tb', junk: true }), { fov: 200, stereo: 'tb' });
});

test('end to end: set from the browser API, followed by HereSphere, DeoVR and the browser; survives a restart; back to automatic', { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ media: false, torrents: [{ filename: 'Studio.Scene.Title.180.LR.mp4', files: [{ path: '/Studio.Scene.Title.180.LR.mp4', bytes: 5_000_000 }] }] });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const [video] = h.parts.catalog.list();
  assert.ok(video);
  const id = video.id;
  const scanEntry = async () => ((await postJson(`${h.url}/heresphere/scan`, {})).json.scanData as Array<{ link: string; tags: Array<{ name: string }> }>).find((e) => e.link.endsWith(id))!;
  const tagNames = async () => (await scanEntry()).tags.map((x) => x.name);

  // Before: the name decides, and says so.
  const before = await (await fetch(`${h.url}/api/videos/${id}`)).json();
  assert.equal(before.projection.label, '180° SBS');
  assert.equal(before.projection.sourceLabel, 'File name');
  assert.equal(before.projection.override, null);
  assert.ok((await tagNames()).includes('Feature:Projection from: File name'), 'scan cached with the name source');

  // Refused input changes nothing.
  assert.equal((await put(`${h.url}/api/videos/${id}/projection`, { fov: 1000 })).status, 400);
  assert.equal((await put(`${h.url}/api/videos/${id}/projection`, {})).status, 400);
  assert.equal((await put(`${h.url}/api/videos/0000000000000000/projection`, { stereo: 'tb' })).status, 404);
  assert.equal(h.parts.catalog.get(id)!.projection.source, 'name');

  // The user's word.
  const set = await put(`${h.url}/api/videos/${id}/projection`, { projection: 'fisheye', lens: 'MKX200', eyeSwapped: true });
  assert.equal(set.status, 200, JSON.stringify(set.json));
  assert.equal(set.json.projectionLabel, 'Fisheye 200° SBS (RL)');
  assert.equal(set.json.projection.source, 'user');
  assert.equal(set.json.projection.auto.label, '180° SBS', 'the automatic guess stays visible');

  const followed = async (label: string, source: string) => {
    const hs = await postJson(`${h.url}/heresphere/${id}`, { needsMediaSource: false });
    const deo = await (await fetch(`${h.url}/deovr/${id}`)).json();
    const detail = await (await fetch(`${h.url}/api/videos/${id}`)).json();
    const library = await (await fetch(`${h.url}/api/library`)).json();
    return { hs: hs.json, deo, detail, compact: library.videos.find((v: { id: string }) => v.id === id), tags: await tagNames(), label, source };
  };
  let f = await followed('Fisheye 200° SBS (RL)', 'user');
  assert.deepEqual([f.hs.projection, f.hs.lens, f.hs.fov, f.hs.stereo, f.hs.isEyeSwapped], ['fisheye', 'MKX200', 200, 'sbs', true]);
  assert.equal(f.deo.screenType, 'mkx200');
  assert.equal(f.detail.projection.sourceLabel, 'Your setting');
  assert.equal(f.compact.projectionLabel, 'Fisheye 200° SBS (RL)');
  assert.ok(f.tags.includes('Feature:Projection from: Your setting'), `scan cache followed: ${f.tags.join(', ')}`);
  assert.ok(f.tags.includes('Feature:Lens: MKX200'));

  // Survives a restart (user data in SQLite).
  await h.restart();
  f = await followed('Fisheye 200° SBS (RL)', 'user');
  assert.equal(f.hs.lens, 'MKX200');
  assert.deepEqual(f.detail.projection.override, { projection: 'fisheye', lens: 'MKX200', eyeSwapped: true });

  // Back to automatic: the guess returns everywhere.
  const back = await put(`${h.url}/api/videos/${id}/projection`, { automatic: true });
  assert.equal(back.status, 200);
  assert.equal(back.json.projectionLabel, '180° SBS');
  f = await followed('180° SBS', 'name');
  assert.deepEqual([f.hs.projection, f.hs.lens, f.hs.fov, f.hs.isEyeSwapped], ['equirectangular', 'Linear', 180, false]);
  assert.equal(f.deo.screenType, 'dome');
  assert.equal(f.detail.projection.override, null);
  assert.ok(f.tags.includes('Feature:Projection from: File name'));
});
