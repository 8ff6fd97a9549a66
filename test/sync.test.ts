// The stored library: a big first sync in the fewest list calls, cheap refreshes, backing off
// under throttling while the stored library stays available, restarts that re-fetch nothing, and
// an info backfill that survives deleted torrents and RD trouble and never delays a player.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, postJson } from './helpers/harness.ts';
import { generateLibrary, startFakeRd, type FakeTorrentSpec } from './fake-rd/index.ts';
import { ManualClock, drive, quietWire, until } from './realdebrid.support.ts';
import { RdClient, RdScheduler, type RdSchedulerOptions } from '../src/realdebrid/index.ts';
import { openStore } from '../src/store/index.ts';
import { Catalog } from '../src/catalog/catalog.ts';
import { LibraryWriter } from '../src/catalog/writer.ts';
import { LibrarySync } from '../src/sync/library-sync.ts';
import { silentLogger } from '../src/log.ts';

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
  // Every call is refused, with a Retry-After of an hour: the cooldown outlasts any test body.
  h.fake.setFault({ rateLimit: { max: 0, windowMs: 60_000, retryAfterSeconds: 3600 } });
  h.fake.clearLog();
  void h.parts.sync.refresh('full').catch(() => undefined);
  const refused = () => h.fake.requests.filter((q) => q.status === 429).length;
  await until(() => refused() === 1, 'the first list call to be refused');
  // The listing now waits for the cooldown in the scheduler's queue: it cannot be sent before it ends.
  await until(() => h.parts.scheduler.snapshot().queued.background === 1, 'the listing to wait in the queue');
  assert.ok(h.parts.scheduler.cooldownRemainingMs() > 3500_000);
  const during = await postJson(`${h.url}/heresphere`, {});
  assert.equal(during.status, 200);
  assert.equal((during.json.library as Array<{ list: string[] }>).flatMap((s) => s.list).length, before);
  // The cooldown is global: a second refresh and a play attempt send nothing while it runs.
  void h.parts.sync.refresh('full').catch(() => undefined);
  const v = h.parts.catalog.list()[0]!;
  const play = await fetch(`${h.url}/play/${v.id}/1`, { redirect: 'manual' });
  assert.equal(play.status, 503);
  assert.ok(Number(play.headers.get('retry-after')) > 3500);
  const health = await (await fetch(`${h.url}/healthz`)).json();
  assert.ok(health.realDebrid.cooldownSeconds > 3500);
  assert.equal(h.parts.scheduler.snapshot().queued.background, 1, 'still the one listing, still queued');
  assert.equal(h.fake.count(), 1, 'nothing but the refused call reached RD');
});

// --- Background backfill of torrent infos, on a manual clock shared by the sync, the scheduler and the fake.

const pack = (id: string, n: number): FakeTorrentSpec & { id: string } => ({
  id,
  filename: `Pack ${n}`,
  files: [{ path: `/Pack ${n}/Scene A.mp4` }, { path: `/Pack ${n}/Scene B.mp4` }],
});
const PACKS = ['PACK0000000A1', 'PACK0000000B2', 'PACK0000000C3', 'PACK0000000D4', 'PACK0000000E5', 'PACK0000000F6'].map((id, i) => pack(id, i + 1));

