// Round trips through every repo of the store on real SQLite files: what goes in comes out as
// plain model objects, the library listing replaces what left (infos and matches with it) while
// user data keyed by hash stays, data survives reopening, and migrations are idempotent.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'libsql';
import type { TorrentInfo, TorrentSummary, UserData } from '../src/library/model.ts';
import { EMPTY_USER_DATA } from '../src/library/model.ts';
import { mediaKeyString, openStore, SCHEMA_VERSION, type Store } from '../src/store/index.ts';
import { decodeInfo, encodeInfo } from '../src/store/library.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ds-store-'));
  dirs.push(d);
  return d;
}
/** A fresh store closed when the test ends. */
function fresh(t: { after: (fn: () => void) => void }, dir = tempDir()): Store {
  const store = openStore(dir);
  t.after(() => store.close());
  return store;
}

function summary(n: number, over: Partial<TorrentSummary> = {}): TorrentSummary {
  return {
    id: `T${n}`,
    hash: n.toString(16).padStart(40, 'c'),
    filename: `Scene.${n}.180.LR.mp4`,
    bytes: 5_000_000_000 + n,
    status: 'downloaded',
    progress: 100,
    added: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
    ended: new Date(Date.UTC(2024, 0, 1) + n * 60_000 + 5000).toISOString(),
    links: [`https://real-debrid.com/d/LINK${n}A`, `https://real-debrid.com/d/LINK${n}B`],
    ...over,
  };
}
function info(n: number, over: Partial<TorrentInfo> = {}): TorrentInfo {
  return {
    ...summary(n),
    originalFilename: `Scene ${n} original`,
    files: [
      { id: 1, path: `/Scene.${n}/part1.mp4`, bytes: 2_500_000_000, selected: true },
      { id: 2, path: `/Scene.${n}/Sample/sample.mp4`, bytes: 1000, selected: false },
      { id: 3, path: `/Scene.${n}/part2.mp4`, bytes: 2_500_000_000 + n, selected: true },
    ],
    ...over,
  };
}
const emptyUser = (): UserData => ({ ...EMPTY_USER_DATA, tags: [] });
const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);

