// The browser view's pure parts in node: URL/localStorage view state, sorting and filtering of
// the library list, number formatting and URL hygiene. No DOM needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompactVideo } from '../src/web/api.ts';
import {
  applyView,
  buildIndex,
  DEFAULT_VIEW,
  isFiltered,
  normalizeText,
  parseView,
  readStoredSort,
  storeSort,
  STORAGE_KEY,
  viewToQuery,
  type ViewState,
} from '../src/web/state.ts';
import { formatBytes, formatDuration } from '../src/web/format.ts';
// The browser shows the server's label (CompactVideo.resolution): the one rule in library/tags.ts.
import { resolutionLabel } from '../src/library/tags.ts';
import { safeUrl, bust, detailHash, detailIdFromHash } from '../src/web/url.ts';
import { computeLayout, MAX_CARDS } from '../src/web/grid.ts';
import { retryDelayMs } from '../src/web/preview.ts';

function video(id: number, over: Partial<CompactVideo> = {}): CompactVideo {
  return {
    id: id.toString(16).padStart(16, '0'),
    title: `Video ${id}`,
    added: new Date(Date.UTC(2024, 0, 1) + id * 3600_000).toISOString(),
    bytes: 1000 + id,
    durationMs: 60_000 * (id + 1),
    width: 5760,
    height: 2880,
    kind: '180',
    stereo: 'sbs',
    projectionLabel: '180° SBS',
    resolution: '6K',
    favorite: false,
    rating: 0,
    watched: false,
    playCount: 0,
    lastPlayedAt: null,
    thumbUrl: `/t/${id}`,
    previewUrl: `/p/${id}`,
    thumbReady: true,
    files: 1,
    playable: true,
    ...over,
  };
}

const view = (over: Partial<ViewState> = {}): ViewState => ({ ...DEFAULT_VIEW, ...over });
const titles = (vs: CompactVideo[]): string[] => vs.map((v) => v.title);

function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}

test('the URL wins over the stored sort, the stored sort over the default', () => {
  const stored = { sort: 'size' as const, dir: 'asc' as const };
  assert.deepEqual(parseView('', null), { ...DEFAULT_VIEW });
  assert.equal(parseView('', stored).sort, 'size');
  assert.equal(parseView('', stored).dir, 'asc');
  const fromUrl = parseView('?sort=rating&dir=asc&q=beach&kind=fisheye&stereo=2d&fav=1&unwatched=1&minRating=3', stored);
  assert.deepEqual(fromUrl, { sort: 'rating', dir: 'asc', q: 'beach', kind: 'fisheye', stereo: '2d', fav: true, unwatched: true, minRating: 3 });
  // a URL sort without a direction takes that sort's natural direction, not the stored one
  assert.equal(parseView('?sort=name', stored).dir, 'asc');
  assert.equal(parseView('?sort=played', stored).dir, 'desc');
});

test('garbage in the URL or in storage falls back to defaults', () => {
  assert.deepEqual(parseView('?sort=evil&dir=up&kind=<b>&stereo=4d&minRating=99&fav=yes', null), { ...DEFAULT_VIEW, minRating: 5 });
  const s = memoryStorage();
  s.setItem(STORAGE_KEY, '{not json');
  assert.equal(readStoredSort(s), null);
  s.setItem(STORAGE_KEY, JSON.stringify({ sort: 'rm -rf', dir: 'asc' }));
  assert.equal(readStoredSort(s), null);
  assert.equal(readStoredSort(null), null);
});

test('a view survives the URL round trip and the stored sort round trip', () => {
  const v = view({ sort: 'duration', dir: 'asc', q: 'café & beach', kind: '360', stereo: '3d', fav: true, minRating: 4 });
  assert.deepEqual(parseView(viewToQuery(v), null), v);
  assert.match(viewToQuery(v), /&stereo=3d/);
  assert.equal(isFiltered(view({ stereo: '2d' })), true);
  assert.equal(viewToQuery(DEFAULT_VIEW), '?sort=added&dir=desc');
  const s = memoryStorage();
  storeSort(s, v);
  assert.deepEqual(readStoredSort(s), { sort: 'duration', dir: 'asc' });
});

