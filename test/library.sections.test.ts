// Library sections by date added (boundaries at 7 and 30 days) and Favorites; display formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECTION_NAMES, buildSections } from '../src/library/sections.ts';
import { buildVideo } from '../src/library/video.ts';
import { formatBytes, formatDuration, isoDate } from '../src/library/format.ts';
import { EMPTY_USER_DATA, type Video } from '../src/library/model.ts';

const NOW = Date.parse('2026-08-21T12:00:00.000Z');
const DAY = 86_400_000;

let counter = 0;
function video(added: string, favorite = false): Video {
  counter++;
  const hash = counter.toString(16).padStart(40, '0');
  return buildVideo({
    summary: {
      id: `T${counter}`,
      hash,
      filename: `Scene${counter}.180.LR.mp4`,
      bytes: 1e9,
      status: 'downloaded',
      progress: 100,
      added,
      ended: added,
      links: [`https://real-debrid.com/d/LINK${counter}`],
    },
    info: null,
    user: favorite ? { ...EMPTY_USER_DATA, tags: [], favorite: true } : null,
    probe: () => null,
    now: NOW,
  });
}
const ago = (ms: number): string => new Date(NOW - ms).toISOString();

test('boundaries: <= 7 days recent, <= 30 days this month, then older; bad dates older', () => {
  const exactly7 = video(ago(7 * DAY));
  const just8 = video(ago(7 * DAY + 1));
  const exactly30 = video(ago(30 * DAY));
  const past30 = video(ago(30 * DAY + 1));
  const future = video(ago(-DAY));
  const bad = video('not a date');
  const now = video(ago(0));
  const sections = buildSections([exactly7, just8, exactly30, past30, future, bad, now], NOW);
  assert.deepEqual(sections, [
    { name: SECTION_NAMES.recent, videoIds: [future.id, now.id, exactly7.id] },
    { name: SECTION_NAMES.month, videoIds: [just8.id, exactly30.id] },
    { name: SECTION_NAMES.older, videoIds: [past30.id, bad.id] },
  ]);
});

test('Favorites first, only when any; favourites also stay in their date section', () => {
  const a = video(ago(DAY), true);
  const b = video(ago(40 * DAY), true);
  const c = video(ago(2 * DAY));
  const s = buildSections([b, c, a], NOW);
  assert.deepEqual(s.map((x) => x.name), ['Favorites', 'Recently added', 'Older']);
  assert.deepEqual(s[0]?.videoIds, [a.id, b.id], 'newest first');
  assert.deepEqual(s[1]?.videoIds, [a.id, c.id]);
  assert.ok(!buildSections([c], NOW).some((x) => x.name === 'Favorites'));
});

test('empty sections are left out; no videos, no sections', () => {
  assert.deepEqual(buildSections([], NOW), []);
  const old = video(ago(100 * DAY));
  assert.deepEqual(buildSections([old], NOW), [{ name: 'Older', videoIds: [old.id] }]);
});

test('same added time: ordered by id, so the order is stable', () => {
  const t = ago(DAY);
  const vs = [video(t), video(t), video(t)];
  const ids = buildSections([...vs].reverse(), NOW)[0]?.videoIds;
  assert.deepEqual(ids, vs.map((v) => v.id).sort());
});

test('formatBytes: 1024-based with sensible decimals', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(-5), '0 B');
  assert.equal(formatBytes(Number.NaN), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1024), '1 KB');
  assert.equal(formatBytes(1.5 * 1024 ** 3), '1.5 GB');
  assert.equal(formatBytes(12.34 * 1024 ** 3), '12.3 GB');
  assert.equal(formatBytes(123.4 * 1024 ** 3), '123 GB');
  assert.equal(formatBytes(1024 ** 2 - 1), '1 MB');
  assert.equal(formatBytes(2 * 1024 ** 4), '2 TB');
});

test('formatDuration', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(754_000), '12:34');
  assert.equal(formatDuration(3_723_000), '1:02:03');
  assert.equal(formatDuration(59_999), '0:59');
  assert.equal(formatDuration(-1), '0:00');
  assert.equal(formatDuration(Number.NaN), '0:00');
});

test('isoDate: UTC day, garbage to 1970-01-01', () => {
  assert.equal(isoDate('2026-08-20T21:04:11.000Z'), '2026-08-20');
  assert.equal(isoDate('2026-08-20T23:30:00-02:00'), '2026-08-21');
  assert.equal(isoDate('2026-02-30T10:00:00.000Z'), '1970-01-01');
  assert.equal(isoDate('2026-08-31T23:59:59.999Z'), '2026-08-31');
  assert.equal(isoDate('2024-05-01'), '2024-05-01');
  assert.equal(isoDate('garbage'), '1970-01-01');
  assert.equal(isoDate(''), '1970-01-01');
  assert.equal(isoDate(undefined as unknown as string), '1970-01-01');
});
