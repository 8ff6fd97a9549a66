// GET|HEAD /thumb/:id.jpg and /preview/:id.mp4 over real HTTP (Fastify inject) with real ffmpeg:
// placeholder first (never an empty body), the real file later with ETag/304/Range, previews 503
// + Retry-After until ready, failures and unknown ids answered with JSON.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { TestContext } from 'node:test';
import { ensureSamples, type Samples } from './fake-rd/samples.ts';
import { mediaFixture, type FixtureOptions, type MediaFixture } from './media.helpers.ts';
import mediaRoutes from '../src/api/media.ts';
import { placeholderJpeg } from '../src/media/placeholder.ts';
import { installErrorHandlers } from '../src/api/errors.ts';
import { PlayError } from '../src/play/errors.ts';
import { REASONS } from '../src/media/reasons.ts';

let samples: Samples;
before(async () => {
  samples = await ensureSamples();
});

const ID = '0123456789abcdef';

async function appFor(t: TestContext, o: Omit<FixtureOptions, 'files'> = {}): Promise<{ app: ReturnType<typeof Fastify>; fx: MediaFixture }> {
  const fx = await mediaFixture(t, { files: { sbs: samples.sbs180 }, ...o });
  const app = Fastify();
  installErrorHandlers(app);
  await app.register(mediaRoutes, { pipeline: fx.pipeline, lookup: (id) => (id === ID ? fx.targets.sbs! : null) });
  await app.ready();
  t.after(() => app.close());
  return { app, fx };
}

