// The shared view rule (src/library/view.ts) and saved-view validation (saved-views.ts) as pure
// functions: what a saved query may hold, the canonical form stored, the script filter and the
// intensity sort, and section building (an empty view is an empty section, never a missing one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyView, buildIndex, parseView, parseViewStrict, viewToQuery, type ViewItem } from '../src/library/view.ts';
import { cleanViewName, cleanViewQuery, savedViewSections, SavedViewError } from '../src/library/saved-views.ts';

function item(id: number, over: Partial<ViewItem> = {}): ViewItem {
  return {
    id: id.toString(16).padStart(16, '0'),
    title: `Video ${id}`,
    added: new Date(Date.UTC(2024, 0, 1) + id * 3600_000).toISOString(),
    bytes: 1000 + id,
    durationMs: 0,
    kind: '180',
    stereo: 'sbs',
    favorite: false,
    rating: 0,
    watched: false,
    lastPlayedAt: null,
    scripted: false,
    scriptSpeed: 0,
    ...over,
  };
}

test('strict parsing takes exactly what the toolbar can produce', () => {
  assert.ok('view' in parseViewStrict('?sort=intensity&dir=desc&script=high&kind=360&minRating=4&fav=1&q=beach'));
  for (const q of ['?kind=dome', '?script=wild', '?sort=name&sort=size', '?foo=1', '?minRating=4.5', '?fav=yes', `?q=${'x'.repeat(201)}`]) {
    assert.ok('problem' in parseViewStrict(q), q);
  }
  // Stored canonically: key order, defaults and whitespace do not make two different views.
  assert.equal(cleanViewQuery('?q=%20beach%20&kind=all&dir=asc&sort=name'), '?sort=name&dir=asc&q=beach');
  assert.equal(viewToQuery(parseView(cleanViewQuery('?script=medium'), null)), cleanViewQuery('?script=medium'));
  assert.throws(() => cleanViewQuery('?kind=dome'), (e: unknown) => e instanceof SavedViewError && e.code === 'VIEW_QUERY_INVALID');
});

test('names: trimmed, one space, unique key ignoring case, built-in tab names refused', () => {
  assert.deepEqual(cleanViewName('  Top   180 '), { name: 'Top 180', key: 'top 180' });
  const code = (raw: string) => {
    try {
      cleanViewName(raw);
      return 'ok';
    } catch (e) {
      return (e as SavedViewError).code;
    }
  };
  assert.equal(code(''), 'VIEW_NAME_EMPTY');
  assert.equal(code('x'.repeat(61)), 'VIEW_NAME_TOO_LONG');
  assert.equal(code('😀'.repeat(60)), 'ok', 'characters, not UTF-16 units');
  assert.equal(code('a\tb'), 'VIEW_NAME_INVALID');
  assert.equal(code('RECENTLY ADDED'), 'VIEW_NAME_RESERVED');
});

test('script filter and intensity sort', () => {
  const ix = buildIndex([
    item(1, { scripted: true, scriptSpeed: 300 }),
    item(2, { scripted: true, scriptSpeed: 0 }), // script not read yet or broken
    item(3),
    item(4, { scripted: true, scriptSpeed: 100 }),
    item(5, { scripted: true, scriptSpeed: 400 }),
  ]);
  const ids = (q: string) => applyView(ix, parseView(q, null)).map((v) => Number.parseInt(v.id, 16));
  assert.deepEqual(ids('?sort=name&dir=asc&script=scripted'), [1, 2, 4, 5]);
  assert.deepEqual(ids('?sort=name&dir=asc&script=unscripted'), [3]);
  assert.deepEqual(ids('?sort=name&dir=asc&script=medium'), [1, 5]);
  assert.deepEqual(ids('?sort=name&dir=asc&script=high'), [1, 5]);
  assert.deepEqual(ids('?sort=name&dir=asc&script=extreme'), [5]);
  assert.deepEqual(ids('?sort=intensity&dir=desc'), [5, 1, 4, 2, 3]);
  assert.deepEqual(ids('?sort=intensity&dir=asc'), [4, 1, 5, 2, 3]);
});

test('saved views become sections in order; nothing matching is an empty section; a bad stored query lists nothing', () => {
  const ix = buildIndex([item(1, { favorite: true }), item(2), item(3, { favorite: true })]);
  const sections = savedViewSections(
    [
      { name: 'Favs', query: '?sort=name&dir=desc&fav=1' },
      { name: 'None', query: '?q=nothing' },
      { name: 'Edited by hand', query: '?kind=dome' },
    ],
    ix,
  );
  assert.deepEqual(sections.map((s) => [s.name, s.videoIds.map((id) => Number.parseInt(id, 16))]), [
    ['Favs', [3, 1]],
    ['None', []],
    ['Edited by hand', []],
  ]);
});
