// The store's saved views and funscript facts (issue 17) on a real SQLite file: what is written
// survives reopening, names are unique by key even when two writers race, reorder is one
// transaction that keeps unlisted views, facts of torrents that left are pruned.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaKeyString, openStore } from '../src/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'store-issue17-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('saved views: create, unique name key across two connections, rename, reorder, remove, reopen', () => {
  const a = openStore(join(dir, 'views'));
  const b = openStore(join(dir, 'views'));
  const x = a.views.create('Top', 'top', '?sort=rating&dir=desc', '2026-01-01T00:00:00Z');
  assert.ok(x);
  assert.equal(b.views.create('TOP', 'top', '?sort=name&dir=asc', '2026-01-01T00:00:00Z'), null, 'the other connection sees the key taken');
  const y = b.views.create('Second', 'second', '?sort=name&dir=asc', '2026-01-01T00:00:00Z')!;
  const z = a.views.create('Third', 'third', '?sort=size&dir=desc', '2026-01-01T00:00:00Z')!;
  assert.equal(a.views.update(y.id, { name: 'Top', nameKey: 'top' }), null);
  assert.equal(a.views.update(999, { name: 'Nope', nameKey: 'nope' }), false);
  assert.equal(a.views.update(y.id, { name: 'Zweite', nameKey: 'zweite', query: '?sort=added&dir=asc' }), true);
  a.views.reorder([z.id, 12345]);
  assert.deepEqual(b.views.list().map((v) => v.name), ['Third', 'Top', 'Zweite']);
  assert.equal(a.views.remove(x.id), true);
  assert.equal(a.views.remove(x.id), false);
  a.close();
  b.close();
  const c = openStore(join(dir, 'views'));
  assert.deepEqual(c.views.list().map((v) => [v.name, v.query]), [['Third', '?sort=size&dir=desc'], ['Zweite', '?sort=added&dir=asc']]);
  c.close();
});

test('funscript facts: stored per file, reasons kept, pruned with their torrent', () => {
  const s = openStore(join(dir, 'scripts'));
  const ok = { ok: true as const, actions: 3, lengthMs: 2000, avgSpeed: 100, maxSpeed: 150, heat: 'AB' };
  const bad = { ok: false as const, code: 'empty' as const, reason: 'The script has no actions.' };
  s.scripts.put({ hash: 'AA11', path: 'x/a.funscript', bytes: 10 }, ok, 1);
  s.scripts.put({ hash: 'bb22', path: 'b.funscript', bytes: 20 }, bad, 1);
  s.close();
  const t = openStore(join(dir, 'scripts'));
  const all = t.scripts.all();
  assert.deepEqual(all.get(mediaKeyString({ hash: 'aa11', path: 'x/a.funscript', bytes: 10 })), ok);
  assert.deepEqual(all.get(mediaKeyString({ hash: 'bb22', path: 'b.funscript', bytes: 20 })), bad);
  assert.equal(t.scripts.pruneHashes(new Set(['AA11'])), 1);
  assert.deepEqual([...t.scripts.all().keys()], [mediaKeyString({ hash: 'aa11', path: 'x/a.funscript', bytes: 10 })]);
  t.close();
});