test('thumbnail: placeholder + pending at first, the real JPEG later with ETag, 304 and Range', async (t) => {
  const { app, fx } = await appFor(t);
  const first = await app.inject(`/thumb/${ID}.jpg`);
  assert.equal(first.statusCode, 200);
  assert.equal(first.headers['content-type'], 'image/jpeg');
  assert.equal(first.headers['x-media-state'], 'pending');
  assert.equal(first.headers['cache-control'], 'no-cache');
  assert.deepEqual(first.rawPayload, placeholderJpeg().body);
  assert.ok(first.rawPayload.length > 1000, 'a real image, never an empty body');
  assert.deepEqual([...first.rawPayload.subarray(0, 3)], [0xff, 0xd8, 0xff]);

  await fx.pipeline.onIdle();
  const real = await app.inject(`/thumb/${ID}.jpg`);
  assert.equal(real.statusCode, 200);
  assert.equal(real.headers['x-media-state'], undefined);
  assert.equal(real.headers['cache-control'], 'private, max-age=604800');
  assert.notDeepEqual(real.rawPayload, placeholderJpeg().body);
  assert.deepEqual([...real.rawPayload.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.equal(Number(real.headers['content-length']), real.rawPayload.length);
  const etag = String(real.headers.etag);
  assert.match(etag, /^".+"$/);

  const cached = await app.inject({ url: `/thumb/${ID}.jpg`, headers: { 'if-none-match': etag } });
  assert.equal(cached.statusCode, 304);
  assert.equal(cached.rawPayload.length, 0);

  const part = await app.inject({ url: `/thumb/${ID}.jpg`, headers: { range: 'bytes=0-99' } });
  assert.equal(part.statusCode, 206);
  assert.equal(part.headers['content-range'], `bytes 0-99/${real.rawPayload.length}`);
  assert.deepEqual(part.rawPayload, real.rawPayload.subarray(0, 100));

  const bad = await app.inject({ url: `/thumb/${ID}.jpg`, headers: { range: `bytes=${real.rawPayload.length}-` } });
  assert.equal(bad.statusCode, 416);

  const head = await app.inject({ method: 'HEAD', url: `/thumb/${ID}.jpg` });
  assert.equal(head.statusCode, 200);
  assert.equal(head.rawPayload.length, 0);
  assert.equal(Number(head.headers['content-length']), real.rawPayload.length);
  assert.equal(head.headers.etag, etag);
});

test('preview: 503 + Retry-After while pending, then an MP4 with Range', async (t) => {
  const { app, fx } = await appFor(t);
  const first = await app.inject(`/preview/${ID}.mp4`);
  assert.equal(first.statusCode, 503);
  assert.equal(first.headers['retry-after'], '1');
  assert.deepEqual(first.json(), { error: 'preview not ready', state: 'pending' });
  assert.equal(first.headers['x-media-state'], 'pending', 'marked expected: not logged as a failed request');
  // The browser's readiness question is answered without an error status.
  const probe = await app.inject({ method: 'HEAD', url: `/preview/${ID}.mp4`, headers: { 'x-media-probe': '1' } });
  assert.equal(probe.statusCode, 202);
  assert.equal(probe.headers['retry-after'], '1');
  await fx.pipeline.onIdle();
  const ready = await app.inject({ method: 'HEAD', url: `/preview/${ID}.mp4`, headers: { 'x-media-probe': '1' } });
  assert.equal(ready.statusCode, 200);
  const real = await app.inject(`/preview/${ID}.mp4`);
  assert.equal(real.statusCode, 200);
  assert.equal(real.headers['content-type'], 'video/mp4');
  assert.equal(real.rawPayload.subarray(4, 8).toString('latin1'), 'ftyp');
  const tail = await app.inject({ url: `/preview/${ID}.mp4`, headers: { range: 'bytes=-16' } });
  assert.equal(tail.statusCode, 206);
  assert.deepEqual(tail.rawPayload, real.rawPayload.subarray(-16));
});

test('dead link: thumbnail placeholder marked failed, preview 404 with the reason', async (t) => {
  const { app, fx } = await appFor(t, {
    resolve: async () => {
      throw new PlayError('dead', 'Real-Debrid reports this file as unavailable (dead link).');
    },
  });
  await app.inject(`/thumb/${ID}.jpg`);
  await fx.pipeline.onIdle();
  const thumb = await app.inject(`/thumb/${ID}.jpg`);
  assert.equal(thumb.statusCode, 200);
  assert.equal(thumb.headers['x-media-state'], 'failed');
  assert.deepEqual(thumb.rawPayload, placeholderJpeg().body);
  // The preview fails on the same dead link (the probe failed first).
  const preview = await app.inject(`/preview/${ID}.mp4`);
  assert.equal(preview.statusCode, 404);
  assert.equal(preview.json().state, 'failed');
  assert.equal(preview.json().error, REASONS['dead-link']);
  // The browser's readiness question over a failed video is answered without an error status
  // (a hover must not log "Failed to load resource" in its console); the card shows the reason.
  const asked = await app.inject({ method: 'HEAD', url: `/preview/${ID}.mp4`, headers: { 'x-media-probe': '1' } });
  assert.equal(asked.statusCode, 204);
  assert.equal(asked.headers['x-media-state'], 'failed');
});

test('unknown and malformed ids', async (t) => {
  const { app } = await appFor(t);
  const unknown = await app.inject('/thumb/ffffffffffffffff.jpg');
  assert.equal(unknown.statusCode, 404);
  assert.ok(typeof unknown.json().error === 'string');
  assert.equal((await app.inject('/preview/ffffffffffffffff.mp4')).statusCode, 404);
  for (const bad of ['/thumb/XYZ.jpg', '/thumb/0123456789ABCDEF.jpg', '/preview/..%2F..%2Fetc.mp4', '/thumb/0123456789abcdef0.jpg']) {
    const r = await app.inject(bad);
    assert.ok(r.statusCode === 400 || r.statusCode === 404, `${bad} -> ${r.statusCode}`);
    assert.ok(typeof r.json().error === 'string');
  }
});

test('ffmpeg unavailable: placeholder marked unavailable, preview 404', async (t) => {
  const { app } = await appFor(t, { ffmpegPath: '/nonexistent/ffmpeg' });
  const thumb = await app.inject(`/thumb/${ID}.jpg`);
  assert.equal(thumb.statusCode, 200);
  assert.equal(thumb.headers['x-media-state'], 'unavailable');
  assert.ok(thumb.rawPayload.length > 0);
  const preview = await app.inject(`/preview/${ID}.mp4`);
  assert.equal(preview.statusCode, 404);
  assert.equal(preview.json().state, 'unavailable');
});
