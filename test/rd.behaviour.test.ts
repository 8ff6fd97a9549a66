// Real-Debrid as it really behaves (issue 12 items 4, 6, 7), each with the fake's knob turned on:
// a 40-file pack with a missing link is matched slowly (never more than 2 unrestricts at once,
// the player answered within the deadline with what is matched, the rest later); a 5-8 s unrestrict
// is one call and a success; a CDN 403 with the same URL again is a short rest, a 404 a dead file;
// a renamed single-file torrent plays the right file before its file list is loaded; a DELETE RD
// answers 404 is a success. Manual clock, real HTTP, real SQLite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rdRig } from './helpers/rd-rig.ts';
import { startHarness, postJson } from './helpers/harness.ts';
import { PlayError } from '../src/play/errors.ts';
import { CDN_BLOCK_MS, MATCH_WAIT_MS } from '../src/play/resolver.ts';
import { normalizeLink } from '../src/library/links.ts';
import { videoIdFromHash } from '../src/library/ids.ts';
import type { FakeRd, FakeTorrentSpec } from './fake-rd/index.ts';
import { progressText } from '../src/web/header.ts';
import type { LibraryProgress } from '../src/contract/web-api.ts';

const PACK: FakeTorrentSpec = {
  id: 'PACKFORTYFILE',
  filename: 'Studio.Collection.40.Scenes',
  linkMode: 'missing-link',
  missingIndex: 17,
  files: Array.from({ length: 40 }, (_, i) => ({ path: `/Studio.Collection.40.Scenes/Scene.${String(i + 1).padStart(2, '0')}.180.LR.mp4`, bytes: 1_000_000 + i })),
};

/** Most unrestricts open at the same time (from the fake's log: arrival and answer times). */
function mostAtOnce(fake: FakeRd): number {
  const u = fake.requests.filter((r) => r.route === 'unrestrict');
  return Math.max(0, ...u.map((r) => u.filter((o) => o.at <= r.at && (o.doneAt ?? Infinity) > r.at).length));
}

test('a 40-file pack with a missing link: no burst, the player answered within the deadline with what is matched, the rest later', async (t) => {
  const { clock, fake, sync, catalog, resolver, run } = await rdRig(t, [PACK]);
  await run(sync.refresh('full'));
  fake.setFault({ slowUnrestrict: { minMs: 5_000, maxMs: 8_000 } });
  const video = catalog.list()[0]!;
  const t0 = clock.now();
  const opened = await run(resolver.forPlayback(video, 'interactive'));
  const answeredIn = clock.now() - t0;
  assert.ok(answeredIn <= MATCH_WAIT_MS + 1_000, `answered after ${answeredIn} ms`);
  const matched = opened.videos.filter((f) => f.linkState === 'matched').length;
  assert.ok(matched >= 1 && matched < 39, `${matched} matched at the first answer`);
  assert.ok(fake.count('unrestrict') <= 4, `${fake.count('unrestrict')} unrestricts before the answer`);

  // The rest is matched in the background, paced; every file but the linkless one ends up matched.
  await run(new Promise<void>((resolve) => {
    const check = () => (catalog.get(video.id)!.videos.filter((f) => f.linkState === 'matched').length === 39 ? resolve() : clock.setTimer(check, 1_000));
    check();
  }));
  assert.equal(fake.count('unrestrict'), 39, 'each link once');
  assert.ok(mostAtOnce(fake) <= 2, `${mostAtOnce(fake)} unrestricts at once`);
  const times = fake.requests.filter((r) => r.route === 'unrestrict').map((r) => r.at);
  const most10s = Math.max(...times.map((a) => times.filter((b) => b >= a && b < a + 10_000).length));
  assert.ok(most10s <= 3, `${most10s} unrestricts in 10 s`);
  const again = await run(resolver.forPlayback(catalog.get(video.id)!, 'interactive'));
  assert.equal(again.videos.filter((f) => f.linkState === 'matched').length, 39);
  assert.equal(fake.count('unrestrict'), 39, 'the next open costs nothing');
  // The file without a link says so.
  const linkless = again.videos.find((f) => f.linkState !== 'matched')!;
  await assert.rejects(run(resolver.resolve(video.id, linkless.fileId, { priority: 'interactive' })), (e: unknown) => e instanceof PlayError && e.kind === 'missing-link');
});