describe('library', () => {
  test('replaceAll adds, changes and removes; counts only real changes', (t) => {
    const s = fresh(t);
    const list = [1, 2, 3, 4].map((n) => summary(n));
    assert.deepEqual(s.library.replaceAll(list), { added: 4, removed: 0, changed: 0 });
    assert.deepEqual(s.library.all().sort(byId), list);
    assert.equal(s.library.count(), 4);
    assert.deepEqual(s.library.get('T2'), list[1]);
    assert.equal(s.library.get('nope'), null);

    assert.deepEqual(s.library.replaceAll(list), { added: 0, removed: 0, changed: 0 });
    const next = [summary(1), summary(2, { status: 'dead', links: [] }), summary(4), summary(5)];
    assert.deepEqual(s.library.replaceAll(next), { added: 1, removed: 1, changed: 1 });
    assert.deepEqual(s.library.all().sort(byId), next);
    assert.equal(s.library.get('T3'), null);
  });

  test('duplicate ids in a listing: the first wins', (t) => {
    const s = fresh(t);
    const r = s.library.replaceAll([summary(1), summary(1, { filename: 'second' })]);
    assert.deepEqual(r, { added: 1, removed: 0, changed: 0 });
    assert.equal(s.library.get('T1')?.filename, summary(1).filename);
  });

  test('replaceAll drops infos and link matches of gone torrents but keeps user data by hash', (t) => {
    const s = fresh(t);
    s.library.replaceAll([summary(1), summary(2)]);
    s.library.putInfo(info(1));
    s.library.putInfo(info(2));
    s.links.putMatches('T2', new Map([[1, 'https://real-debrid.com/d/X']]));
    s.user.setFavorite(summary(2).hash, true);
    s.library.replaceAll([summary(1)]);
    assert.equal(s.library.getInfo('T2'), null);
    assert.equal(s.library.infosFor(['T1', 'T2']).size, 1);
    assert.equal(s.links.allMatches().get('T2')?.size ?? 0, 0);
    assert.equal(s.user.get(summary(2).hash).favorite, true);
    // re-added under a new RD id: the user data is there again
    s.library.upsertMany([summary(2, { id: 'T2-readded' })]);
    assert.equal(s.user.get(s.library.get('T2-readded')!.hash).favorite, true);
  });

  test('upsertMany counts added or changed rows and deletes nothing; remove deletes', (t) => {
    const s = fresh(t);
    s.library.replaceAll([summary(1), summary(2)]);
    assert.equal(s.library.upsertMany([summary(1), summary(2, { progress: 50 }), summary(3)]), 2);
    assert.equal(s.library.upsertMany([]), 0);
    assert.equal(s.library.count(), 3);
    s.library.putInfo(info(3));
    s.library.remove(['T3', 'T1', 'unknown']);
    assert.deepEqual(s.library.all().map((x) => x.id), ['T2']);
    assert.equal(s.library.getInfo('T3'), null);
  });

  test('hashes are stored lower-case', (t) => {
    const s = fresh(t);
    s.library.upsertMany([summary(1, { hash: 'ABCDEF' })]);
    assert.equal(s.library.get('T1')?.hash, 'abcdef');
  });

  test('infos round-trip exactly, in every shape', (t) => {
    const s = fresh(t);
    const shapes: TorrentInfo[] = [
      info(1),
      info(2, { originalFilename: null, ended: null, links: [], files: [] }),
      info(3, { originalFilename: summary(3).filename }),
      info(4, { links: ['https://real-debrid.com/d/A', 'https://other.example/d/B', 'weird'], files: [{ id: 7, path: 'no-slash.mkv', bytes: 0, selected: false }] }),
      info(5, { files: [{ id: 1, path: '/a/x.mp4', bytes: 1, selected: true }, { id: 2, path: '/b/x.mp4', bytes: 2, selected: true }] }),
      info(6, { links: ['https://real-debrid.com/d/ONLY'], files: [{ id: 1, path: '/only.mp4', bytes: 9, selected: true }] }),
    ];
    for (const i of shapes) s.library.putInfo(i);
    for (const i of shapes) assert.deepEqual(s.library.getInfo(i.id), i);
    const all = s.library.infosFor(shapes.map((i) => i.id));
    assert.equal(all.size, shapes.length);
    for (const i of shapes) assert.deepEqual(all.get(i.id), i);
    assert.equal(s.library.getInfo('T999'), null);
    // the encoding is shorter than plain JSON for the common shape
    assert.ok(encodeInfo(info(1)).length < JSON.stringify(info(1)).length);
    assert.equal(decodeInfo('x', 'not json'), null);
    assert.equal(decodeInfo('x', '[99]'), null);
  });

  test('putInfo for an unknown torrent creates its summary; a known summary is left alone', (t) => {
    const s = fresh(t);
    s.library.putInfo(info(1));
    const { originalFilename: _o, files: _f, ...sum } = info(1);
    assert.deepEqual(s.library.get('T1'), sum);
    s.library.upsertMany([summary(2, { status: 'downloading', progress: 40 })]);
    s.library.putInfo(info(2));
    assert.equal(s.library.get('T2')?.status, 'downloading');
    assert.equal(s.library.getInfo('T2')?.status, 'downloaded');
  });

  test('idsMissingInfo: downloaded torrents without a downloaded info, newest first, limited', (t) => {
    const s = fresh(t);
    s.library.replaceAll([
      summary(1),
      summary(2),
      summary(3, { status: 'downloading' }),
      summary(4),
      summary(5),
    ]);
    s.library.putInfo(info(2));
    s.library.putInfo(info(4, { status: 'downloading' })); // stale: taken before the download finished
    assert.deepEqual(s.library.idsMissingInfo(10), ['T5', 'T4', 'T1']);
    assert.deepEqual(s.library.idsMissingInfo(2), ['T5', 'T4']);
    assert.deepEqual(s.library.idsMissingInfo(0), []);
    // The players' first tab is Favorites: a favorite's file list comes before newer torrents'.
    s.user.setFavorite(summary(1).hash, true);
    assert.deepEqual(s.library.idsMissingInfo(2), ['T1', 'T5']);
  });

  test('rows are plain model objects (no driver metadata)', (t) => {
    const s = fresh(t);
    s.library.replaceAll([summary(1)]);
    s.library.putInfo(info(1));
    assert.deepEqual(Object.keys(s.library.get('T1')!).sort(), Object.keys(summary(1)).sort());
    assert.deepEqual(Object.keys(s.library.getInfo('T1')!).sort(), Object.keys(info(1)).sort());
    assert.deepEqual(Object.keys(s.user.get('h')).sort(), Object.keys(EMPTY_USER_DATA).sort());
  });
});

