// A full listing is trusted only when complete and consistent (issue 12 item 1): every bad page
// RD is known to send mid-listing ({} / 204 / HTML / not an array / short / repeated ids) and a
// lying or changing X-Total-Count cost one redo; a second bad pass is an error, never a shorter
// library. Against the fake RD over real HTTP, pages of 100 so "mid-listing" is page 2 of 5.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { RdClient, RdScheduler } from '../src/realdebrid/index.ts';
import { generateLibrary, startFakeRd, type FakeListFaultKind, type FakeRd } from './fake-rd/index.ts';

const SIZE = 450;

async function setup(): Promise<{ fake: FakeRd; client: RdClient }> {
  const fake = await startFakeRd({ torrents: generateLibrary(SIZE, { seed: 11 }), maxPageSize: 100, rateLimit: false });
  const scheduler = new RdScheduler({ callsPerMinute: 250, burst: 250 });
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, sleep: async () => {} });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  return { fake, client };
}

const KINDS: FakeListFaultKind[] = ['object', '204', 'html', 'not-array', 'short', 'repeat'];

for (const kind of KINDS) {
  test(`a "${kind}" page mid-listing: listed again, every torrent kept; twice in a row: an error, nothing shorter`, async () => {
    const { fake, client } = await setup();
    fake.setFault({ listFault: { kind, times: 1 } });
    const res = await client.listAllTorrents();
    assert.equal(new Set(res.torrents.map((t) => t.id)).size, SIZE);
    assert.equal(res.torrents.length, SIZE);
    assert.ok(res.calls > 5, `a redo after the bad page (${res.calls} calls)`);
    // Every pass meets a bad page (two are in flight at once): the listing fails instead of returning fewer torrents.
    fake.setFault({ listFault: { kind, times: 10 } });
    await assert.rejects(client.listAllTorrents(), /incomplete torrent list/);
  });
}

test('an X-Total-Count that lies (too small, too large) or changes after page 1 never yields a listing', async () => {
  const { fake, client } = await setup();
  for (const lie of [{ delta: -3 }, { delta: 7 }, { delta: 1, afterFirstPage: true }]) {
    fake.setFault({ totalCountLie: lie });
    await assert.rejects(client.listAllTorrents(), /incomplete torrent list/, JSON.stringify(lie));
  }
  fake.setFault({ totalCountLie: null });
  assert.equal((await client.listAllTorrents()).torrents.length, SIZE);
});

test('`{}` as the first page of a non-empty library is not an empty library', async () => {
  const { fake, client } = await setup();
  fake.setFault({ listFault: { kind: 'object', times: 2, firstPage: true } });
  await assert.rejects(client.listAllTorrents(), /incomplete torrent list/);
});