test('a 5-8 s unrestrict is one call and a success for the player', async (t) => {
  const { fake, sync, catalog, resolver, run } = await rdRig(t, [{ filename: 'Slow.Scene.180.LR.mp4', files: [{ path: '/Slow.Scene.180.LR.mp4' }] }]);
  await run(sync.refresh('full'));
  fake.setFault({ slowUnrestrict: { minMs: 5_000, maxMs: 8_000 } });
  const v = catalog.list()[0]!;
  const r = await run(resolver.resolve(v.id, 1, { priority: 'interactive' }));
  assert.ok(r.download.startsWith(fake.url));
  assert.equal(fake.count('unrestrict'), 1, 'one unrestrict reached RD');
});

test('CDN 403 and the same URL again: a 10-minute rest, not a dead file; after a 404: dead', async (t) => {
  const { clock, fake, store, sync, catalog, resolver, run } = await rdRig(t, [
    { filename: 'Blocked.Scene.180.LR.mp4', files: [{ path: '/Blocked.Scene.180.LR.mp4' }] },
    { filename: 'Gone.Scene.180.LR.mp4', files: [{ path: '/Gone.Scene.180.LR.mp4' }] },
  ]);
  await run(sync.refresh('full'));
  const [a, b] = catalog.list();
  const first = await run(resolver.resolve(a!.id, 1, { priority: 'background' }));
  fake.setFault({ cdnDenied: 403, sameDownloadOnUnrestrict: true });
  assert.equal((await fetch(first.download, { method: 'HEAD' })).status, 403);
  await assert.rejects(run(resolver.resolve(a!.id, 1, { priority: 'background', refresh: true, cdnStatus: 403 })), (e: unknown) => {
    assert.ok(e instanceof PlayError && e.kind === 'upstream-busy', String(e));
    assert.equal(e.retryAfterMs, CDN_BLOCK_MS);
    return true;
  });
  const link = normalizeLink(first.file.link!);
  assert.equal(store.links.badState(link), null, 'not marked dead');
  const calls = fake.count('unrestrict');
  await assert.rejects(run(resolver.resolve(a!.id, 1, { priority: 'interactive' })), (e: unknown) => e instanceof PlayError && e.kind === 'upstream-busy');
  assert.equal(fake.count('unrestrict'), calls, 'resting: no call');
  await clock.advance(CDN_BLOCK_MS);
  fake.setFault({ cdnDenied: null, sameDownloadOnUnrestrict: false });
  const later = await run(resolver.resolve(a!.id, 1, { priority: 'interactive', refresh: true, cdnStatus: 403 }));
  assert.notEqual(later.download, first.download);
  assert.equal((await fetch(later.download, { method: 'HEAD' })).status, 200);

  const gone = await run(resolver.resolve(b!.id, 1, { priority: 'background' }));
  fake.setFault({ sameDownloadOnUnrestrict: true });
  await assert.rejects(run(resolver.resolve(b!.id, 1, { priority: 'background', refresh: true, cdnStatus: 404 })), (e: unknown) => e instanceof PlayError && e.kind === 'dead');
  assert.equal(store.links.badState(normalizeLink(gone.file.link!))?.kind, 'dead');
});

test('a single-file torrent RD renamed plays the right file before its file list is loaded', async (t) => {
  const spec: FakeTorrentSpec = {
    filename: 'Studio.Pack.2026',
    renamedToFile: true,
    files: [{ path: '/Studio.Pack.2026/cover.jpg', selected: false }, { path: '/Studio.Pack.2026/Scene.Two.180.LR.mp4', bytes: 7_000_000 }],
  };
  const { sync, catalog, resolver, run, fake } = await rdRig(t, [spec]);
  await run(sync.refresh('full'));
  const v = catalog.list()[0]!;
  assert.equal(v.filesKnown, false);
  assert.deepEqual(v.videos.map((f) => f.fileId), [1], 'offered as file 1 before the list is known');
  const before = fake.requests.length;
  const r = await run(resolver.resolve(v.id, 1, { priority: 'interactive' }));
  assert.equal(r.filename, 'Scene.Two.180.LR.mp4');
  // RD's listing named the one file, its size and its link: one call, no file list first.
  assert.deepEqual(fake.requests.slice(before).map((q) => q.route), ['unrestrict']);
});

