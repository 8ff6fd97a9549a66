// The in-memory catalog against a real SQLite file shared with a second connection (which SQLite
// treats exactly like another process): every write either side makes must show up, whatever
// order the two interleave in.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Catalog } from '../src/catalog/catalog.ts';
import type { TorrentSummary } from '../src/library/model.ts';
import { openStore, type Store } from '../src/store/index.ts';

const dirs: string[] = [];
const stores: Store[] = [];
after(() => {
  for (const s of stores) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function summary(n: number): TorrentSummary {
  const hash = createHash('sha1').update(`torrent ${n}`).digest('hex');
  return {
    id: `T${n}`,
    hash,
    filename: `Video.${n}.2024.1080p.mp4`,
    bytes: 1_000_000 * n,
    status: 'downloaded',
    progress: 100,
    added: new Date(Date.UTC(2024, 0, n)).toISOString(),
    ended: null,
    links: [`https://real-debrid.com/d/L${n}`],
  };
}

/** Two connections on one fresh data dir, a library of `count` torrents, and a catalog on the first. */
function twoConnections(count: number): { mine: Store; other: Store; catalog: Catalog; hashes: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ds-catalog-'));
  dirs.push(dir);
  const mine = openStore(dir);
  const other = openStore(dir);
  stores.push(mine, other);
  const summaries = Array.from({ length: count }, (_, i) => summary(i + 1));
  mine.library.replaceAll(summaries);
  const catalog = new Catalog(mine);
  catalog.loadAll();
  return { mine, other, catalog, hashes: summaries.map((s) => s.hash) };
}

test('a write by another process between two of ours is picked up, not swallowed by our own reload', () => {
  const { mine, other, catalog, hashes } = twoConnections(2);
  const [x, y] = hashes as [string, string];
  catalog.syncWithStore();
  other.user.setFavorite(y, true); // the other process writes...
  mine.user.setTags(x, [{ name: 'Mine:kept' }]); // ...then this one writes and reloads only its own video
  catalog.reloadUser(x);
  catalog.syncWithStore();
  assert.equal(catalog.getByHash(y)?.user.favorite, true, "the other process's favourite is seen");
  assert.deepEqual(catalog.getByHash(x)?.user.tags, [{ name: 'Mine:kept' }], 'our own tag is seen');
});

test('writes by another process show up on the next syncWithStore, and the version moves', () => {
  const { other, catalog, hashes } = twoConnections(3);
  catalog.syncWithStore();
  const before = catalog.version;
  other.user.setRating(hashes[2]!, 4.5);
  catalog.syncWithStore();
  assert.equal(catalog.getByHash(hashes[2]!)?.user.rating, 4.5);
  assert.notEqual(catalog.version, before, 'cached responses are invalidated');
  const settled = catalog.version;
  catalog.syncWithStore();
  assert.equal(catalog.version, settled, 'nothing changed, nothing rebuilt');
});