describe('user', () => {
  test('unknown hash gives fresh empty values', (t) => {
    const s = fresh(t);
    const u = s.user.get('nothing');
    assert.deepEqual(u, emptyUser());
    u.tags.push({ name: 'mutated' });
    assert.deepEqual(s.user.get('nothing').tags, []);
    assert.equal(s.user.all().size, 0);
  });

  test('every field round-trips; hashes are case-insensitive; survives reopening', (t) => {
    const dir = tempDir();
    const s = openStore(dir);
    const h = 'ABCDEF0123';
    s.user.setFavorite(h, true);
    s.user.setRating(h, 3.5);
    s.user.setTags(h, [{ name: 'Position:Standing', start: 10, end: 20.5, track: 1, rating: 4 }, { name: 'Plain' }]);
    s.user.setWatched(h, true);
    s.user.putHsp(h, Buffer.from([0, 1, 2, 255]));
    s.user.recordClose(h, 61_234.4, true, false, '2024-05-01T10:00:00.000Z');
    s.user.setProjection(h, { projection: 'fisheye', stereo: 'tb', fov: 200 }, '2024-05-01T10:00:00.000Z');
    s.close();

    const r = fresh(t, dir);
    const expected = {
      favorite: true,
      rating: 3.5,
      tags: [{ name: 'Position:Standing', start: 10, end: 20.5, track: 1, rating: 4 }, { name: 'Plain' }],
      hasHsp: true,
      playCount: 1,
      resumeMs: 61_234,
      watched: true,
      lastPlayedAt: '2024-05-01T10:00:00.000Z',
      projection: { projection: 'fisheye', stereo: 'tb', fov: 200 },
    };
    assert.deepEqual(r.user.get('abcdef0123'), expected);
    assert.deepEqual(r.user.all(), new Map([['abcdef0123', expected]]));
    assert.deepEqual(r.user.getHsp(h), Buffer.from([0, 1, 2, 255]));
    assert.equal(r.user.getHsp('other'), null);

    r.user.setFavorite(h, false);
    r.user.setRating(h, 0);
    r.user.setTags(h, []);
    r.user.setWatched(h, false);
    const cleared = r.user.get(h);
    assert.deepEqual([cleared.favorite, cleared.rating, cleared.tags, cleared.watched], [false, 0, [], false]);
  });

  test('playback bookkeeping: open, position, close', (t) => {
    const s = fresh(t);
    s.user.recordOpen('h', '2024-01-01T00:00:00.000Z');
    assert.equal(s.user.get('h').lastPlayedAt, '2024-01-01T00:00:00.000Z');
    s.user.recordPosition('h', 5000, '2024-01-01T00:01:00.000Z');
    assert.equal(s.user.get('h').resumeMs, 5000);
    s.user.recordClose('h', 9000, false, false, '2024-01-01T00:02:00.000Z');
    assert.deepEqual(pick(s.user.get('h')), { playCount: 0, watched: false, resumeMs: 9000, lastPlayedAt: '2024-01-01T00:02:00.000Z' });
    s.user.recordClose('h', 0, true, true, '2024-01-01T00:03:00.000Z');
    assert.deepEqual(pick(s.user.get('h')), { playCount: 1, watched: true, resumeMs: 0, lastPlayedAt: '2024-01-01T00:03:00.000Z' });
    s.user.recordClose('h', 100, true, false, '2024-01-01T00:04:00.000Z');
    assert.deepEqual(pick(s.user.get('h')), { playCount: 2, watched: true, resumeMs: 100, lastPlayedAt: '2024-01-01T00:04:00.000Z' });
    s.user.recordClose('new', 100, true, true, '2024-01-01T00:05:00.000Z');
    assert.deepEqual(pick(s.user.get('new')), { playCount: 1, watched: true, resumeMs: 100, lastPlayedAt: '2024-01-01T00:05:00.000Z' });
  });
});
function pick(u: { playCount: number; watched: boolean; resumeMs: number; lastPlayedAt: string | null }): object {
  return { playCount: u.playCount, watched: u.watched, resumeMs: u.resumeMs, lastPlayedAt: u.lastPlayedAt };
}

