// Saved views (issue 17) end to end: the real server on the fake RD. A view saved from the browser
// becomes a HereSphere section and a DeoVR scene, after the built-in ones and in the user's order,
// listing the same ids in the same order as the browser's own rule shows; renames, reorders and
// deletes show on the players' next load and survive a restart; bad input gets a coded error and
// never breaks the index.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { viewsLibrary } from './helpers/views-library.ts';
import { applyView, buildIndex, parseView } from '../src/library/view.ts';
import type { CompactVideo } from '../src/web/api.ts';

let h: Harness;

before(async () => {
  h = await startHarness({ torrents: viewsLibrary() });
});
after(async () => {
  await h?.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function browserList(): Promise<CompactVideo[]> {
  const r = await call('GET', '/api/library');
  assert.equal(r.status, 200);
  return r.json.videos as CompactVideo[];
}

async function heresphereSections(): Promise<Array<{ name: string; ids: string[] }>> {
  const r = await postJson(`${h.url}/heresphere`, {});
  assert.equal(r.status, 200);
  return (r.json.library as Array<{ name: string; list: string[] }>).map((s) => ({
    name: s.name,
    ids: s.list.map((u) => /\/heresphere\/([0-9a-f]{16})$/.exec(u)?.[1] ?? `bad url ${u}`),
  }));
}

async function deovrScenes(): Promise<Array<{ name: string; ids: string[] }>> {
  const r = await fetch(`${h.url}/deovr`);
  assert.equal(r.status, 200);
  const json = (await r.json()) as { scenes: Array<{ name: string; list: Array<{ video_url: string }> }> };
  return json.scenes.map((s) => ({ name: s.name, ids: s.list.map((x) => /\/deovr\/([0-9a-f]{16})/.exec(x.video_url)?.[1] ?? `bad url ${x.video_url}`) }));
}

const BUILT_IN = ['Favorites', 'Recently added', 'This month', 'Older'];

test('saved views are HereSphere sections and DeoVR scenes with the browser’s ids in the browser’s order, also after a restart', async () => {
  const vids = await browserList();
  assert.equal(vids.length, 8);
  const byTitle = (re: RegExp) => vids.find((v) => re.test(v.title)) ?? assert.fail(`no video ${re}`);
  // Ratings and a favourite from the browser, as a user would set them.
  for (const [re, rating] of [[/Alpha/, 4], [/beta/i, 5], [/Zeta/, 4], [/Video 9/, 2]] as const) {
    assert.equal((await postJson(`${h.url}/api/videos/${byTitle(re).id}`, { rating })).status, 200);
  }
  assert.equal((await postJson(`${h.url}/api/videos/${byTitle(/Gamma/).id}`, { favorite: true })).status, 200);

  const saved = [
    { name: 'Top 180', query: '?sort=rating&dir=desc&kind=180' },
    { name: 'By name', query: '?sort=name&dir=asc' },
    { name: 'Beaches', query: '?q=beach&sort=size&dir=asc' },
    { name: 'Nothing here', query: '?q=no+such+title' },
  ];
  const ids: number[] = [];
  for (const s of saved) {
    const r = await call('POST', '/api/views', s);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    ids.push(r.json.id);
  }

  // What the browser shows for each saved query (its own bundle runs this same module).
  const current = await browserList();
  const ix = buildIndex(current);
  const browserIds = (q: string) => applyView(ix, parseView(q, null)).map((v) => v.id);
  // Independently of the shared rule: rating desc, ties by name ("Alpha" before "Zeta"), unrated last by name.
  const title = (id: string) => current.find((v) => v.id === id)?.title;
  assert.deepEqual(browserIds(saved[0]!.query).map(title), ['beta Garden', 'Alpha Beach', 'Zeta Beach Walk', 'Video 9', 'Epsilon Room', 'Video 10']);
  // Numeric collation: "Video 9" before "Video 10".
  assert.deepEqual(browserIds(saved[1]!.query).map(title).slice(-3), ['Video 9', 'Video 10', 'Zeta Beach Walk']);

  const expectSaved = saved.map((s) => ({ name: s.name, ids: browserIds(s.query) }));
  const check = async (expected: Array<{ name: string; ids: string[] }>) => {
    for (const sections of [await heresphereSections(), await deovrScenes()]) {
      const names = sections.map((s) => s.name);
      assert.deepEqual(names.slice(0, names.length - expected.length), BUILT_IN.filter((n) => names.includes(n)));
      assert.deepEqual(sections.slice(-expected.length), expected);
    }
  };
  await check(expectSaved);
  assert.deepEqual(expectSaved[3]!.ids, [], 'a view matching nothing is an empty tab');

  // Rename, reorder and a rating change show on the players' next load.
  assert.equal((await call('PATCH', `/api/views/${ids[2]}`, { name: 'Beach days' })).status, 200);
  const order = [ids[2]!, ids[0]!, ids[3]!, ids[1]!];
  const re = await call('PUT', '/api/views/order', { ids: order });
  assert.deepEqual(re.json.views.map((v: { id: number }) => v.id), order);
  assert.equal((await postJson(`${h.url}/api/videos/${byTitle(/Video 10/).id}`, { rating: 5 })).status, 200);
  const after = buildIndex(await browserList());
  const expect2 = [
    { name: 'Beach days', ids: applyView(after, parseView(saved[2]!.query, null)).map((v) => v.id) },
    { name: 'Top 180', ids: applyView(after, parseView(saved[0]!.query, null)).map((v) => v.id) },
    { name: 'Nothing here', ids: [] },
    { name: 'By name', ids: applyView(after, parseView(saved[1]!.query, null)).map((v) => v.id) },
  ];
  assert.deepEqual(expect2[1]!.ids.slice(0, 2).map(title), ['beta Garden', 'Video 10'], 'the new 5-star rating moved it up');
  await check(expect2);

  // Delete, then restart: what remains is still there, in the same order.
  assert.equal((await call('DELETE', `/api/views/${ids[3]}`)).status, 204);
  assert.equal((await call('DELETE', `/api/views/${ids[3]}`)).json.code, 'VIEW_NOT_FOUND');
  const expect3 = expect2.filter((s) => s.name !== 'Nothing here');
  await check(expect3);
  await h.restart();
  await check(expect3);
  assert.deepEqual((await call('GET', '/api/views')).json.views.map((v: { name: string }) => v.name), ['Beach days', 'Top 180', 'By name']);
});

test('bad saved-view input gets a coded error, changes nothing and never breaks the index', async () => {
  const before = (await call('GET', '/api/views')).json.views;
  const cases: Array<[unknown, number, string]> = [
    [{ name: '', query: '?sort=name' }, 400, 'VIEW_NAME_EMPTY'],
    [{ name: '   ', query: '?sort=name' }, 400, 'VIEW_NAME_EMPTY'],
    [{ name: 'x'.repeat(61), query: '?sort=name' }, 400, 'VIEW_NAME_TOO_LONG'],
    [{ name: 'Two\nlines', query: '?sort=name' }, 400, 'VIEW_NAME_INVALID'],
    [{ name: 'favorites', query: '?sort=name' }, 409, 'VIEW_NAME_RESERVED'],
    [{ name: 'Dup', query: '?kind=dome' }, 400, 'VIEW_QUERY_INVALID'],
    [{ name: 'Dup', query: '?sort=loudness' }, 400, 'VIEW_QUERY_INVALID'],
    [{ name: 'Dup', query: '?minRating=9' }, 400, 'VIEW_QUERY_INVALID'],
    [{ name: 'Dup', query: '?colour=red' }, 400, 'VIEW_QUERY_INVALID'],
  ];
  for (const [body, status, code] of cases) {
    const r = await call('POST', '/api/views', body);
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.json.code, code, JSON.stringify(body));
    assert.ok(typeof r.json.error === 'string' && r.json.error.length > 0);
  }
  assert.equal((await call('POST', '/api/views', { name: 'Dup', query: '?sort=name' })).status, 201);
  const dup = await call('POST', '/api/views', { name: '  dup ', query: '?sort=size' });
  assert.deepEqual([dup.status, dup.json.code], [409, 'VIEW_NAME_TAKEN']);
  const views = (await call('GET', '/api/views')).json.views as Array<{ id: number; name: string }>;
  const rename = await call('PATCH', `/api/views/${views[0]!.id}`, { name: 'DUP' });
  assert.deepEqual([rename.status, rename.json.code], [409, 'VIEW_NAME_TAKEN']);
  assert.equal((await call('GET', '/api/views')).json.views.length, before.length + 1);
  const sections = await heresphereSections();
  assert.ok(sections.every((s) => s.ids.every((id) => /^[0-9a-f]{16}$/.test(id))));
  assert.equal(sections.at(-1)!.name, 'Dup');
});
