// A multi-file torrent whose file list (torrent info) is not loaded yet: /thumb answers the
// placeholder at once and /preview a clear 503 JSON while the list is fetched in the background
// (once, however many requests), then the job runs and the real files are served. Only an id that
// is not in the library gets 404 "Unknown video.".
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureSamples, type Samples } from './fake-rd/samples.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { placeholderJpeg } from '../src/media/placeholder.ts';
import { waitFor } from './media.helpers.ts';
import type { TestContext } from 'node:test';

let samples: Samples;
before(async () => {
  samples = await ensureSamples();
});

async function packHarness(t: TestContext): Promise<{ h: Harness; id: string }> {
  const h = await startHarness({
    torrents: [
      {
        filename: 'Holiday Pack',
        files: [
          { path: '/Holiday Pack/Day 1.mp4', source: samples.flat.path },
          { path: '/Holiday Pack/Day 2.mp4', source: samples.part1.path },
        ],
      },
    ],
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0' },
  });
  t.after(() => h.close());
  await h.parts.sync.refresh();
  const [video] = h.parts.catalog.list();
  assert.ok(video);
  assert.equal(video.filesKnown, false, 'the file list is not loaded yet');
  assert.equal(h.parts.targets.of(video), null, 'so there is no media target yet');
  return { h, id: video.id };
}

test('/thumb: placeholder at once while the file list loads, then the real JPEG; the list is fetched once', { timeout: 120_000 }, async (t) => {
  const { h, id } = await packHarness(t);
  const infosBefore = h.fake.count('info');
  const first = await fetch(`${h.url}/thumb/${id}.jpg`);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('content-type'), 'image/jpeg');
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  assert.equal(first.headers.get('x-media-state'), 'pending');
  assert.deepEqual(Buffer.from(await first.arrayBuffer()), placeholderJpeg().body);

  let real = Buffer.alloc(0);
  await waitFor(async () => {
    const r = await fetch(`${h.url}/thumb/${id}.jpg`);
    real = Buffer.from(await r.arrayBuffer());
    return r.status === 200 && r.headers.get('x-media-state') === null;
  }, 'the real thumbnail', 90_000);
  assert.deepEqual([...real.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.notDeepEqual(real, placeholderJpeg().body);
  assert.equal(h.parts.catalog.get(id)!.filesKnown, true);
  assert.equal(h.fake.count('info') - infosBefore, 1, 'one info call for all those requests');

  const unknown = await fetch(`${h.url}/thumb/ffffffffffffffff.jpg`);
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), { error: 'Unknown video.' });
});

test('/preview: a clear 503 JSON (not 404) while the file list loads, then the MP4', { timeout: 120_000 }, async (t) => {
  const { h, id } = await packHarness(t);
  const first = await fetch(`${h.url}/preview/${id}.mp4`);
  assert.equal(first.status, 503);
  assert.equal(first.headers.get('retry-after'), '1');
  const body = (await first.json()) as { error: string; state: string };
  assert.equal(body.state, 'pending');
  assert.match(body.error, /not ready/);

  let status = 0;
  await waitFor(async () => {
    const r = await fetch(`${h.url}/preview/${id}.mp4`);
    status = r.status;
    await r.arrayBuffer();
    return r.status !== 503;
  }, 'the preview', 90_000);
  assert.equal(status, 200);
  const unknown = await fetch(`${h.url}/preview/ffffffffffffffff.mp4`);
  assert.equal(unknown.status, 404);
});
