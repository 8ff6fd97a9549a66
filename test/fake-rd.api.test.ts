// The fake RD's REST behaviour (realdebrid.md §5.1): paging rules, ETag/304, item shapes per
// status, info, the error table, magnet progression and the fault knobs tests rely on.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DOWNLOADING,
  MAGNET_ERROR,
  PACK_WITH_JUNK,
  SINGLE_FILE,
  WAITING_FILES_SELECTION,
  edgeCaseFixtures,
  generateLibrary,
  startFakeRd,
  type FakeRd,
} from './fake-rd/index.ts';

const NOW = Date.UTC(2026, 7, 21, 12, 0, 0);

async function call(fake: FakeRd, path: string, init: RequestInit = {}, token: string | null = fake.token) {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(`${fake.apiUrl}${path}`, { ...init, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { res, text, json: json as any };
}

function form(data: Record<string, string>): RequestInit {
  return { method: 'POST', body: new URLSearchParams(data) };
}

describe('paging over a 1,234-torrent library', () => {
  let fake: FakeRd;
  const lib = generateLibrary(1234, { seed: 7, now: NOW });
  before(async () => {
    fake = await startFakeRd({ torrents: lib, rateLimit: false, now: () => NOW });
  });
  after(() => fake.close());

  test('default limit is 100 and X-Total-Count is the whole library', async () => {
    const { res, json } = await call(fake, '/torrents');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-total-count'), '1234');
    assert.equal(json.length, 100);
    assert.equal(json[0].id, lib[0]!.id);
  });

  test('offset pages walk the library exactly once, newest first', async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 500) {
      const { json } = await call(fake, `/torrents?offset=${offset}&limit=500`);
      if (json.length === 0) break;
      seen.push(...json.map((t: { id: string }) => t.id));
    }
    assert.deepEqual(seen, lib.map((t) => t.id));
    const added = fake.torrents().map((t) => Date.parse(t.added!));
    assert.ok(added.every((a, i) => i === 0 || a <= added[i - 1]!));
  });

  test('page is 1-based and wins over offset', async () => {
    const { json } = await call(fake, '/torrents?page=3&limit=10&offset=999');
    assert.deepEqual(json.map((t: { id: string }) => t.id), lib.slice(20, 30).map((t) => t.id));
    const last = await call(fake, '/torrents?page=13&limit=100');
    assert.equal(last.json.length, 34);
  });

  test('limit is clamped to maxPageSize (5000)', async () => {
    const { json } = await call(fake, '/torrents?limit=99999');
    assert.equal(json.length, 1234);
  });

  test('an empty page is [] by default, 204 or {} by knob', async () => {
    assert.deepEqual((await call(fake, '/torrents?offset=5000')).json, []);
    fake.setFault({ emptyPage: '204' });
    const r204 = await call(fake, '/torrents?page=99');
    assert.equal(r204.res.status, 204);
    assert.equal(r204.res.headers.get('x-total-count'), '1234');
    fake.setFault({ emptyPage: 'object' });
    assert.deepEqual((await call(fake, '/torrents?page=99')).json, {});
    fake.setFault({ emptyPage: null });
  });

  test('ETag + If-None-Match answers 304 until the library changes', async () => {
    const first = await call(fake, '/torrents?page=1&limit=50');
    const etag = first.res.headers.get('etag');
    assert.match(etag ?? '', /^"[0-9a-f]{10}"$/);
    const again = await call(fake, '/torrents?page=1&limit=50', { headers: { 'If-None-Match': etag! } });
    assert.equal(again.res.status, 304);
    assert.equal(again.text, '');
    const added = fake.addTorrent({ filename: 'Fresh.Scene.8K.180.LR.mp4', files: [{ path: '/Fresh.Scene.8K.180.LR.mp4' }], added: new Date(NOW).toISOString() });
    const changed = await call(fake, '/torrents?page=1&limit=50', { headers: { 'If-None-Match': etag! } });
    assert.equal(changed.res.status, 200);
    assert.equal(changed.json[0].id, added.id);
    assert.equal(changed.res.headers.get('x-total-count'), '1235');
    fake.removeTorrent(added.id!);
    const back = await call(fake, '/torrents?page=1&limit=50', { headers: { 'If-None-Match': etag! } });
    assert.equal(back.res.status, 304);
  });
});