describe('media', () => {
  const key = { hash: 'AA11', path: '/Scene/part1.mp4', bytes: 123 };
  const probe = { durationMs: 3_600_000, width: 8192, height: 4096, codec: 'hevc', fps: 59.94 };

  test('probes round-trip by (hash, path, bytes)', (t) => {
    const s = fresh(t);
    assert.equal(s.media.getProbe(key), null);
    s.media.putProbe(key, probe);
    assert.deepEqual(s.media.getProbe(key), probe);
    assert.deepEqual(s.media.getProbe({ ...key, hash: 'aa11' }), probe);
    assert.equal(s.media.getProbe({ ...key, bytes: 124 }), null, 'a different size is a different file');
    s.media.putProbe(key, { ...probe, codec: 'h264' });
    assert.deepEqual(s.media.allProbes(), new Map([[mediaKeyString(key), { ...probe, codec: 'h264' }]]));
    assert.equal(mediaKeyString(key), 'aa11\n/Scene/part1.mp4\n123');
  });

  test('failures count attempts per kind, clear, list and prune with probes', (t) => {
    const s = fresh(t);
    assert.deepEqual(s.media.recordFailure(key, 'probe', 'timeout', 2000, 1000), { kind: 'probe', reason: 'timeout', attempts: 1, retryAt: 2000, at: 1000 });
    assert.deepEqual(s.media.recordFailure(key, 'probe', '503', 5000, 3000), { kind: 'probe', reason: '503', attempts: 2, retryAt: 5000, at: 3000 });
    s.media.recordFailure(key, 'thumb', 'x', 1, 1);
    assert.equal(s.media.getFailure(key, 'probe')?.attempts, 2);
    assert.equal(s.media.getFailure(key, 'other'), null);
    const other = { hash: 'bb22', path: '/b.mp4', bytes: 5 };
    s.media.recordFailure(other, 'probe', 'y', 9, 9);
    s.media.putProbe(other, probe);
    assert.equal(s.media.failures().length, 3);
    assert.deepEqual(s.media.failures().find((f) => f.hash === 'bb22'), { ...other, kind: 'probe', reason: 'y', attempts: 1, retryAt: 9, at: 9 });
    s.media.clearFailure(key, 'thumb');
    assert.equal(s.media.getFailure(key, 'thumb'), null);

    assert.equal(s.media.pruneHashes(new Set(['AA11'])), 2); // bb22's probe and failure
    assert.equal(s.media.getProbe(other), null);
    assert.deepEqual(s.media.failures().map((f) => f.hash), ['aa11']);
    assert.equal(s.media.pruneHashes(new Set(['aa11'])), 0);
  });
});