test('a single-link torrent whose unrestrict is not the listed file goes the long way: file list first', async (t) => {
  // RD lists the torrent under a video name, but its one link is an archive of the files.
  const spec: FakeTorrentSpec = { filename: 'Packed.Scene.180.LR.mp4', files: [{ path: '/Packed.Scene.180.LR.rar', bytes: 9_000_000 }] };
  const { sync, catalog, resolver, run, fake } = await rdRig(t, [spec]);
  await run(sync.refresh('full'));
  const v = catalog.list()[0]!;
  assert.equal(v.filesKnown, false);
  const before = fake.requests.length;
  await assert.rejects(run(resolver.resolve(v.id, 1, { priority: 'interactive' })), (err: Error) => /archive|no such file|no video/i.test(err.message));
  const routes = fake.requests.slice(before).map((q) => q.route);
  assert.ok(routes.includes('info'), `the file list was asked for after the unrestrict did not match (${routes.join()})`);
  assert.equal(routes.filter((r) => r === 'unrestrict').length, 1, 'the unrestrict is asked once');
});

test('HereSphere delete of a torrent RD already deleted (404): removed here, answered as a success', async (t) => {
  const spec: FakeTorrentSpec = { filename: 'Already.Gone.180.LR.mp4', files: [{ path: '/Already.Gone.180.LR.mp4' }] };
  const h = await startHarness({ torrents: [spec], media: false, env: { ALLOW_DELETE: 'true', RD_INFO_BACKFILL_PER_MINUTE: '0' } });
  t.after(() => h.close());
  await postJson(`${h.url}/heresphere`, {});
  const torrent = h.fake.torrents()[0]!;
  const id = videoIdFromHash(torrent.hash!);
  h.fake.removeTorrent(torrent.id!);
  const r = await postJson(`${h.url}/heresphere/${id}`, { deleteFile: true });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(h.fake.requests.filter((q) => q.route === 'delete').map((q) => q.status).join(), '404');
  assert.equal(h.parts.catalog.get(id), null, 'gone from the library');
});

test('after a fair-use answer: /healthz and the browser status show the brake; a play is tried once and explained', async (t) => {
  const h = await startHarness({
    torrents: [
      { filename: 'One.Scene.180.LR.mp4', files: [{ path: '/One.Scene.180.LR.mp4' }] },
      { filename: 'Two.Scene.180.LR.mp4', files: [{ path: '/Two.Scene.180.LR.mp4' }] },
    ],
    media: false,
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0' },
  });
  t.after(() => h.close());
  await postJson(`${h.url}/heresphere`, {});
  const [a, b] = h.parts.catalog.list();
  h.fake.setFault({ fairUseAfterUnrestricts: { after: 0, code: 36 } });
  await assert.rejects(h.parts.resolver.resolve(a!.id, 1, { priority: 'background' }), (e: unknown) => e instanceof PlayError);
  const health = (await (await fetch(`${h.url}/healthz`)).json()) as { realDebrid: { backgroundUnrestricts: Record<string, unknown> } };
  assert.equal(health.realDebrid.backgroundUnrestricts.braked, true);
  assert.equal(health.realDebrid.backgroundUnrestricts.brakeCode, 36);
  assert.match(String(health.realDebrid.backgroundUnrestricts.message), /fair-use limit \(code 36\): background Real-Debrid work is paused until \d\d:\d\d UTC/);
  const lib = (await (await fetch(`${h.url}/api/library`)).json()) as { status: { backgroundUnrestricts: { paused: boolean } } };
  assert.equal(lib.status.backgroundUnrestricts.paused, true);
  // The browser header's progress line says it too (from /api/changes, which an open page polls).
  const changes = (await (await fetch(`${h.url}/api/changes`)).json()) as { progress: LibraryProgress };
  assert.match(String(changes.progress.accountPaused), /fair-use limit \(code 36\): background Real-Debrid work is paused until/);
  assert.match(progressText(changes.progress, Date.now()) ?? '', /^Real-Debrid protection: .*fair-use limit \(code 36\)/);

  const before = h.fake.count('unrestrict');
  const play = await fetch(`${h.url}/play/${b!.id}/1`, { redirect: 'manual' });
  assert.equal(play.status, 503);
  assert.match(((await play.json()) as { error: string }).error, /fair-use limit is reached \(RD error 36\)/);
  assert.ok(Number(play.headers.get('retry-after')) > 3000, 'told to come back when the brake ends');
  assert.equal(h.fake.count('unrestrict'), before + 1, 'the play reached RD once');
  await assert.rejects(h.parts.resolver.resolve(b!.id, 1, { priority: 'background' }), (e: unknown) => e instanceof PlayError && e.kind === 'cooldown');
  assert.equal(h.fake.count('unrestrict'), before + 1, 'background work sends nothing');
});