async function backfillRig(t: TestContext, schedOpts: RdSchedulerOptions = {}) {
  const clock = new ManualClock();
  const fake = await startFakeRd({ now: clock.now, torrents: PACKS });
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, ...schedOpts });
  const rd = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, random: () => 0.5 });
  const dir = mkdtempSync(join(tmpdir(), 'debridsphere-sync-'));
  const store = openStore(dir);
  const catalog = new Catalog(store, clock.now);
  catalog.loadAll();
  const sync = new LibrarySync({
    rd,
    store,
    catalog,
    writer: new LibraryWriter(store, catalog, clock.now),
    logger: silentLogger(),
    ttlMs: 60_000,
    now: clock.now,
    backfillPerMinute: 30,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  t.after(async () => {
    sync.close();
    scheduler.close();
    rd.close();
    store.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const quiet = quietWire(scheduler, fake);
  const run = <T>(work: Promise<T>): Promise<T> => drive(clock, quiet, work);
  /** Lets time run until no torrent but `except` lacks its info. */
  const backfilled = (except: string[] = []) =>
    run(until(() => store.library.idsMissingInfo(100).every((id) => except.includes(id)), 'the backfill to fetch every info'));
  const infoCalls = (id: string) => fake.requests.filter((r) => r.route === 'info' && r.path.endsWith(`/${id}`));
  return { clock, fake, scheduler, store, sync, run, backfilled, infoCalls };
}

test('backfill: a torrent deleted on RD between listing and backfill is skipped; every older one still gets its info', async (t) => {
  const { clock, fake, store, sync, run, backfilled, infoCalls } = await backfillRig(t);
  await run(sync.refresh('full'));
  assert.equal(store.library.idsMissingInfo(100).length, 6);
  const gone = PACKS[0]!.id; // the newest: the backfill asks for it first
  fake.removeTorrent(gone);
  await backfilled([gone]);
  for (const p of PACKS.slice(1)) assert.ok(store.library.getInfo(p.id), `${p.id} has its info`);
  assert.deepEqual(infoCalls(gone).map((r) => r.status), [404], 'asked once');
  assert.equal(fake.count('info'), 6);
  // Ten quiet minutes: the deleted torrent is not asked for again.
  await clock.advance(10 * 60_000);
  assert.equal(fake.count('info'), 6);
  // The 404 makes the next library request refresh the list at once, which drops it.
  await sync.ensureFresh();
  assert.equal(sync.status().syncing, true, 'refresh started without waiting for the TTL');
  await run(sync.refresh());
  assert.equal(store.library.get(gone), null);
  assert.deepEqual(store.library.idsMissingInfo(100), []);
});

test('backfill: RD trouble backs off (5 s) and carries on with the same torrent', async (t) => {
  const { fake, store, sync, run, backfilled, infoCalls } = await backfillRig(t);
  await run(sync.refresh('full'));
  const t0 = fake.requests.at(-1)!.at;
  // the first try and its 3 resends (1 s, 3 s, 9 s) all get gateway errors
  fake.setFault({ failNext: { route: 'info', status: 502, body: '<html>502 Bad Gateway</html>', times: 4 } });
  await backfilled();
  const first = PACKS[0]!.id;
  assert.deepEqual(
    infoCalls(first).map((r) => [r.at - t0, r.status]),
    [[0, 502], [1_000, 502], [4_000, 502], [13_000, 502], [18_000, 200]],
  );
  assert.equal(fake.count('info'), 4 + 6);
  for (const p of PACKS) assert.ok(store.library.getInfo(p.id));
});

test('opening a video does not wait behind a queued background fetch of the same info', async (t) => {
  // the background cap lets 2 backfill calls start; the third waits a minute for a slot
  const { clock, fake, scheduler, store, sync, run, infoCalls } = await backfillRig(t, { backgroundPerMinute: 2 });
  await run(sync.refresh('full'));
  await clock.advance(0); // the backfill starts right after a refresh
  await until(() => scheduler.snapshot().queued.background === 1, "the backfill's third call to wait for a slot");
  assert.equal(fake.count('info'), 2);
  const third = store.library.get(PACKS[2]!.id)!;
  let opened: string | null = null;
  void sync.ensureInfo(third, 'interactive').then((info) => (opened = info.id));
  await until(() => opened !== null, 'the interactive fetch to finish while the clock stands still');
  assert.equal(opened, third.id);
  assert.equal(infoCalls(third.id).length, 1);
  assert.equal(scheduler.snapshot().queued.background, 1, 'the background fetch is still waiting');
});
