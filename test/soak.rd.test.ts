// The soak (issue 12): a simulated day on a manual clock of HereSphere browsing (a library request
// and a video opened every minute), plays and background media unrestricts on a 2,000-torrent
// library, while faults are injected at random from a fixed seed: bad and short pages, a lying
// total, HTML 502s, 5-8 s unrestricts, fair-use answers, 40-file packs with a missing link, real
// deletions and re-adds. It asserts and prints: the library never shrinks except by real deletions,
// no user datum is lost, RD calls are never over budget in any 60 s window (and RD never refuses
// one), never more than a few unrestricts in any 10 s, and no unhandled error. Real HTTP to the
// fake RD, real SQLite; no real time waited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateLibrary, type FakeListFaultKind, type FakeTorrentSpec } from './fake-rd/index.ts';
import { mulberry32 } from './fake-rd/prng.ts';
import { rdRig } from './helpers/rd-rig.ts';
import { PlayError } from '../src/play/errors.ts';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;
const SIZE = 2_000;
const BUDGET_PER_MINUTE = 180; // the scheduler's default (RD allows 250)
const LIST_FAULTS: FakeListFaultKind[] = ['object', '204', 'html', 'not-array', 'short', 'repeat'];

function pack(i: number): FakeTorrentSpec {
  return {
    filename: `Soak.Pack.${i}.Collection`,
    linkMode: 'missing-link',
    missingIndex: 5,
    files: Array.from({ length: 40 }, (_, k) => ({ path: `/Soak.Pack.${i}.Collection/Scene.${String(k + 1).padStart(2, '0')}.180.LR.mp4`, bytes: 2_000_000 + k })),
  };
}

