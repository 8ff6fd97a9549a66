// The media disk cache: a size cap with least-recently-used eviction (no expiry by age), an index
// rebuilt from a directory scan, temp files of dead processes removed at start-up, and files that
// appear only whole (rename).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { DiskCache } from '../src/media/disk-cache.ts';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'ds-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function put(cache: DiskCache, name: string, bytes: number): Promise<void> {
  const tmp = cache.tempPath(name);
  writeFileSync(tmp, Buffer.alloc(bytes, 7));
  await cache.commit(name, tmp);
}

test('LRU eviction keeps the cache under the cap and drops the least recently used first', async (t) => {
  const dir = tempDir(t);
  let now = 1_700_000_000_000;
  const cache = new DiskCache({ dir, maxBytes: 3500, now: () => now });
  await cache.init();
  for (const name of ['a.jpg', 'b.jpg', 'c.jpg']) {
    now += 1000;
    await put(cache, name, 1000);
  }
  assert.equal(cache.bytes, 3000);
  now += 1000;
  assert.ok(cache.get('a.jpg'), 'a used again: now the most recent');
  now += 1000;
  await put(cache, 'd.jpg', 1000); // 4000 > 3500: one must go, the least recently used is b
  assert.ok(cache.bytes <= 3500, `cache holds ${cache.bytes}`);
  assert.equal(cache.peek('b.jpg'), null, 'b (least recently used) evicted');
  assert.ok(cache.peek('a.jpg') && cache.peek('c.jpg') && cache.peek('d.jpg'));
  assert.deepEqual(readdirSync(dir).sort(), ['a.jpg', 'c.jpg', 'd.jpg']);

  now += 1000;
  await put(cache, 'e.jpg', 2500); // needs 2 more evictions: c then a (d is newer than both)
  assert.ok(cache.bytes <= 3500);
  assert.deepEqual(readdirSync(dir).sort(), ['d.jpg', 'e.jpg']);
});

test('nothing expires by age: an old file that fits stays', async (t) => {
  const dir = tempDir(t);
  let now = 1_700_000_000_000;
  const cache = new DiskCache({ dir, maxBytes: 10_000, now: () => now });
  await cache.init();
  await put(cache, 'old.jpg', 100);
  now += 365 * 24 * 3600_000;
  const again = new DiskCache({ dir, maxBytes: 10_000, now: () => now });
  await again.init();
  assert.ok(again.get('old.jpg'));
});

test('start-up scan rebuilds the index, keeps use order from atime, removes stale temp files', async (t) => {
  const dir = tempDir(t);
  const base = 1_700_000_000; // seconds
  writeFileSync(join(dir, 'x.jpg'), Buffer.alloc(100));
  writeFileSync(join(dir, 'y.jpg'), Buffer.alloc(100));
  utimesSync(join(dir, 'x.jpg'), base + 10, base); // x used more recently than y
  utimesSync(join(dir, 'y.jpg'), base + 5, base);
  // A temp file left by a process that no longer exists, and one of a live process (the test
  // runner: e.g. `npm run warm` writing into the same cache while the server starts).
  writeFileSync(join(dir, 'z.jpg.999999999-abcd1234.tmp'), 'half');
  writeFileSync(join(dir, `w.jpg.${process.ppid}-abcd1234.tmp`), 'in progress');
  const cache = new DiskCache({ dir, maxBytes: 150, now: () => (base + 20) * 1000 });
  const scan = await cache.init();
  assert.equal(scan.tempRemoved, 1);
  assert.ok(!existsSync(join(dir, 'z.jpg.999999999-abcd1234.tmp')));
  assert.ok(existsSync(join(dir, `w.jpg.${process.ppid}-abcd1234.tmp`)), 'a live process keeps its temp file');
  // 200 bytes over a 150 cap: y (older use) evicted at start-up.
  assert.equal(cache.files, 1);
  assert.ok(cache.peek('x.jpg'));
  assert.equal(cache.peek('y.jpg'), null);
});

test('ETag stays the same across uses and changes when the file is made again', async (t) => {
  const dir = tempDir(t);
  let now = 1_700_000_000_000;
  const cache = new DiskCache({ dir, maxBytes: 10_000, now: () => now });
  await cache.init();
  await put(cache, 'a.jpg', 100);
  const first = cache.get('a.jpg')!;
  now += 2 * 3600_000; // long enough for the access time to be written to disk
  const second = cache.get('a.jpg')!;
  assert.equal(second.etag, first.etag);
  await new Promise((r) => setTimeout(r, 20));
  const tmp = cache.tempPath('a.jpg');
  writeFileSync(tmp, Buffer.alloc(100, 1)); // same size, made later
  await cache.commit('a.jpg', tmp);
  assert.notEqual(cache.get('a.jpg')!.etag, first.etag);
  assert.equal(cache.bytes, 100, 'replacing a file does not count it twice');
});
