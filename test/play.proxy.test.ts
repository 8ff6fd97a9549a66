// PLAY_MODE=proxy: the server streams the file itself, passing Range through both ways, and
// never buffers a whole file; the redirect mode's RD call accounting still holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';

let h: Harness;
const BYTES = 300 * 1024 * 1024; // virtual: streamed by the fake CDN, never held in memory

before(async () => {
  h = await startHarness({
    media: false,
    env: { PLAY_MODE: 'proxy', RD_INFO_BACKFILL_PER_MINUTE: '0' },
    torrents: [{ filename: 'Big.Scene.180.LR.mp4', files: [{ path: '/Big.Scene.180.LR.mp4', bytes: BYTES }] }],
  });
});
after(() => h?.close());

async function playUrl(): Promise<string> {
  const idx = await postJson(`${h.url}/heresphere`, {});
  const video = await postJson(idx.json.library[0].list[0], {});
  return video.json.media[0].sources[0].url;
}

test('Range requests are passed through: 206 with Content-Range and exactly the bytes asked for', async () => {
  const url = await playUrl();
  const r = await fetch(url, { headers: { range: 'bytes=1000-1999' } });
  assert.equal(r.status, 206);
  assert.equal(r.headers.get('content-range'), `bytes 1000-1999/${BYTES}`);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const body = Buffer.from(await r.arrayBuffer());
  assert.equal(body.length, 1000);
  // Same bytes as asking the CDN directly.
  const direct = await fetch(h.fake.directUrl(h.fake.torrents()[0]!.id!, 1), { headers: { range: 'bytes=1000-1999' } });
  assert.deepEqual(body, Buffer.from(await direct.arrayBuffer()));
  const tail = await fetch(url, { headers: { range: `bytes=${BYTES - 10}-` } });
  assert.equal(tail.status, 206);
  assert.equal((await tail.arrayBuffer()).byteLength, 10);
  const head = await fetch(url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers.get('content-length')), BYTES);
  assert.equal(h.fake.count('unrestrict'), 1, 'one unrestrict, reused for every request');
});

test('a client that stops reading does not make the server read the whole file', async () => {
  const url = await playUrl();
  const before = h.fake.cdnBytesServed();
  const controller = new AbortController();
  const r = await fetch(url, { signal: controller.signal });
  assert.equal(r.status, 200);
  const reader = r.body!.getReader();
  let got = 0;
  while (got < 2 * 1024 * 1024) {
    const { value, done } = await reader.read();
    if (done) break;
    got += value.length;
  }
  controller.abort();
  await new Promise((res) => setTimeout(res, 300));
  const served = h.fake.cdnBytesServed() - before;
  assert.ok(served < 64 * 1024 * 1024, `CDN sent ${served} bytes for a 2 MB read of a 300 MB file`);
  assert.equal((await postJson(`${h.url}/heresphere`, {})).status, 200, 'server still serving');
});

test('an unsatisfiable range is a clean 416', async () => {
  const url = await playUrl();
  const r = await fetch(url, { headers: { range: `bytes=${BYTES + 5}-` } });
  assert.equal(r.status, 416);
});
