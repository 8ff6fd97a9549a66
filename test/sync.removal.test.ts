// Nothing RD forgets is lost here (issue 12 items 1-3): a bad page never empties the library, a
// torrent deleted on RD leaves within one refresh (its info answers 404) whatever the head page's
// ETag says, a play of it says it was removed from Real-Debrid, its file list and the user's data
// stay, a re-add restores it with no RD call, and a mass removal waits for a second listing.
// Real SQLite in a temp dir, the fake RD over HTTP, one manual clock for both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateLibrary } from './fake-rd/index.ts';
import { rdRig } from './helpers/rd-rig.ts';
import { PlayError } from '../src/play/errors.ts';
import { CONFIRM_GAP_MS } from '../src/sync/removal-policy.ts';
import { videoIdFromHash } from '../src/library/ids.ts';

const rig = rdRig;

test('a bad page mid-listing ({} twice, as RD sends it) fails the refresh and removes nothing', async (t) => {
  const { fake, store, catalog, sync, run } = await rig(t, generateLibrary(400, { seed: 21 }));
  await run(sync.refresh('full'));
  const before = catalog.size;
  assert.equal(store.library.count(), 400);
  for (const kind of ['object', '204', 'html', 'short', 'repeat'] as const) {
    fake.setFault({ listFault: { kind, times: 50 } });
    await assert.rejects(run(sync.refresh('full')), /incomplete torrent list/, kind);
    assert.equal(store.library.count(), 400, `${kind}: nothing removed`);
    assert.equal(catalog.size, before);
    assert.match(sync.status().message ?? '', /incomplete torrent list/);
  }
  fake.setFault({ listFault: null, totalCountLie: { delta: -120 } });
  await assert.rejects(run(sync.refresh('full')));
  assert.equal(store.library.count(), 400, 'a total that lies low removes nothing');
});

test('a torrent deleted on RD leaves on the next refresh even with a 304 head; the play says so; its data stays; a re-add restores it with no info call', async (t) => {
  const { clock, fake, store, catalog, sync, resolver, run } = await rig(t, generateLibrary(300, { seed: 22 }));
  await run(sync.refresh('full'));
  const victim = fake.torrents().find((x) => x.files.length === 1 && (x.status ?? 'downloaded') === 'downloaded')!;
  const summary = store.library.get(victim.id!)!;
  await run(sync.ensureInfo(summary, 'background'));
  store.user.setFavorite(victim.hash!, true);
  store.user.setRating(victim.hash!, 4.5);
  catalog.reloadUser(victim.hash!);
  const videoId = videoIdFromHash(victim.hash!);
  assert.ok(catalog.get(videoId));

  fake.setFault({ notModifiedWithoutTotal: true });
  fake.removeTorrent(victim.id!);
  await clock.advance(61_000);
  await run(sync.refresh());
  assert.equal(store.library.get(victim.id!), null, 'gone from the library');
  assert.equal(catalog.get(videoId), null, 'gone from every player view');
  await assert.rejects(run(resolver.resolve(videoId, 1, { priority: 'interactive' })), (err: unknown) => {
    assert.ok(err instanceof PlayError && err.kind === 'not-found', String(err));
    assert.match(err.message, /removed from Real-Debrid/);
    return true;
  });
  assert.ok(store.library.getInfo(victim.id!), 'its file list is kept');
  assert.equal(store.user.get(victim.hash!).favorite, true);
  assert.equal(store.user.get(victim.hash!).rating, 4.5);

  // Re-added on RD (new torrent id, same hash): back at once, file list included, no info call.
  const { id: _old, ...spec } = victim;
  const back = fake.addTorrent({ ...spec });
  fake.clearLog();
  await clock.advance(61_000);
  await run(sync.refresh());
  const restored = catalog.get(videoId);
  assert.ok(restored, 'back in the library');
  assert.equal(restored.filesKnown, true, 'with its file list');
  assert.ok(store.library.getInfo(back.id!));
  assert.equal(fake.count('info'), 0, 'no info call');
  assert.equal(catalog.get(videoId)?.user.favorite, true);
});

test('a mass removal is held and logged until a second listing minutes later confirms it; a false one restores everything', async (t) => {
  const lib = generateLibrary(400, { seed: 23 });
  const { clock, fake, store, sync, run, lines } = await rig(t, lib);
  await run(sync.refresh('full'));
  const specs = fake.torrents().slice(100, 220).map((s) => ({ ...s }));
  for (const s of specs) fake.removeTorrent(s.id!);
  await run(sync.refresh('full'));
  assert.equal(store.library.count(), 400, 'held: nothing removed on the first listing');
  assert.ok(lines.some((l) => l.includes('nothing is removed until a second listing')), 'logged');
  assert.equal(fake.count('info'), 0, 'no 404 shortcut for a mass removal');
  await clock.advance(CONFIRM_GAP_MS - 60_000);
  await run(sync.refresh('full'));
  assert.equal(store.library.count(), 400, 'a second listing too soon confirms nothing');

  // RD "finds" 20 of them again: those come back untouched, the other 100 leave once confirmed.
  for (const s of specs.slice(0, 20)) fake.addTorrent(s);
  await clock.advance(60_000);
  await run(sync.refresh('full'));
  assert.equal(store.library.count(), 300);
  for (const s of specs.slice(0, 20)) assert.ok(store.library.get(s.id!), `${s.id} kept`);
  assert.equal(store.library.missingState().size, 300);
  assert.ok([...store.library.missingState().values()].every((v) => v === null), 'no missing mark left');
});
