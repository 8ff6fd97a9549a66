// The stereo layout a thumbnail is cut with follows the probe: a 3840x1920 video whose name has no
// VR marker is guessed flat before the probe, and the frame size (projection.ts refineByFrame)
// makes it 180° SBS; its thumbnail must show one eye, and a file made from the old guess must not
// be served for the new one (the cache name includes the layout).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureUnmarkedSbsSample, OTHER_EYE_RGB, type Sample } from './fake-rd/samples.ts';
import { colourShare, mediaFixture, probeFile, waitFor } from './media.helpers.ts';
import { startHarness } from './helpers/harness.ts';
import { guessProjection } from '../src/library/projection.ts';
import { fileName } from '../src/media/pipeline.ts';

let clip: Sample;
before(async () => {
  clip = await ensureUnmarkedSbsSample();
});

function frameOf(file: string): [number, number] {
  const s = probeFile(file).streams[0]!;
  return [s.width!, s.height!];
}

test('pipeline: the probed frame size refines the stereo layout before the thumbnail is cut', async (t) => {
  const fx = await mediaFixture(t, { files: { clip } });
  const guess = guessProjection(['clip_0042.mp4', 'Media Test Pack']);
  assert.equal(guess.stereo, 'mono', 'the name alone says nothing: flat');
  const target = { ...fx.targets.clip!, stereo: guess.stereo, projection: guess };
  assert.equal(fx.pipeline.stereoOf(target), 'mono', 'not probed yet');

  const state = await fx.pipeline.ensure('thumb', target, 'now');
  assert.equal(state.state, 'ready', JSON.stringify(state));
  if (state.state !== 'ready') return;
  assert.equal(fx.pipeline.stereoOf(target), 'sbs');
  assert.deepEqual(frameOf(state.file), [640, 640], 'one square eye, not the 2:1 double frame');
  const other = colourShare(state.file, OTHER_EYE_RGB);
  assert.ok(other < 0.05, `${(other * 100).toFixed(1)}% of the thumbnail is the other eye's colour`);
});

test('a thumbnail made from the old guess is not served once the guess changed: a new file is made', async (t) => {
  const fx = await mediaFixture(t, { files: { clip } });
  // As before the fix: only the name's layout, no projection to refine.
  const old = { ...fx.targets.clip!, stereo: 'mono' as const };
  const doubled = await fx.pipeline.ensure('thumb', old, 'now');
  assert.equal(doubled.state, 'ready');
  if (doubled.state !== 'ready') return;
  assert.deepEqual(frameOf(doubled.file), [640, 320]);
  assert.ok(colourShare(doubled.file, OTHER_EYE_RGB) > 0.4, 'the doubled frame shows both eyes (the test can tell)');

  const guess = guessProjection(['clip_0042.mp4']);
  const refined = { ...old, projection: guess };
  assert.equal(fx.pipeline.peek('thumb', refined).state, 'pending', 'the mono file is not the SBS thumbnail');
  const state = await fx.pipeline.ensure('thumb', refined, 'now');
  assert.equal(state.state, 'ready');
  if (state.state !== 'ready') return;
  assert.notEqual(state.file, doubled.file);
  assert.deepEqual(frameOf(state.file), [640, 640]);
  assert.ok(colourShare(state.file, OTHER_EYE_RGB) < 0.05);
  assert.notEqual(fileName('thumb', refined, 'sbs'), fileName('thumb', refined, 'mono'));
  assert.equal(fx.facts.probes.size, 1, 'probed once');
});

test('end to end: /thumb of an unmarked 3840x1920 video shows one eye and the library says 180° SBS', { timeout: 120_000 }, async (t) => {
  const h = await startHarness({ torrents: [{ filename: 'clip_0042.mp4', files: [{ path: '/clip_0042.mp4', source: clip.path }] }] });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const [video] = h.parts.catalog.list();
  assert.ok(video);
  assert.equal(video.projection.stereo, 'mono', 'before the probe the name decides: flat');
  const url = `${h.url}/thumb/${video.id}.jpg`;
  const first = await fetch(url);
  assert.equal(first.headers.get('x-media-state'), 'pending');
  await first.arrayBuffer();
  let body = Buffer.alloc(0);
  await waitFor(async () => {
    const r = await fetch(url);
    body = Buffer.from(await r.arrayBuffer());
    return r.headers.get('x-media-state') === null;
  }, 'the real thumbnail', 90_000);
  const file = join(h.dataDir, 'thumb-check.jpg');
  writeFileSync(file, body);
  assert.deepEqual(frameOf(file), [640, 640]);
  assert.ok(colourShare(file, OTHER_EYE_RGB) < 0.05, 'one eye');
  await h.parts.media.onIdle();
  assert.equal(h.parts.media.status().cacheFiles, 1, 'the first thumbnail was already cut with the refined layout');
  const after = h.parts.catalog.get(video.id)!;
  assert.equal(after.projection.stereo, 'sbs', 'the library refined the same way');
  assert.equal(after.projection.source, 'frame');
});
