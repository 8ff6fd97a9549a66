// Who the client is (issue 16, item 5): X-Forwarded-For counts only when the socket is a proxy
// that TRUST_PROXY names. Without it a forged value neither joins another headset's play session
// nor adds sessions; with it, two headsets behind the proxy keep their own sessions and their own
// failed-login budgets. Tracked play sessions are capped. Real server, real SQLite, requests from
// two loopback source addresses (127.0.0.1 and 127.0.0.2) as two machines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE } from './fake-rd/index.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openStore } from '../src/store/index.ts';
import { LibraryWriter } from '../src/catalog/writer.ts';
import { Catalog } from '../src/catalog/catalog.ts';
import type { Video } from '../src/library/model.ts';

/** The source address of a second machine (node:http honours localAddress; undici's Agent does not). */
const OTHER_MACHINE = '127.0.0.2';

/** A HereSphere playback event, sent from 127.0.0.1 or from `from`. */
async function event(h: Harness, id: string, event: number, time: number, headers: Record<string, string> = {}, from = '127.0.0.1'): Promise<number> {
  const { port } = new URL(h.url);
  const body = JSON.stringify({ event, time });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: Number(port), path: `/heresphere/${id}/event`, method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function firstVideo(h: Harness): Promise<Video> {
  await h.parts.sync.refresh();
  const v = h.parts.catalog.list()[0];
  assert.ok(v, 'the library loaded');
  return v;
}

test('TRUST_PROXY: proxy addresses or ranges only; "trust everyone" stops start-up with the reason', () => {
  assert.deepEqual(loadConfig({}, '/tmp').trustProxy, []);
  assert.deepEqual(loadConfig({ TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,::1, fd00::/8, loopback ' }, '/tmp').trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
  for (const bad of ['true', '*', '1', '10.0.0.0/40', 'proxy.lan', '10.0.0.1/8/2']) {
    assert.throws(() => loadConfig({ TRUST_PROXY: bad }, '/tmp'), (err: unknown) => err instanceof ConfigError && /TRUST_PROXY must name your reverse proxy/.test(err.message), bad);
  }
});

test('without TRUST_PROXY a forged X-Forwarded-For neither joins another headset\'s session nor adds sessions', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false });
  t.after(() => h.close());
  const v = await firstVideo(h);
  // Headset A (127.0.0.1) opens the video.
  assert.equal(await event(h, v.id, 0, 0), 200);
  // Another machine claims to be A and closes "its" session.
  assert.equal(await event(h, v.id, 3, 60_000, { 'x-forwarded-for': '127.0.0.1' }, OTHER_MACHINE), 200);
  assert.equal(h.store.user.get(v.hash).playCount, 0, 'the forged close did not end (and count) A\'s session');
  assert.equal(await event(h, v.id, 3, 30_000), 200);
  assert.equal(h.store.user.get(v.hash).playCount, 1, 'A\'s own close counts its play');

  for (let i = 0; i < 40; i++) assert.equal(await event(h, v.id, 0, 0, { 'x-forwarded-for': `10.9.${i}.1` }, OTHER_MACHINE), 200);
  assert.equal(h.parts.writer.playbackSessions, 1, 'forty forged addresses are one client: the socket\'s');
});

test('with TRUST_PROXY naming the proxy, clients behind it keep their own sessions and login budgets', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { TRUST_PROXY: '127.0.0.1', HERESPHERE_AUTH_TOKEN: 'proxy-token-0123' } });
  t.after(() => h.close());
  const bearer = { authorization: 'Bearer proxy-token-0123' };
  const v = await firstVideo(h);
  assert.equal(await event(h, v.id, 0, 0, { ...bearer, 'x-forwarded-for': '192.168.1.10' }), 200);
  assert.equal(await event(h, v.id, 0, 0, { ...bearer, 'x-forwarded-for': '192.168.1.11' }), 200);
  assert.equal(h.parts.writer.playbackSessions, 2, 'two headsets behind the proxy');
  assert.equal(await event(h, v.id, 3, 1000, { ...bearer, 'x-forwarded-for': '192.168.1.10' }), 200);
  assert.equal(await event(h, v.id, 3, 1000, { ...bearer, 'x-forwarded-for': '192.168.1.11' }), 200);
  assert.equal(h.store.user.get(v.hash).playCount, 2, 'each closed its own session');
  // A machine that is not the proxy cannot pick its address by header.
  assert.equal(await event(h, v.id, 0, 0, { ...bearer, 'x-forwarded-for': '192.168.1.12' }, OTHER_MACHINE), 200);
  assert.equal(h.parts.writer.playbackSessions, 1, 'the forged value from 127.0.0.2 counted as 127.0.0.2');

  const login = (client: string, token: string) =>
    request(`${h.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify({ token }) }).then(async (r) => {
      await r.body.dump();
      return r.statusCode;
    });
  for (let i = 0; i < 10; i++) assert.equal(await login('203.0.113.5', `wrong-guess-${i}`), 401);
  assert.equal(await login('203.0.113.5', 'proxy-token-0123'), 429, 'the guesser is locked out');
  assert.equal(await login('203.0.113.6', 'proxy-token-0123'), 200, 'another client behind the same proxy is not');
});

test('play sessions are capped: the least recently used is dropped first', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'debridsphere-events-'));
  const store = openStore(dir);
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const video = { id: 'v1', hash: 'a'.repeat(40), durationMs: 100_000 } as Video;
  const writer = new LibraryWriter(store, new Catalog(store, () => 1_000), () => 1_000, 3);
  for (const client of ['c1', 'c2', 'c3']) writer.playback(video, client, 0, 0);
  writer.playback(video, 'c1', 1, 5_000); // c1 is active again: c2 is now the oldest
  writer.playback(video, 'c4', 0, 0);
  assert.equal(writer.playbackSessions, 3);
  writer.playback(video, 'c2', 3, 10_000);
  assert.equal(store.user.get(video.hash).playCount, 0, 'c2 was dropped: its close counts no play');
  writer.playback(video, 'c1', 3, 10_000);
  assert.equal(store.user.get(video.hash).playCount, 1, 'c1 was kept');
});