describe('item shapes, info and the error table', () => {
  let fake: FakeRd;
  let clock = NOW;
  before(async () => {
    fake = await startFakeRd({ torrents: edgeCaseFixtures({ now: NOW }), now: () => clock, rateLimit: false });
  });
  after(() => fake.close());

  test('list items carry ended/speed/seeders/links only in the right statuses', async () => {
    const { json } = await call(fake, '/torrents?limit=100');
    const byId = new Map(json.map((t: { id: string }) => [t.id, t]));
    const done = byId.get(SINGLE_FILE.id) as Record<string, unknown>;
    assert.deepEqual(Object.keys(done), ['id', 'filename', 'hash', 'bytes', 'host', 'split', 'progress', 'status', 'added', 'links', 'ended']);
    assert.equal(done.progress, 100);
    assert.match((done.links as string[])[0]!, /^https:\/\/real-debrid\.com\/d\/[A-Z0-9]{13}$/);
    assert.equal('files' in done, false);
    const dl = byId.get(DOWNLOADING.id) as Record<string, unknown>;
    assert.deepEqual(dl.links, []);
    assert.equal('ended' in dl, false);
    assert.equal(typeof dl.speed, 'number');
    assert.equal(typeof dl.seeders, 'number');
    assert.ok((dl.progress as number) > 0 && (dl.progress as number) < 100);
    const err = byId.get(MAGNET_ERROR.id) as Record<string, unknown>;
    assert.equal('speed' in err || 'seeders' in err || 'ended' in err, false);
    const pack = byId.get(PACK_WITH_JUNK.id) as Record<string, unknown>;
    assert.equal(pack.bytes, 28_907_388_928); // selected files only
  });

  test('info: 1-based ids, "/" paths, selected 0/1, links for selected files', async () => {
    const { json } = await call(fake, `/torrents/info/${PACK_WITH_JUNK.id}`);
    assert.equal(json.original_filename, 'VR.Collection.Pack.Vol.3-GRP');
    assert.equal(json.original_bytes, 28_909_621_451);
    assert.deepEqual(json.files.map((f: { id: number }) => f.id), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(json.files.map((f: { selected: number }) => f.selected), [1, 1, 1, 0, 1, 0, 1]);
    assert.ok(json.files.every((f: { path: string }) => f.path.startsWith('/')));
    assert.equal(json.links.length, 5);
  });

  test('filter=active lists only unfinished torrents', async () => {
    const { json, res } = await call(fake, '/torrents?filter=active');
    assert.deepEqual(json.map((t: { id: string }) => t.id).sort(), [DOWNLOADING.id, WAITING_FILES_SELECTION.id].sort());
    assert.equal(res.headers.get('x-total-count'), '2');
  });

  const errorCases: Array<[string, string, RequestInit, string | null, number, string, number]> = [
    ['no token', '/torrents', {}, null, 401, 'bad_token', 8],
    ['wrong token', '/user', {}, 'nope', 401, 'bad_token', 8],
    ['unknown torrent', '/torrents/info/ZZZZZZZZZZZZZ', {}, '', 404, 'unknown_ressource', 7],
    ['unknown method', '/torrents/whatever/else', {}, '', 404, 'unknown_method', 3],
    ['wrong verb', '/unrestrict/link', {}, '', 405, 'method_not_allowed', 4],
    ['instantAvailability', '/torrents/instantAvailability/abc', {}, '', 403, 'disabled_endpoint', 37],
    ['unrestrict without link', '/unrestrict/link', form({}), '', 400, 'parameter_missing', 1],
    ['unknown link', '/unrestrict/link', form({ link: 'https://real-debrid.com/d/AAAAAAAAAAAAA' }), '', 404, 'unknown_ressource', 7],
    ['addMagnet bad magnet', '/torrents/addMagnet', form({ magnet: 'magnet:?xt=urn:btih:zz' }), '', 400, 'bad_parameter', 2],
    ['selectFiles without files', `/torrents/selectFiles/${WAITING_FILES_SELECTION.id}`, form({}), '', 400, 'parameter_missing', 1],
    ['delete unknown', '/torrents/delete/ZZZZZZZZZZZZZ', { method: 'DELETE' }, '', 404, 'unknown_ressource', 7],
  ];
  for (const [name, path, init, token, status, error, code] of errorCases) {
    test(`error: ${name} -> ${status} ${error}/${code}`, async () => {
      const r = await call(fake, path, init, token === '' ? fake.token : token);
      assert.equal(r.res.status, status);
      assert.equal(r.json.error, error);
      assert.equal(r.json.error_code, code);
      assert.match(r.text, /^\{\n\t"error"/); // tab-indented like RD
      assert.match(r.res.headers.get('content-type') ?? '', /application\/json/);
    });
  }

  test('parameter_missing carries error_details', async () => {
    const r = await call(fake, `/torrents/selectFiles/${WAITING_FILES_SELECTION.id}`, form({}));
    assert.equal(r.json.error_details, '{files} is missing');
  });

  test('auth_token query works; /time needs no auth', async () => {
    const r = await fetch(`${fake.apiUrl}/user?auth_token=${fake.token}`);
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { type: string }).type, 'premium');
    const t = await fetch(`${fake.apiUrl}/time/iso`);
    assert.equal(t.status, 200);
    assert.match(await t.text(), /^2026-08-21T12:00:00/);
  });

  test('setToken invalidates the old token', async () => {
    const old = fake.token;
    fake.setToken('NEW0TOKEN');
    assert.equal((await call(fake, '/user', {}, old)).res.status, 401);
    assert.equal((await call(fake, '/user', {}, 'NEW0TOKEN')).res.status, 200);
    fake.setToken(old);
  });

  test('addMagnet -> magnet_conversion -> waiting_files_selection -> selectFiles -> downloaded', async () => {
    const magnet = `magnet:?xt=urn:btih:${PACK_WITH_JUNK.hash}&dn=VR%20Collection%20Pack%20Vol%203`;
    const added = await call(fake, '/torrents/addMagnet', form({ magnet }));
    assert.equal(added.res.status, 201);
    const id = added.json.id as string;
    assert.notEqual(id, PACK_WITH_JUNK.id); // a new id even for a known hash
    assert.equal(added.json.uri, `${fake.apiUrl}/torrents/info/${id}`);
    assert.equal((await call(fake, `/torrents/info/${id}`)).json.status, 'magnet_conversion');
    clock += 1000;
    const waiting = await call(fake, `/torrents/info/${id}`);
    assert.equal(waiting.json.status, 'waiting_files_selection');
    assert.equal(waiting.json.files.length, 7);
    assert.equal((await call(fake, `/torrents/selectFiles/${id}`, form({ files: '1,99' }))).res.status, 404);
    assert.equal((await call(fake, `/torrents/selectFiles/${id}`, form({ files: '1,3' }))).res.status, 204);
    assert.equal((await call(fake, `/torrents/selectFiles/${id}`, form({ files: '1,3' }))).res.status, 202);
    assert.equal((await call(fake, `/torrents/info/${id}`)).json.status, 'downloading');
    clock += 3000;
    const done = await call(fake, `/torrents/info/${id}`);
    assert.equal(done.json.status, 'downloaded');
    assert.equal(done.json.links.length, 2);
    assert.equal((await call(fake, `/torrents/delete/${id}`, { method: 'DELETE' })).res.status, 204);
    assert.equal((await call(fake, `/torrents/info/${id}`)).res.status, 404);
  });

  test('activeCount and the 509 cap on addMagnet', async () => {
    const { json } = await call(fake, '/torrents/activeCount');
    assert.deepEqual(json, { nb: 2, limit: 10 });
    const capped = await startFakeRd({ torrents: [DOWNLOADING], activeLimit: 1, rateLimit: false });
    try {
      const r = await call(capped, '/torrents/addMagnet', form({ magnet: `magnet:?xt=urn:btih:${'ab'.repeat(20)}` }));
      assert.equal(r.res.status, 509);
      assert.equal(r.json.error_code, 21);
    } finally {
      await capped.close();
    }
  });
});

