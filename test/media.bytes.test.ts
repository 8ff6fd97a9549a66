// How much of a large file the pipeline reads from the CDN (the fake counts every body byte the
// socket accepted). A thumbnail must cost at most 2% of the file and at most 8 MB: ffmpeg seeks
// (input -ss) and the relay turns its open-ended reads into bounded ranges.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { makeLargeSample, type Sample } from './fake-rd/samples.ts';
import { mediaFixture } from './media.helpers.ts';

let large: Sample;
before(async () => {
  large = await makeLargeSample(200e6);
});

test('thumbnail of a ~200 MB file reads <= 2% and <= 8 MB from the CDN', async (t) => {
  const fx = await mediaFixture(t, { files: { large } });
  const target = fx.targets.large!;
  const size = target.bytes;
  assert.ok(size > 150e6, `sample is ${size} bytes`);

  assert.equal((await fx.pipeline.ensure('probe', target)).state, 'ready');
  const probeBytes = fx.cdnBytes(target);
  assert.equal((await fx.pipeline.ensure('thumb', target)).state, 'ready');
  const thumbBytes = fx.cdnBytes(target) - probeBytes;
  assert.equal((await fx.pipeline.ensure('preview', target)).state, 'ready');
  const previewBytes = fx.cdnBytes(target) - probeBytes - thumbBytes;

  const line = `# ${(size / 1e6).toFixed(0)} MB file: probe ${kb(probeBytes)}, thumbnail ${kb(thumbBytes)} (${pct(thumbBytes, size)}), preview ${kb(previewBytes)} (${pct(previewBytes, size)})`;
  console.log(line);
  t.diagnostic(line);
  assert.ok(thumbBytes > 0, 'the thumbnail was read from the CDN');
  assert.ok(thumbBytes <= size * 0.02, `thumbnail read ${pct(thumbBytes, size)} of the file`);
  assert.ok(thumbBytes <= 8 * 1024 * 1024, `thumbnail read ${kb(thumbBytes)}`);
  assert.ok(probeBytes <= size * 0.02, `probe read ${pct(probeBytes, size)}`);
  // Five 1.5 s moments of a 1.6 MB/s video: about 12 MB plus indexes; never the whole file.
  assert.ok(previewBytes < size * 0.2, `preview read ${pct(previewBytes, size)}`);
  assert.equal(fx.pipeline.status().cdnBytes, fx.cdnBytes(target), "the pipeline's own count matches the CDN's");
});

test('for comparison: ffmpeg reading the CDN directly (no relay) reads more per thumbnail', async (t) => {
  const fx = await mediaFixture(t, { files: { large }, sourceMode: 'direct' });
  const target = { ...fx.targets.large!, durationMs: large.durationMs };
  assert.equal((await fx.pipeline.ensure('thumb', target)).state, 'ready');
  const line = `# direct: thumbnail ${kb(fx.cdnBytes(target))} (${pct(fx.cdnBytes(target), target.bytes)})`;
  console.log(line);
  t.diagnostic(line);
  assert.ok(fx.cdnBytes(target) > 0);
});

function kb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(0)} KB`;
}

function pct(n: number, of: number): string {
  return `${((n / of) * 100).toFixed(2)}%`;
}
