// The stored library: a big first sync in the fewest list calls, cheap refreshes, backing off
// under throttling while the stored library stays available, and restarts that re-fetch nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson } from './helpers/harness.ts';
import { generateLibrary } from './fake-rd/index.ts';

test('12,000 torrents sync in ceil(12000/5000) list calls, never over the limit; a restart re-fetches nothing', async (t) => {
  const torrents = generateLibrary(12_000, { seed: 7 });
  const h = await startHarness({ torrents, media: false, env: { RD_INFO_BACKFILL_PER_MINUTE: '0' } });
  t.after(() => h.close());
  const r = await postJson(`${h.url}/heresphere`, {});
  assert.equal(r.status, 200);
  assert.equal(h.fake.count('torrents'), Math.ceil(12_000 / 5000), h.fake.requests.map((q) => q.path + ' ' + q.status).join('\n'));
  assert.ok(h.fake.requests.every((q) => q.status !== 429));
  const downloaded = h.fake.torrents().filter((x) => (x.status ?? 'downloaded') === 'downloaded');
  const hashes = new Set(downloaded.map((x) => x.hash));
  assert.equal(h.parts.catalog.size, hashes.size);
  const listed = new Set((r.json.library as Array<{ list: string[] }>).flatMap((s) => s.list));
  assert.equal(listed.size, hashes.size);

  // Open a few videos: one info call each, stored for good.
  const some = [...listed].slice(0, 3);
  for (const url of some) await postJson(url, {});
  assert.equal(h.fake.count('info'), 3);
  await h.restart();
  h.fake.clearLog();
  for (const url of some) await postJson(url, {});
  assert.equal(h.fake.count('info'), 0, 'infos survive a restart');
  const again = await postJson(`${h.url}/heresphere`, {});
  assert.deepEqual(new Set((again.json.library as Array<{ list: string[] }>).flatMap((s) => s.list)), listed);
  assert.equal(h.fake.count('torrents') <= 1, true, 'a restart answers from the store (at most one head check)');
});

test('a refresh after the TTL is one cheap head call; new torrents appear', async (t) => {
  const h = await startHarness({ torrents: generateLibrary(300, { seed: 3 }), media: false, env: { LIBRARY_TTL_SECONDS: '5' } });
  t.after(() => h.close());
  await postJson(`${h.url}/heresphere`, {});
  h.fake.clearLog();
  await h.parts.sync.refresh();
  assert.equal(h.fake.count('torrents'), 1, 'unchanged library: one head call');
  const added = h.fake.addTorrent({ filename: 'Brand.New.Scene.180.LR.mp4', files: [{ path: '/Brand.New.Scene.180.LR.mp4', bytes: 1_000_000 }] });
  h.fake.clearLog();
  await h.parts.sync.refresh();
  assert.equal(h.fake.count('torrents'), 1, 'a prepended torrent needs no full listing');
  assert.ok(h.parts.catalog.getByHash(added.hash!), 'new torrent is in the library');
});

test('under a 429 storm the sync backs off and the stored library stays available', async (t) => {
  const h = await startHarness({ torrents: generateLibrary(500, { seed: 5 }), media: false, env: { RD_INFO_BACKFILL_PER_MINUTE: '0' } });
  t.after(() => h.close());
  const first = await postJson(`${h.url}/heresphere`, {});
  const before = (first.json.library as Array<{ list: string[] }>).flatMap((s) => s.list).length;
  h.fake.setFault({ rateLimit: { max: 0, windowMs: 60_000 } });
  void h.parts.sync.refresh('full').catch(() => undefined);
  const refused = () => h.fake.requests.filter((q) => q.status === 429).length;
  for (let i = 0; i < 200 && refused() === 0; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(refused(), 1);
  const during = await postJson(`${h.url}/heresphere`, {});
  assert.equal(during.status, 200);
  assert.equal((during.json.library as Array<{ list: string[] }>).flatMap((s) => s.list).length, before);
  // The cooldown is global: a second refresh and a play attempt send nothing while it runs.
  void h.parts.sync.refresh('full').catch(() => undefined);
  const v = h.parts.catalog.list()[0]!;
  const play = await fetch(`${h.url}/play/${v.id}/1`, { redirect: 'manual' });
  assert.equal(play.status, 503);
  assert.ok(Number(play.headers.get('retry-after')) > 0);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(refused(), 1, 'nothing more was sent during the cooldown');
  const health = await (await fetch(`${h.url}/healthz`)).json();
  assert.ok(health.realDebrid.cooldownSeconds > 0);
});