test('every sort key orders correctly in both directions; unknown values go last', () => {
  const vs = [
    video(1, { title: 'Beta 10', bytes: 300, durationMs: 0, rating: 4, lastPlayedAt: '2024-05-01T00:00:00Z' }),
    video(2, { title: 'alpha', bytes: 100, durationMs: 5000, rating: 0, lastPlayedAt: null }),
    video(3, { title: 'Beta 9', bytes: 200, durationMs: 9000, rating: 2.5, lastPlayedAt: '2024-06-01T00:00:00Z' }),
    video(4, { title: 'Éclair', bytes: 400, durationMs: 1000, rating: 5, lastPlayedAt: null }),
  ];
  const ix = buildIndex(vs);
  const order = (sort: ViewState['sort'], dir: ViewState['dir']) => titles(applyView(ix, view({ sort, dir })));
  assert.deepEqual(order('name', 'asc'), ['alpha', 'Beta 9', 'Beta 10', 'Éclair']); // numeric, case/accent-insensitive
  assert.deepEqual(order('name', 'desc'), ['Éclair', 'Beta 10', 'Beta 9', 'alpha']);
  assert.deepEqual(order('added', 'desc'), ['Éclair', 'Beta 9', 'alpha', 'Beta 10']);
  assert.deepEqual(order('added', 'asc'), ['Beta 10', 'alpha', 'Beta 9', 'Éclair']);
  assert.deepEqual(order('size', 'desc'), ['Éclair', 'Beta 10', 'Beta 9', 'alpha']);
  assert.deepEqual(order('size', 'asc'), ['alpha', 'Beta 9', 'Beta 10', 'Éclair']);
  assert.deepEqual(order('duration', 'desc'), ['Beta 9', 'alpha', 'Éclair', 'Beta 10']);
  assert.deepEqual(order('duration', 'asc'), ['Éclair', 'alpha', 'Beta 9', 'Beta 10']);
  assert.deepEqual(order('rating', 'desc'), ['Éclair', 'Beta 10', 'Beta 9', 'alpha']);
  assert.deepEqual(order('rating', 'asc'), ['Beta 9', 'Beta 10', 'Éclair', 'alpha']);
  assert.deepEqual(order('played', 'desc'), ['Beta 9', 'Beta 10', 'alpha', 'Éclair']);
  assert.deepEqual(order('played', 'asc'), ['Beta 10', 'Beta 9', 'alpha', 'Éclair']);
});

test('filters narrow the list and combine', () => {
  const vs = [
    video(1, { title: 'Sunset Beach 180', kind: '180', favorite: true, rating: 4 }),
    video(2, { title: 'Café_Beach.360', kind: '360', stereo: 'tb', watched: true, rating: 5 }),
    video(3, { title: 'City cube', kind: 'cubemap', stereo: 'mono' }),
    video(4, { title: 'Fish eye forest', kind: 'fisheye', favorite: true, watched: true, rating: 2 }),
    video(5, { title: 'Flat beach doc', kind: 'flat', stereo: 'mono', rating: 3.5 }),
    video(6, { title: 'Flat 3D movie', kind: 'flat', stereo: 'sbs' }),
  ];
  const ix = buildIndex(vs);
  const ids = (over: Partial<ViewState>) => applyView(ix, view({ sort: 'name', dir: 'asc', ...over })).map((v) => Number.parseInt(v.id, 16));
  assert.deepEqual(ids({ q: 'beach' }), [2, 5, 1]);
  assert.deepEqual(ids({ q: 'cafe beach' }), [2]); // accents and separators folded, words ANDed
  assert.deepEqual(ids({ q: 'BEACH  sun' }), [1]);
  assert.deepEqual(ids({ kind: '360' }), [2, 3]); // cubemaps count as 360
  assert.deepEqual(ids({ kind: 'fisheye' }), [4]);
  assert.deepEqual(ids({ kind: 'flat' }), [6, 5]);
  assert.deepEqual(ids({ stereo: '3d' }), [2, 4, 6, 1]); // side by side and top-bottom alike
  assert.deepEqual(ids({ stereo: '2d' }), [3, 5]);
  assert.deepEqual(ids({ kind: 'flat', stereo: '3d' }), [6]);
  assert.deepEqual(ids({ kind: '360', stereo: '2d' }), [3]);
  assert.deepEqual(ids({ fav: true }), [4, 1]);
  assert.deepEqual(ids({ unwatched: true }), [3, 6, 5, 1]);
  assert.deepEqual(ids({ minRating: 4 }), [2, 1]);
  assert.deepEqual(ids({ minRating: 3 }), [2, 5, 1]);
  assert.deepEqual(ids({ fav: true, unwatched: true }), [1]);
  assert.deepEqual(ids({ q: 'nothing like this' }), []);
  assert.equal(normalizeText('  Ça_va.Bien--OK '), 'ca va bien ok');
});

