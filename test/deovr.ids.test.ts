// DeoVR keys its per-video player settings by `id` (DEO-DOC "IMPORTANT"), so the id must be
// stable: across a server restart, across the torrent being re-added under a new RD id with the
// same hash, and unique across a large library. It is also small (1, 2, 3…, as in DeoVR's own
// examples and XBVR): a 52-bit number fails wherever DeoVR reads a 32-bit int.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './helpers/harness.ts';
import { generateLibrary, type FakeTorrentSpec } from './fake-rd/index.ts';
import { formatVideo } from '../src/api/deovr/format.ts';

const SPEC: FakeTorrentSpec = {
  id: 'ORIGINAL00001',
  hash: 'c0ffee00112233445566778899aabbccddeeff00',
  filename: 'Stable.Scene.180.LR.mp4',
  files: [{ path: '/Stable.Scene.180.LR.mp4', bytes: 1_000_000 }],
};
const OTHER: FakeTorrentSpec = {
  id: 'OTHERTORRENT1',
  hash: 'beef0000112233445566778899aabbccddeeff01',
  filename: 'Other.Scene.360.TB.mp4',
  files: [{ path: '/Other.Scene.360.TB.mp4', bytes: 2_000_000 }],
};

async function deoIds(url: string): Promise<Map<string, number>> {
  const lib = (await (await fetch(`${url}/deovr`)).json()) as { scenes: Array<{ list: Array<{ title: string; video_url: string }> }> };
  const out = new Map<string, number>();
  for (const item of lib.scenes.flatMap((s) => s.list)) {
    const r = await fetch(item.video_url);
    assert.equal(r.status, 200);
    out.set(item.video_url.split('/').pop()!, ((await r.json()) as { id: number }).id);
  }
  return out;
}

test('id is stable across a restart and across re-adding the torrent under a new RD id', async (t) => {
  const h = await startHarness({ torrents: [SPEC, OTHER], media: false });
  t.after(() => h.close());
  const before = await deoIds(h.url);
  assert.equal(before.size, 2);
  assert.equal(new Set(before.values()).size, 2, 'two videos, two ids');
  assert.deepEqual([...before.values()].sort(), [1, 2], 'small numbers, oldest first');

  await h.restart();
  assert.deepEqual(await deoIds(h.url), before, 'same ids after a restart');

  h.fake.removeTorrent(SPEC.id!);
  h.fake.addTorrent({ ...SPEC, id: 'READDED00001' });
  await h.parts.sync.refresh('full');
  const video = h.parts.catalog.list().find((v) => v.hash === SPEC.hash)!;
  assert.equal(video.torrentId, 'READDED00001', 'the catalog sees the new RD torrent');
  assert.deepEqual(await deoIds(h.url), before, 'same ids (and same video URLs) after the re-add');
  h.fake.addTorrent({ id: 'NEWCOMER00001', hash: 'abcdef00112233445566778899aabbccddeeff02', filename: 'New.Scene.180.LR.mp4', files: [{ path: '/New.Scene.180.LR.mp4', bytes: 3_000_000 }] });
  await h.parts.sync.refresh('full');
  const withNew = await deoIds(h.url);
  assert.equal(withNew.size, 3);
  assert.deepEqual([...withNew.values()].sort(), [1, 2, 3], 'a new video gets the next number');
  await h.restart();
  assert.deepEqual(await deoIds(h.url), withNew, 'kept after another restart');
});

test('ids are unique across a generated 2,000-torrent library', async (t) => {
  const h = await startHarness({ torrents: generateLibrary(2000, { seed: 7 }), media: false });
  t.after(() => h.close());
  const lib = (await (await fetch(`${h.url}/deovr`)).json()) as { scenes: Array<{ list: Array<{ video_url: string }> }> };
  const urls = lib.scenes.flatMap((s) => s.list.map((i) => i.video_url));
  assert.equal(urls.length, 2000);
  assert.equal(new Set(urls).size, 2000, 'every video listed once');
  // Every id as the video route formats it (the same pure formatter, over the real catalog) ...
  const u = { asset: (p: string) => h.url + p };
  const ids = h.parts.catalog.list().map((v) => formatVideo(v, u).id);
  assert.equal(ids.length, 2000);
  assert.equal(new Set(ids).size, 2000, 'no two videos share a DeoVR id');
  assert.ok(ids.every((id) => Number.isInteger(id) && id >= 1 && id <= 2000), 'small: 1..2000 (a 32-bit int, as DeoVR expects)');
  // ... and over HTTP for a sample, the same numbers.
  for (const url of [urls[0]!, urls[999]!, urls[1999]!]) {
    const v = h.parts.catalog.get(url.split('/').pop()!)!;
    const json = (await (await fetch(url)).json()) as { id: number };
    assert.equal(json.id, formatVideo(v, u).id);
  }
});

test('a data dir from before video numbers gets them on upgrade, oldest video first', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Sql } = await import('../src/store/db.ts');
  const { MIGRATIONS } = await import('../src/store/schema.ts');
  const { openStore, DEFAULT_DB_FILE } = await import('../src/store/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'ds-numbers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const old = new Sql(join(dir, DEFAULT_DB_FILE));
  old.exec(MIGRATIONS[0]!);
  old.exec('PRAGMA user_version = 1');
  const row = (id: string, hash: string, added: string) =>
    old.run("INSERT INTO torrents (id, hash, filename, bytes, status, progress, added, links) VALUES (?, ?, 'x.mp4', 1, 'downloaded', 100, ?, '[]')", id, hash, added);
  row('NEWER', 'BBBB000000000000000000000000000000000000', '2024-05-01T00:00:00.000Z');
  row('OLDER', 'aaaa000000000000000000000000000000000000', '2023-01-01T00:00:00.000Z');
  old.close();
  const store = openStore(dir);
  t.after(() => store.close());
  assert.deepEqual([...store.library.allNumbers()].sort((a, b) => a[1] - b[1]), [
    ['aaaa000000000000000000000000000000000000', 1],
    ['bbbb000000000000000000000000000000000000', 2],
  ]);
});
