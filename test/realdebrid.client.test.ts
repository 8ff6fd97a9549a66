// The typed RD client against the fake RD over real HTTP: listing thousands of torrents in the
// fewest calls, tolerant empty pages, ETags, the redo when the library moves mid-scan, info /
// unrestrict / delete, and token problems that stop every call.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  RD_MAX_PAGE_SIZE,
  RdAuthError,
  RdClient,
  RdNotFoundError,
  RdPermissionError,
  RdScheduler,
  toInfo,
} from '../src/realdebrid/index.ts';
import { generateLibrary, startFakeRd, type FakeRd, type FakeRdOptions } from './fake-rd/index.ts';

async function setup(opts: FakeRdOptions = {}): Promise<{ fake: FakeRd; client: RdClient; scheduler: RdScheduler }> {
  const fake = await startFakeRd(opts);
  const scheduler = new RdScheduler();
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, sleep: async () => {} });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  return { fake, client, scheduler };
}

const PACK = {
  id: 'PACKAAAAAAAAA',
  filename: 'Pack',
  files: [
    { path: '/Pack/Scene01.8K.LR.mp4', bytes: 1000 },
    { path: '/Pack/junk.txt', bytes: 10, selected: false },
    { path: '/Pack/Scene01.8K.LR.srt', bytes: 20 },
  ],
};

test('a 12,000-torrent library lists in ceil(12000/5000) = 3 calls, no 429, every id once, newest first', async () => {
  const { fake, client } = await setup({ torrents: generateLibrary(12_000, { seed: 7 }) });
  const progress: [number, number][] = [];
  const res = await client.listAllTorrents('background', (done, total) => progress.push([done, total]));
  assert.equal(Math.ceil(12_000 / RD_MAX_PAGE_SIZE), 3);
  assert.equal(res.calls, 3);
  assert.equal(fake.count('torrents'), 3);
  assert.equal(fake.requests.filter((r) => r.status === 429).length, 0);
  assert.equal(res.total, 12_000);
  assert.equal(res.torrents.length, 12_000);
  assert.equal(new Set(res.torrents.map((t) => t.id)).size, 12_000);
  assert.deepEqual(
    res.torrents.slice(0, 3).map((t) => t.id),
    fake.torrents().slice(0, 3).map((t) => t.id),
  );
  assert.deepEqual(progress.at(-1), [12_000, 12_000]);
  assert.ok(fake.requests.every((r) => r.authorized && r.path.includes(`limit=${RD_MAX_PAGE_SIZE}`)));
});

test('a server that caps the page size is paged with its size', async () => {
  const { fake, client } = await setup({ torrents: generateLibrary(2_500, { seed: 3 }), maxPageSize: 1000 });
  const res = await client.listAllTorrents();
  assert.equal(res.calls, 3);
  assert.equal(fake.count('torrents'), 3);
  assert.equal(new Set(res.torrents.map((t) => t.id)).size, 2_500);
});

test('empty pages: 204 and `{}` are unreadable, never "no torrents"; only `[]` is empty; an empty library is empty', async () => {
  const { fake, client } = await setup({ torrents: [PACK] });
  for (const emptyPage of ['204', 'object', null] as const) {
    fake.setFault({ emptyPage });
    const page = await client.listTorrentsPage({ page: 2, limit: 100 });
    assert.deepEqual(page.torrents, [], `emptyPage ${emptyPage}`);
    assert.equal(page.readable, emptyPage === null, `emptyPage ${emptyPage}`);
    assert.equal(page.total, 1);
  }
  const { fake: empty, client: emptyClient } = await setup({ torrents: [] });
  empty.setFault({ emptyPage: '204' });
  const all = await emptyClient.listAllTorrents();
  assert.deepEqual(all, { torrents: [], total: 0, calls: 1 });
});

test('ETag: an unchanged head answers 304 → notModified', async () => {
  const { client } = await setup({ torrents: generateLibrary(30, { seed: 1 }) });
  const first = await client.listTorrentsPage({ page: 1, limit: 50 });
  assert.equal(first.torrents.length, 30);
  assert.ok(first.etag);
  const again = await client.listTorrentsPage({ page: 1, limit: 50, etag: first.etag });
  assert.equal(again.notModified, true);
  assert.deepEqual(again.torrents, []);
});

test('a library that changes during the scan is listed again once, without duplicates', async () => {
  const { fake, client } = await setup({ torrents: generateLibrary(6_000, { seed: 5 }), latencyMs: { torrents: 20 } });
  let added = false;
  const res = await client.listAllTorrents('background', () => {
    if (added) return;
    added = true;
    fake.addTorrent({ id: 'NEWNEWNEWNEW1', filename: 'Brand New.mp4', files: [{ path: '/Brand New.mp4' }] });
  });
  assert.equal(res.calls, 4, '2 pages, then 2 pages again');
  assert.equal(res.torrents.length, 6_001);
  assert.equal(new Set(res.torrents.map((t) => t.id)).size, 6_001);
  assert.ok(res.torrents.some((t) => t.id === 'NEWNEWNEWNEW1'));
});

test('user, info, unrestrict (form-encoded POST), delete', async () => {
  const { fake, client } = await setup({ torrents: [PACK] });
  const user = await client.user();
  assert.equal(user.type, 'premium');
  const info = await client.torrentInfo(PACK.id);
  const model = toInfo(info);
  assert.deepEqual(
    model.files.map((f) => [f.id, f.selected]),
    [
      [1, true],
      [2, false],
      [3, true],
    ],
  );
  assert.equal(model.links.length, 2);
  const un = await client.unrestrictLink(model.links[0]!, 'background');
  assert.ok(un.download.startsWith(fake.url + '/d/'));
  assert.match(un.filename, /Scene01/);
  await client.deleteTorrent(PACK.id);
  await assert.rejects(client.torrentInfo(PACK.id), RdNotFoundError);
  assert.equal(await client.deleteTorrent(PACK.id), 'already-gone', 'a DELETE answered 404 is what the caller wanted');
  assert.ok(fake.requests.every((r) => r.authorized));
});

test('no token configured: nothing is sent, the error says what to set', async () => {
  const fake = await startFakeRd();
  const scheduler = new RdScheduler();
  const client = new RdClient({ baseUrl: fake.apiUrl, token: null, scheduler });
  after(async () => {
    scheduler.close();
    await fake.close();
  });
  assert.equal(client.hasToken, false);
  await assert.rejects(client.user(), (e: unknown) => e instanceof RdAuthError && /RD_API_TOKEN/.test(e.message));
  assert.equal(fake.count(), 0);
});

test('a rejected token stops every call until resetAuth; locked accounts are permission errors', async () => {
  const { fake, client, scheduler } = await setup({ torrents: [PACK] });
  const good = fake.token;
  fake.setToken('SOMEONE0ELSE0TOKEN00');
  await assert.rejects(client.user(), RdAuthError);
  const sent = fake.count();
  await assert.rejects(client.torrentInfo(PACK.id, 'background'), RdAuthError);
  await assert.rejects(client.unrestrictLink('https://real-debrid.com/d/AAAAAAAAAAAAA'), RdAuthError);
  assert.equal(fake.count(), sent, 'fail fast: no request after the token was rejected');
  assert.equal(scheduler.snapshot().tokenRejected, true);
  fake.setToken(good);
  scheduler.resetAuth();
  assert.equal((await client.user()).type, 'premium');

  const { client: locked } = await setup({ accountType: 'locked' });
  await assert.rejects(locked.user(), RdPermissionError);
});