describe('links', () => {
  const u = { link: 'https://real-debrid.com/d/ABC', download: 'https://cdn.example/dl/abc/file.mp4', filename: 'file.mp4', filesize: 42, mimeType: 'video/mp4', generatedAt: 1000 };

  test('unrestrict cache round-trips, replaces and prunes', (t) => {
    const s = fresh(t);
    assert.equal(s.links.get(u.link), null);
    s.links.put(u);
    assert.deepEqual(s.links.get(u.link), u);
    s.links.put({ ...u, download: 'https://cdn.example/new', mimeType: null, generatedAt: 5000 });
    assert.deepEqual(s.links.get(u.link), { ...u, download: 'https://cdn.example/new', mimeType: null, generatedAt: 5000 });
    s.links.put({ ...u, link: 'old', generatedAt: 10 });
    assert.equal(s.links.pruneUnrestricts(1000), 1);
    assert.equal(s.links.get('old'), null);
    assert.ok(s.links.get(u.link));
  });

  test('bad links are marked, read and cleared', (t) => {
    const s = fresh(t);
    assert.equal(s.links.badState(u.link), null);
    s.links.markBad(u.link, 'dead', 100);
    assert.deepEqual(s.links.badState(u.link), { kind: 'dead', at: 100 });
    s.links.markBad(u.link, 'blocked', 200);
    assert.deepEqual(s.links.badState(u.link), { kind: 'blocked', at: 200 });
    s.links.clearBad(u.link);
    assert.equal(s.links.badState(u.link), null);
  });

  test('matches merge per torrent and are ignored for torrents not in the library', (t) => {
    const s = fresh(t);
    s.library.replaceAll([summary(1)]);
    s.links.putMatches('T1', new Map([[1, 'L1'], [3, 'L3']]));
    s.links.putMatches('T1', new Map([[3, 'L3b'], [2, 'L2']]));
    assert.deepEqual(s.links.allMatches().get('T1'), new Map([[1, 'L1'], [2, 'L2'], [3, 'L3b']]));
    s.links.putMatches('T404', new Map([[1, 'X']]));
    assert.equal(s.links.allMatches().get('T404')?.size ?? 0, 0);
  });
});

describe('store', () => {
  test('meta get/set/delete', (t) => {
    const s = fresh(t);
    assert.equal(s.meta.get('k'), null);
    s.meta.set('k', 'v1');
    s.meta.set('k', 'v2');
    assert.equal(s.meta.get('k'), 'v2');
    s.meta.delete('k');
    assert.equal(s.meta.get('k'), null);
  });

  test('opening again is idempotent: same schema version, data intact, WAL mode', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const a = openStore(dir);
    a.meta.set('x', '1');
    a.close();
    const b = openStore(dir);
    const c = openStore(dir); // two connections at once
    assert.equal(b.meta.get('x'), '1');
    assert.deepEqual(c.integrityCheck(), ['ok']);
    b.close();
    c.close();
    const raw = new Database(join(dir, 'debridsphere.db'));
    try {
      assert.deepEqual(raw.prepare('PRAGMA user_version').raw().get(), [SCHEMA_VERSION]);
      assert.deepEqual(raw.prepare('PRAGMA journal_mode').raw().get(), ['wal']);
    } finally {
      raw.close();
    }
  });

  test('a database from a newer program is refused, not damaged', () => {
    const dir = tempDir();
    openStore(dir, { fileName: 'x.db' }).close();
    const raw = new Database(join(dir, 'x.db'));
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(() => openStore(dir, { fileName: 'x.db' }), /newer than this program/);
  });

  test('changeCounter moves on own writes and on other connections, not on reads or no-op writes', (t) => {
    const dir = tempDir();
    const a = fresh(t, dir);
    const b = fresh(t, dir);
    const c0 = a.changeCounter();
    a.library.all();
    a.user.get('x');
    assert.equal(a.changeCounter(), c0);
    a.library.upsertMany([summary(1)]);
    const c1 = a.changeCounter();
    assert.notEqual(c1, c0);
    a.library.upsertMany([summary(1)]); // same data: nothing changed
    assert.equal(a.changeCounter(), c1);
    b.user.setFavorite('x', true);
    const c2 = a.changeCounter();
    assert.notEqual(c2, c1);
    assert.equal(a.user.get('x').favorite, true);
    assert.ok(c2 > c1 && c1 > c0, 'monotonic');
  });

  test('a closed store refuses calls', () => {
    const s = openStore(tempDir());
    s.close();
    s.close(); // twice is fine
    assert.throws(() => s.library.count(), /closed/);
    assert.throws(() => s.meta.set('a', 'b'), /closed/);
  });

  test('a failing write rolls back the whole transaction', (t) => {
    const s = fresh(t);
    s.library.replaceAll([summary(1)]);
    const bad = { ...summary(3), filename: null } as unknown as TorrentSummary; // NOT NULL violation
    assert.throws(() => s.library.replaceAll([summary(2), bad]));
    assert.deepEqual(s.library.all().map((x) => x.id), ['T1'], 'T2 not half-added, T1 not removed');
    s.library.replaceAll([summary(2)]); // and the connection is usable again
    assert.deepEqual(s.library.all().map((x) => x.id), ['T2']);
  });
});
