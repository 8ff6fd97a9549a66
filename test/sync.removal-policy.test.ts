// The removal rule on its own (sync/removal-policy.ts): absent torrents are first only marked, a
// second listing CONFIRM_GAP_MS later removes them, a few are checked with an info call at once,
// and a mass removal (over 50, or over 10 % of more than 3) gets no shortcut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIRM_BY_INFO_MAX, CONFIRM_GAP_MS, decideRemovals, isMassRemoval } from '../src/sync/removal-policy.ts';

const NOW = 10_000_000;
const stored = (n: number, since: (i: number) => number | null = () => null) => new Map(Array.from({ length: n }, (_, i) => [`T${i}`, since(i)] as const));
const listedAllBut = (n: number, absent: number) => new Set(Array.from({ length: n - absent }, (_, i) => `T${i + absent}`));

test('first listing without a torrent: nothing removed, a few asked about by info', () => {
  const d = decideRemovals({ stored: stored(1000), listed: listedAllBut(1000, 12), now: NOW });
  assert.deepEqual(d.remove, []);
  assert.equal(d.confirmByInfo.length, CONFIRM_BY_INFO_MAX);
  assert.equal(d.absent, 12);
  assert.equal(d.mass, false);
});

test('a second listing confirms only after the gap', () => {
  const soon = decideRemovals({ stored: stored(1000, (i) => (i < 3 ? NOW - CONFIRM_GAP_MS + 1 : null)), listed: listedAllBut(1000, 3), now: NOW });
  assert.deepEqual(soon.remove, []);
  const later = decideRemovals({ stored: stored(1000, (i) => (i < 3 ? NOW - CONFIRM_GAP_MS : null)), listed: listedAllBut(1000, 3), now: NOW });
  assert.deepEqual(later.remove, ['T0', 'T1', 'T2']);
  assert.deepEqual(later.confirmByInfo, []);
});

test('mass removal: over 50, or over 10 % of the library (more than 3): no info shortcut, held for the second listing', () => {
  assert.equal(isMassRemoval(51, 100_000), true);
  assert.equal(isMassRemoval(50, 100_000), false);
  assert.equal(isMassRemoval(11, 100), true);
  assert.equal(isMassRemoval(10, 100), false);
  assert.equal(isMassRemoval(3, 10), false, 'a tiny library may lose 3 at once');
  const d = decideRemovals({ stored: stored(400), listed: listedAllBut(400, 300), now: NOW });
  assert.equal(d.mass, true);
  assert.deepEqual(d.confirmByInfo, []);
  assert.deepEqual(d.remove, []);
});
