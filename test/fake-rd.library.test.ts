// Generated libraries and edge-case fixtures of the fake RD: deterministic, well-formed (ids,
// hashes, paths, dates), realistic mix of names and packs, and big enough for scale tests.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DUPLICATE_HASH_NEW,
  DUPLICATE_HASH_OLD,
  edgeCaseFixtures,
  generateLibrary,
  startFakeRd,
  type FakeTorrentSpec,
} from './fake-rd/index.ts';

const NOW = Date.UTC(2026, 7, 21);
const YEAR = 365 * 24 * 3_600_000;

function assertWellFormed(lib: FakeTorrentSpec[]) {
  const ids = new Set<string>();
  for (const t of lib) {
    assert.match(t.id ?? '', /^[A-Z0-9]{13}$/, `id of ${t.filename}`);
    assert.match(t.hash ?? '', /^[0-9a-f]{40}$/, `hash of ${t.filename}`);
    assert.ok(!ids.has(t.id!), `duplicate id ${t.id}`);
    ids.add(t.id!);
    for (const f of t.files) assert.ok(f.path.startsWith('/'), f.path);
  }
}

test('generateLibrary is deterministic per seed and well-formed', () => {
  const a = generateLibrary(2000, { seed: 3, now: NOW });
  const b = generateLibrary(2000, { seed: 3, now: NOW });
  const c = generateLibrary(2000, { seed: 4, now: NOW });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assertWellFormed(a);
  assert.equal(new Set(a.map((t) => t.hash)).size, a.length);
  assert.ok(a.every((t) => t.status === 'downloaded'));
});

test('generateLibrary: ~70% single files, packs with junk, newest first over two years', () => {
  const lib = generateLibrary(5000, { seed: 1, now: NOW });
  const singles = lib.filter((t) => t.files.length === 1).length / lib.length;
  assert.ok(singles > 0.65 && singles < 0.75, `single share ${singles}`);
  const packs = lib.filter((t) => t.files.length > 1);
  assert.ok(packs.some((t) => t.files.some((f) => f.path.endsWith('.srt'))));
  assert.ok(packs.some((t) => t.files.some((f) => f.path.endsWith('.nfo') && f.selected === false)));
  assert.ok(packs.some((t) => t.files.some((f) => f.path.endsWith('.jpg'))));
  assert.ok(packs.some((t) => t.files.some((f) => /\/Sample\//.test(f.path))));
  assert.ok(packs.every((t) => t.files.some((f) => f.selected !== false)));
  const added = lib.map((t) => Date.parse(t.added!));
  assert.ok(added.every((x, i) => i === 0 || x < added[i - 1]!), 'strictly newest first');
  assert.ok(added[0]! <= NOW && added[0]! > NOW - 0.01 * YEAR);
  assert.ok(added.at(-1)! < NOW - 1.9 * YEAR && added.at(-1)! >= NOW - 2 * YEAR);
});

test('generateLibrary names carry the markers parsers must read', () => {
  const names = generateLibrary(5000, { seed: 9, now: NOW }).flatMap((t) => t.files.map((f) => f.path));
  const share = (re: RegExp) => names.filter((n) => re.test(n)).length;
  for (const re of [/8K/, /6K/, /5K/, /4K/, /180/, /360/, /LR/, /TB/, /MKX200/, /fisheye190/, /VRCA220/, /RF52/]) {
    assert.ok(share(re) > 0, `some names contain ${re}`);
  }
  assert.ok(share(/\.\d{4}\.(720p|1080p|2160p)\.(BluRay|WEB-DL|WEBRip|BDRip|REMUX)\./) > 100, 'flat movies');
  assert.ok(share(/\.S\d\dE\d\d\./) > 100, 'TV episodes');
});

test('generateLibrary(50_000) builds and serves', async () => {
  const lib = generateLibrary(50_000, { seed: 5, now: NOW });
  assert.equal(lib.length, 50_000);
  assertWellFormed(lib);
  const fake = await startFakeRd({ torrents: lib, rateLimit: false });
  try {
    const res = await fetch(`${fake.apiUrl}/torrents?page=10&limit=5000`, { headers: { Authorization: `Bearer ${fake.token}` } });
    assert.equal(res.headers.get('x-total-count'), '50000');
    const page = (await res.json()) as Array<{ id: string }>;
    assert.deepEqual(page.map((t) => t.id), lib.slice(45_000).map((t) => t.id));
  } finally {
    await fake.close();
  }
});

test('edge-case fixtures: well-formed, newest first, duplicate hash under two ids', () => {
  const fx = edgeCaseFixtures({ now: NOW });
  assertWellFormed(fx);
  assert.equal(DUPLICATE_HASH_NEW.hash, DUPLICATE_HASH_OLD.hash);
  assert.notEqual(DUPLICATE_HASH_NEW.id, DUPLICATE_HASH_OLD.id);
  const added = fx.map((t) => Date.parse(t.added!));
  assert.ok(added.every((x, i) => i === 0 || x < added[i - 1]!));
  const statuses = new Set(fx.map((t) => t.status ?? 'downloaded'));
  for (const s of ['downloaded', 'dead', 'waiting_files_selection', 'downloading', 'magnet_error', 'virus']) assert.ok(statuses.has(s), s);
  // copies: mutating one result leaves the next call untouched
  fx[0]!.files[0]!.bytes = 1;
  assert.notEqual(edgeCaseFixtures({ now: NOW })[0]!.files[0]!.bytes, 1);
});