describe('accounts and faults', () => {
  test('locked account: 403 permission_denied/9 everywhere; free: 403 on torrents only', async () => {
    const locked = await startFakeRd({ accountType: 'locked', torrents: [SINGLE_FILE] });
    const free = await startFakeRd({ accountType: 'free', torrents: [SINGLE_FILE] });
    try {
      for (const path of ['/user', '/torrents', '/downloads']) {
        const r = await call(locked, path);
        assert.equal(r.res.status, 403);
        assert.deepEqual(r.json, { error: 'permission_denied', error_code: 9 });
      }
      assert.equal((await call(free, '/user')).json.type, 'free');
      assert.equal((await call(free, '/torrents')).res.status, 403);
      assert.equal((await call(free, '/unrestrict/link', form({ link: 'x' }))).res.status, 403);
    } finally {
      await Promise.all([locked.close(), free.close()]);
    }
  });

  test('failNext, htmlErrorRate and hang', async () => {
    const fake = await startFakeRd({ torrents: [SINGLE_FILE], rateLimit: false });
    try {
      fake.setFault({ failNext: { route: 'info', status: 503, times: 2 } });
      const a = await call(fake, `/torrents/info/${SINGLE_FILE.id}`);
      assert.equal(a.res.status, 503);
      assert.equal(a.json.error_code, 25);
      assert.equal((await call(fake, '/user')).res.status, 200); // other routes unaffected
      assert.equal((await call(fake, `/torrents/info/${SINGLE_FILE.id}`)).res.status, 503);
      assert.equal((await call(fake, `/torrents/info/${SINGLE_FILE.id}`)).res.status, 200);

      fake.setFault({ failNext: { route: 'torrents', status: 500, body: { error: 'custom' }, times: 1 } });
      assert.deepEqual((await call(fake, '/torrents')).json, { error: 'custom' });

      fake.setFault({ htmlErrorRate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await call(fake, '/user')).res.status);
      const html = statuses.filter((s) => s === 502).length;
      assert.ok(html > 5 && html < 35, `about half are 502: ${html}`);
      const page = await call(fake, '/user');
      if (page.res.status === 502) assert.match(page.text, /<html>/);
      fake.setFault({ htmlErrorRate: 0 });

      fake.setFault({ hang: 'info' });
      await assert.rejects(fetch(`${fake.apiUrl}/torrents/info/${SINGLE_FILE.id}`, { headers: { Authorization: `Bearer ${fake.token}` }, signal: AbortSignal.timeout(300) }));
      const hung = fake.requests.filter((r) => r.route === 'info').at(-1)!;
      assert.equal(hung.status, 0);
      fake.setFault({ hang: null });
    } finally {
      await fake.close();
    }
  });

  test('latency knob delays API calls only (counted, not timed)', async () => {
    const fake = await startFakeRd({ latencyMs: { user: 50 }, rateLimit: false });
    try {
      const t0 = performance.now();
      await call(fake, '/user');
      assert.ok(performance.now() - t0 >= 45);
      assert.equal(fake.count('user'), 1);
      assert.equal(fake.count(), 1);
    } finally {
      await fake.close();
    }
  });

  test('garbage input never crashes the server', async () => {
    const fake = await startFakeRd({ torrents: [SINGLE_FILE], rateLimit: false });
    try {
      const paths = ['/torrents/info/%E0%A4%A', '/torrents?limit=abc&page=-4&offset=x', '/unrestrict/link?link=%ZZ', '/../../etc/passwd', '//////'];
      for (const p of paths) assert.ok((await call(fake, p)).res.status < 600);
      const big = await call(fake, '/unrestrict/link', { method: 'POST', body: 'link=' + 'A'.repeat(2_000_000) });
      assert.equal(big.res.status, 400);
      assert.equal((await call(fake, '/user')).res.status, 200);
    } finally {
      await fake.close();
    }
  });
});