test('10,000 videos: every sort returns all of them in a total order (counts, not timings)', () => {
  const vs = Array.from({ length: 10_000 }, (_, i) =>
    video(i, { title: `Clip ${(i * 7919) % 10_000}`, bytes: (i * 104729) % 99_991, rating: (i % 11) / 2, lastPlayedAt: i % 3 ? null : new Date(i * 1e7).toISOString() }),
  );
  const ix = buildIndex(vs);
  for (const sort of ['name', 'added', 'size', 'duration', 'rating', 'played'] as const) {
    for (const dir of ['asc', 'desc'] as const) {
      const out = applyView(ix, view({ sort, dir }));
      assert.equal(out.length, 10_000);
      assert.equal(new Set(out.map((v) => v.id)).size, 10_000);
    }
  }
  const sizes = applyView(ix, view({ sort: 'size', dir: 'asc' })).map((v) => v.bytes);
  for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i - 1]! <= sizes[i]!);
});

test('formatting: sizes, durations, resolution labels', () => {
  assert.equal(formatBytes(0), '');
  assert.equal(formatBytes(812 * 1024 * 1024), '812 MB');
  assert.equal(formatBytes(12.4 * 1024 ** 3), '12.4 GB');
  assert.equal(formatDuration(0), '');
  assert.equal(formatDuration(9_000), '0:09');
  assert.equal(formatDuration(42 * 60_000 + 7_000), '42:07');
  assert.equal(formatDuration(3_723_000), '1:02:03');
  assert.equal(resolutionLabel(7680, 3840, false), '8K');
  assert.equal(resolutionLabel(5760, 2880, false), '6K');
  assert.equal(resolutionLabel(1920, 1080, true), '1080p');
  assert.equal(resolutionLabel(3840, 2160, true), '4K');
  assert.equal(resolutionLabel(0, 0, true) ?? '', '');
});

test('URLs from the server: only http(s) reach src/href; detail routes round-trip', () => {
  const base = 'http://192.168.1.20:5090/';
  assert.equal(safeUrl('/api/thumb/abc', base), 'http://192.168.1.20:5090/api/thumb/abc');
  assert.equal(safeUrl('javascript:alert(1)', base), '#');
  assert.equal(safeUrl('data:text/html,<script>', base), '#');
  assert.equal(safeUrl('https://cdn.example/x.mp4', base), 'https://cdn.example/x.mp4');
  assert.match(bust('http://h/t/1', 5), /\?v=5$/);
  assert.match(bust('http://h/t/1?a=b', 5), /&v=5$/);
  assert.equal(detailIdFromHash(detailHash('0123456789abcdef')), '0123456789abcdef');
  assert.equal(detailIdFromHash('#/x/1'), null);
  assert.equal(detailIdFromHash(''), null);
});

test('Retry-After of a preview still being made: seconds or a date, kept within 1-10 s', () => {
  const now = Date.UTC(2026, 0, 1);
  assert.equal(retryDelayMs('5', now), 5000);
  assert.equal(retryDelayMs(null, now), 5000);
  assert.equal(retryDelayMs('0', now), 1000);
  assert.equal(retryDelayMs('3600', now), 10_000);
  assert.equal(retryDelayMs(new Date(now + 3000).toUTCString(), now), 3000);
  assert.equal(retryDelayMs('soon', now), 5000);
});

test('grid layout: cards ~220–320 px wide (never narrower than 220 when two fit); at most MAX_CARDS in view', () => {
  for (let w = 200; w <= 4000; w += 37) {
    const l = computeLayout(w);
    assert.ok(l.cols >= 1);
    if (w >= 460) assert.ok(l.cardW >= 220 && l.cardW <= 340, `width ${w}: card ${l.cardW}`);
    if (w >= 1000) assert.ok(l.cardW <= 320, `width ${w}: card ${l.cardW}`);
    assert.ok(l.cols * l.cardW + (l.cols - 1) * 16 <= w || w < 220);
  }
  assert.ok(MAX_CARDS <= 200);
});
