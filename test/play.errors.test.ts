// /play end to end against the fake RD: each way RD can refuse a file becomes its own clear HTTP
// answer (410 dead, 451 blocked, 422 archive, 502 bad token), and a file's unrestricted link is
// reused for 2 hours, then asked for again once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { ARCHIVE, type FakeTorrentSpec } from './fake-rd/index.ts';
import { ensureSamples } from './fake-rd/samples.ts';

let h: Harness;
/** The server's clock runs in real time; tests jump it forward (the RD budget refills on the same clock). */
let skipped = 0;
const HOUR = 3600_000;

before(async () => {
  const samples = await ensureSamples();
  const one = (name: string): FakeTorrentSpec => ({ filename: name, files: [{ path: `/${name}`, source: samples.flat.path }] });
  h = await startHarness({ now: () => Date.now() + skipped, torrents: [one('Dead.File.mp4'), one('Blocked.File.mp4'), one('Reused.File.mp4'), one('Token.File.mp4'), ARCHIVE] });
  await postJson(`${h.url}/heresphere`, {}); // first sync
});
after(async () => {
  await h?.close();
});

/** The /play URL of a video's first file, from its HereSphere object (which never unrestricts). */
async function playUrl(title: RegExp): Promise<string> {
  const v = h.parts.catalog.list().find((x) => title.test(x.title));
  assert.ok(v, `no video matches ${title}`);
  const obj = await postJson(`${h.url}/heresphere/${v.id}`, {});
  // Opening a video queues a probe, which unrestricts in the background: let it finish so the
  // one-shot faults below meet the player's request, not the probe's.
  await h.parts.media.onIdle();
  skipped += 2 * HOUR + 60_000; // and age its link past the player's 2 h reuse: /play asks RD afresh
  const url = obj.json.media[0]?.sources[0]?.url as string | undefined;
  assert.ok(url, `${v.title} offers a media source`);
  return url;
}

async function refusedWith(url: string, status: number, kind: string): Promise<void> {
  const r = await fetch(url, { redirect: 'manual' });
  assert.equal(r.status, status, `${url}: ${r.status} ${JSON.stringify(h.fake.requests.slice(-4))}`);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const body = (await r.json()) as { error: string; kind: string };
  assert.equal(body.kind, kind);
  assert.ok(body.error.length > 10, 'a sentence a person can act on');
  assert.doesNotMatch(JSON.stringify(body), new RegExp(h.fake.token));
}

test('a dead file answers 410, a blocked one 451; neither is retried at once', async () => {
  const dead = await playUrl(/Dead File/);
  h.fake.setFault({ failNext: { route: 'unrestrict', status: 503, body: { error: 'unavailable_file', error_code: 24 }, times: 1 } });
  await refusedWith(dead, 410, 'dead');
  const calls = h.fake.count('unrestrict');
  await refusedWith(dead, 410, 'dead'); // remembered: the player's retry costs no RD call
  assert.equal(h.fake.count('unrestrict'), calls);
  const blocked = await playUrl(/Blocked File/);
  h.fake.setFault({ failNext: { route: 'unrestrict', status: 451, body: { error: 'infringing_file', error_code: 35 }, times: 1 } });
  await refusedWith(blocked, 451, 'blocked');
});

test('an archived pack answers 422 with what to do, without asking RD to unrestrict', async () => {
  const v = h.parts.catalog.list().find((x) => /Trilogy/.test(x.title))!;
  const full = await postJson(`${h.url}/heresphere/${v.id}`, {});
  assert.deepEqual(full.json.media, [], 'an archive is not offered as a stream');
  const file = h.parts.catalog.get(v.id)!.videos[0]!;
  const url = `${h.url}/play/${v.id}/${file.fileId}`;
  const calls = h.fake.count('unrestrict');
  const r = await fetch(url, { redirect: 'manual' });
  if (r.status === 302) assert.fail('an archive must not be offered as a stream');
  assert.equal(r.status, 422);
  const body = (await r.json()) as { error: string; kind: string };
  assert.equal(body.kind, 'archive');
  assert.match(body.error, /archive/i);
  assert.ok(h.fake.count('unrestrict') - calls <= 1, 'at most the one call that revealed the archive');
});

test('a link is reused for 2 hours, then unrestricted again once', async () => {
  const url = await playUrl(/Reused File/);
  const first = h.fake.count('unrestrict');
  for (let i = 0; i < 3; i++) assert.equal((await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) })).status, 302);
  assert.equal(h.fake.count('unrestrict'), first + 1);
  skipped += 2 * HOUR - 60_000;
  assert.equal((await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) })).status, 302);
  assert.equal(h.fake.count('unrestrict'), first + 1, 'still within 2 h: no RD call');
  skipped += 2 * 60_000;
  for (let i = 0; i < 3; i++) assert.equal((await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) })).status, 302);
  assert.equal(h.fake.count('unrestrict'), first + 2, 'past 2 h: one fresh unrestrict, then reused');
});

test('a busy RD account (too many active downloads) answers 503 with Retry-After and does not mark the file dead', async () => {
  const fresh = await playUrl(/Token File/);
  h.fake.setFault({ failNext: { route: 'unrestrict', status: 509, body: { error: 'too_many_active_downloads', error_code: 21 }, times: 1 } });
  const r = await fetch(fresh, { redirect: 'manual' });
  assert.equal(r.status, 503, JSON.stringify(await r.clone().json()));
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.equal(((await r.json()) as { kind: string }).kind, 'upstream-busy');
  assert.equal((await fetch(fresh, { redirect: 'manual' })).status, 302, 'the next try works: nothing was remembered as dead');
});

test('a player joins a background unrestrict of the same link briefly, then makes its own call', async () => {
  const v = h.parts.catalog.list().find((x) => /Reused File/.test(x.title))!;
  const fileId = v.videos[0]!.fileId;
  skipped += 25 * HOUR; // every cached link is stale, for the background's 24 h reuse too
  // A quick background call (a probe's): the player shares it.
  let calls = h.fake.count('unrestrict');
  const bg = h.parts.resolver.resolve(v.id, fileId, { priority: 'background' });
  const player = await h.parts.resolver.resolve(v.id, fileId, { priority: 'interactive' });
  assert.equal((await bg).download, player.download);
  assert.equal(h.fake.count('unrestrict') - calls, 1, 'one RD call for both');
  // A background call stuck far longer than a player may wait: the player makes its own.
  skipped += 25 * HOUR;
  h.fake.setFault({ latencyMs: { unrestrict: 3000 } });
  calls = h.fake.count('unrestrict');
  const slow = h.parts.resolver.resolve(v.id, fileId, { priority: 'background' });
  await h.parts.resolver.resolve(v.id, fileId, { priority: 'interactive' });
  await slow;
  h.fake.setFault({ latencyMs: 0 });
  assert.equal(h.fake.count('unrestrict') - calls, 2);
});

// Last: a rejected token stops every RD call of this server until it is fixed.
test('a rejected RD token answers 502 naming the setting, never the token', async () => {
  const url = await playUrl(/Token File/);
  h.fake.setFault({ failNext: { route: 'unrestrict', status: 401, body: { error: 'bad_token', error_code: 8 }, times: 1 } });
  await refusedWith(url, 502, 'token');
  const calls = h.fake.count();
  await refusedWith(url, 502, 'token'); // a rejected token stops RD calls until it is fixed: no hammering
  assert.equal(h.fake.count(), calls);
});