/** Most of `times` inside any window [t, t + span). */
function busiest(times: number[], span: number): number {
  const s = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (j < s.length && s[j]! < s[i]! + span) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

test('soak: a simulated day with seeded random faults on a 2,000-torrent library', { timeout: 600_000 }, async (t) => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => void process.off('unhandledRejection', onUnhandled));

  const torrents = [pack(1), pack(2), ...generateLibrary(SIZE - 2, { seed: 1212 })];
  const { clock, fake, brake, store, catalog, sync, resolver, run } = await rdRig(t, torrents, {
    fake: { maxPageSize: 1000, seed: 12, rateLimit: { max: 250, windowMs: MINUTE, shortWindow: { max: 22, windowMs: 10_000 } } },
    backfillPerMinute: 30,
  });
  const rand = mulberry32(0x12_50a4);
  const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  await run(sync.refresh('full'));
  assert.equal(store.library.count(), SIZE);
  // User data on 200 torrents, 20 of which will be deleted on RD: none of it may be lost.
  const withData = fake.torrents().filter((_, i) => i % 10 === 0).map((s) => s.hash!);
  for (const h of withData) {
    store.user.setFavorite(h, true);
    store.user.setRating(h, 4);
    store.user.recordPosition(h, 123_000, new Date(clock.now()).toISOString());
  }
  const doomed = new Set(fake.torrents().filter((_, i) => i % 100 === 50).map((s) => s.id!)); // 20 real deletions spread over the day
  const deleted = new Set<string>();
  const readded: FakeTorrentSpec[] = [];
  const stats = { plays: 0, playErrors: 0, opens: 0, background: 0, backgroundRefused: 0, faults: 0, failedRefreshes: 0, shrinkChecks: 0, brakedMinutes: 0 };
  const unexpected: unknown[] = [];
  const expectFailure = (e: unknown, counter: 'playErrors' | 'backgroundRefused') => {
    if (e instanceof PlayError) stats[counter]++;
    else unexpected.push(e);
  };

  const work: Promise<unknown>[] = [];
  for (let minute = 0; minute < DAY_MINUTES; minute++) {
    // Faults last one minute, chosen from the seed.
    fake.setFault({ listFault: null, totalCountLie: null, htmlErrorRate: 0, slowUnrestrict: null });
    const r = rand();
    if (r < 0.03) fake.setFault({ listFault: { kind: pickOne(LIST_FAULTS), times: 1 + Math.floor(rand() * 3) } });
    else if (r < 0.04) fake.setFault({ totalCountLie: { delta: rand() < 0.5 ? -3 : 4, afterFirstPage: rand() < 0.5 } });
    else if (r < 0.06) fake.setFault({ htmlErrorRate: 0.2 });
    else if (r < 0.09) fake.setFault({ slowUnrestrict: { minMs: 5_000, maxMs: 8_000 } });
    else if (r < 0.095) fake.setFault({ fairUseAfterUnrestricts: { after: fake.unrestrictsServed() + 1, code: rand() < 0.5 ? 23 : 36 } });
    if (r < 0.095) stats.faults++;
    if (minute % 30 === 10) fake.setFault({ fairUseAfterUnrestricts: null });
    // Real deletions (every 70 minutes) and a re-add of an earlier one now and then.
    if (minute % 70 === 35) {
      const id = [...doomed].find((d) => !deleted.has(d));
      if (id) {
        readded.push({ ...fake.torrents().find((s) => s.id === id)! });
        fake.removeTorrent(id);
        deleted.add(id);
      }
    }
    if (minute % 300 === 299 && readded.length > 0) {
      const { id: _id, ...spec } = readded.shift()!;
      fake.addTorrent(spec);
    }

    // HereSphere browsing: a library request and a video opened every minute; a play every 5 minutes.
    work.push(sync.ensureFresh().catch(() => stats.failedRefreshes++));
    const videos = catalog.list();
    if (videos.length > 0) {
      const v = minute % 97 === 3 ? (catalog.getByHash(torrents[minute % 2]!.hash ?? '') ?? pickOne(videos)) : pickOne(videos);
      stats.opens++;
      work.push(resolver.forPlayback(v, 'interactive').catch((e: unknown) => expectFailure(e, 'playErrors')));
      if (minute % 5 === 0) {
        stats.plays++;
        work.push(resolver.resolve(v.id, v.videos[0]?.fileId ?? 1, { priority: 'interactive' }).catch((e: unknown) => expectFailure(e, 'playErrors')));
      }
      // Background media: two probes' worth of unrestricts a minute, when the brake allows.
      for (let k = 0; k < 2; k++) {
        if (!brake.allowsBackgroundUnrestrict()) break;
        const b = pickOne(videos);
        stats.background++;
        work.push(resolver.resolve(b.id, b.videos[0]?.fileId ?? 1, { priority: 'background' }).catch((e: unknown) => expectFailure(e, 'backgroundRefused')));
      }
    }
    await run(new Promise<void>((resolve) => void clock.setTimer(resolve, MINUTE)));
    if (brake.state().braked) stats.brakedMinutes++;

    // The library never shrinks except by real deletions (checked in full every half hour).
    const expectedAtLeast = SIZE - deleted.size;
    assert.ok(store.library.count() >= expectedAtLeast - 0, `minute ${minute}: ${store.library.count()} torrents, expected at least ${expectedAtLeast}`);
    if (minute % 30 === 0) {
      stats.shrinkChecks++;
      const live = new Set(store.library.all().map((s) => s.id));
      for (const s of torrents) if (s.id && !deleted.has(s.id)) assert.ok(live.has(s.id), `minute ${minute}: ${s.id} lost`);
    }
  }
  fake.setFault({ listFault: null, totalCountLie: null, htmlErrorRate: 0, slowUnrestrict: null, fairUseAfterUnrestricts: null });
  await run(Promise.allSettled(work));
  await clock.advance(10 * MINUTE);
  await run(sync.refresh('full'));
  await clock.advance(10 * MINUTE);
  await run(sync.refresh('full'));

  // Real deletions did leave (the re-added ones came back under a new id, same video).
  for (const id of deleted) assert.equal(store.library.get(id), null, `${id} deleted on RD is gone`);
  for (const h of withData) {
    const u = store.user.get(h);
    assert.ok(u.favorite && u.rating === 4 && u.resumeMs === 123_000, `user data of ${h} kept`);
  }
  const apiTimes = fake.requests.filter((q) => q.route !== 'cdn').map((q) => q.at);
  const unrestrictTimes = fake.requests.filter((q) => q.route === 'unrestrict').map((q) => q.at);
  const figures = {
    simulatedMinutes: DAY_MINUTES,
    rdCalls: apiTimes.length,
    byRoute: Object.fromEntries(['torrents', 'info', 'unrestrict', 'other'].map((r) => [r, fake.count(r as never)])),
    busiestMinute: busiest(apiTimes, MINUTE),
    busiest10s: busiest(apiTimes, 10_000),
    refusedByRd: fake.requests.filter((q) => q.status === 429).length,
    unrestricts: unrestrictTimes.length,
    unrestrictsBusiest10s: busiest(unrestrictTimes, 10_000),
    library: store.library.count(),
    videos: catalog.size,
    realDeletions: deleted.size,
    brake: brake.state().braked,
    ...stats,
    unexpected: unexpected.length,
    unhandled: unhandled.length,
  };
  t.diagnostic(JSON.stringify(figures));
  console.log('soak figures:', figures);
  assert.deepEqual(unexpected, [], 'only PlayErrors reach callers');
  assert.deepEqual(unhandled, [], 'no unhandled rejection');
  assert.ok(figures.busiestMinute <= BUDGET_PER_MINUTE, `busiest minute ${figures.busiestMinute}`);
  assert.equal(figures.refusedByRd, 0, 'RD never refused a call (short window respected)');
  assert.ok(figures.unrestrictsBusiest10s <= 4, `${figures.unrestrictsBusiest10s} unrestricts in 10 s`);
  assert.ok(stats.brakedMinutes > 0, 'the fair-use faults engaged the brake');
  assert.ok(stats.brakedMinutes < DAY_MINUTES / 2, 'and it let go again');
});
