// PLAY_MODE=proxy when the stored download URL's host cannot be reached: it refuses connections
// (a download node gone; the demo's previous fake RD after a restart) or accepts and never answers.
// Like an expired URL, the link is unrestricted again once, so playback recovers as soon as RD
// hands out a working URL instead of failing until the 2 h reuse window ends; while the host stays
// down the player gets one clear 502 after a bounded wait, and RD is asked only once more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import Fastify from 'fastify';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import playRoutes from '../src/api/play.ts';
import { installErrorHandlers } from '../src/api/errors.ts';

async function harness(t: { after: (fn: () => Promise<void>) => void }): Promise<Harness> {
  const h = await startHarness({
    media: false,
    env: { PLAY_MODE: 'proxy', RD_INFO_BACKFILL_PER_MINUTE: '0' },
    torrents: [{ filename: 'Far.Away.180.LR.mp4', files: [{ path: '/Far.Away.180.LR.mp4', bytes: 5_000_000 }] }],
  });
  t.after(() => h.close());
  return h;
}

/**
 * The play path of the one video, read off the index without opening the video: opening it asks
 * for a probe, whose own unrestrict would race the fault these tests set (and make the count lie).
 */
async function playPath(h: Harness): Promise<string> {
  const idx = await postJson(`${h.url}/heresphere`, {});
  const id = new URL(idx.json.library[0].list[0]).pathname.split('/').pop();
  return `/play/${id}/1`;
}

/** A base URL on 127.0.0.1 where nothing listens. */
async function refusingHost(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

test('a stored link whose host refuses connections is unrestricted again once, and plays when RD gives a working URL', async (t) => {
  const h = await harness(t);
  const path = await playPath(h);
  h.fake.setFault({ cdnBaseUrl: await refusingHost() });
  const down = await fetch(`${h.url}${path}`, { headers: { range: 'bytes=0-99' } });
  assert.equal(down.status, 502);
  assert.match(((await down.json()) as { error: string }).error, /did not answer/);
  assert.equal(h.fake.count('unrestrict'), 2, 'the unreachable URL was replaced once, not retried in a loop');
  // The host is back (RD hands out URLs on a working node): the stored, unreachable URL is replaced.
  h.fake.setFault({ cdnBaseUrl: null });
  const calls = h.fake.count('unrestrict');
  const up = await fetch(`${h.url}${path}`, { headers: { range: 'bytes=0-99' } });
  assert.equal(up.status, 206, 'plays at once, not after the reuse window');
  assert.equal((await up.arrayBuffer()).byteLength, 100);
  assert.equal(h.fake.count('unrestrict') - calls, 1, `one new link: ${JSON.stringify(h.fake.requests.map((r) => `${r.route} ${r.path.slice(0, 40)} ${r.status}`))}`);
});

test('a stored link whose host accepts but never answers is unrestricted again after a bounded wait', async (t) => {
  const h = await harness(t);
  const path = await playPath(h);
  const sockets = new Set<Socket>();
  const silent = createServer((s) => {
    sockets.add(s); // accepted, never answered
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });
  // The same routes as the app, with a short answer timeout instead of the real 10 s.
  const app = Fastify();
  installErrorHandlers(app);
  await app.register(playRoutes, { parts: h.parts, cdnAnswerTimeoutMs: 300 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  h.fake.setFault({ cdnBaseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}` });
  const down = await fetch(`${base}${path}`, { headers: { range: 'bytes=0-99' } });
  assert.equal(down.status, 502);
  await down.arrayBuffer();
  assert.equal(h.fake.count('unrestrict'), 2);
  h.fake.setFault({ cdnBaseUrl: null });
  const up = await fetch(`${base}${path}`, { headers: { range: 'bytes=0-99' } });
  assert.equal(up.status, 206);
  assert.equal((await up.arrayBuffer()).byteLength, 100);
});
