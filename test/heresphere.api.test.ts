// HereSphere web API conformance (heresphere-protocol.md §7 items 1-20) against the real server
// on the fake RD, with real generated videos behind the fake CDN.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import type { FakeTorrentSpec } from './fake-rd/index.ts';

let h: Harness;
let samples: Awaited<ReturnType<typeof ensureSamples>>;
const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();

function library(): FakeTorrentSpec[] {
  return [
    { filename: 'Studio.Scene.One.180.LR.mp4', added: ago(1), files: [{ path: '/Studio.Scene.One.180.LR.mp4', source: samples.sbs180.path }] },
    { filename: 'World.Tour.360.TB.mp4', added: ago(10), files: [{ path: '/World.Tour.360.TB.mp4', source: samples.tb360.path }] },
    { filename: 'Some.Movie.2019.1080p.BluRay.x264-GRP', added: ago(40), files: [{ path: '/Some.Movie.2019.1080p.BluRay.x264-GRP/Some.Movie.2019.1080p.BluRay.x264-GRP.mkv', source: samples.flat.path }] },
    {
      filename: 'Pack.100%.Fun.180.SBS',
      added: ago(2),
      files: [
        { path: '/Pack.100%.Fun.180.SBS/Part 10.mp4', source: samples.part2.path },
        { path: '/Pack.100%.Fun.180.SBS/Part 2.mp4', source: samples.part1.path },
        { path: '/Pack.100%.Fun.180.SBS/Part 2.en.srt', source: samples.subtitleSrt },
        { path: '/Pack.100%.Fun.180.SBS/Part 2.funscript', source: samples.funscript },
        { path: '/Pack.100%.Fun.180.SBS/cover.jpg', bytes: 20_000, selected: false },
      ],
    },
    {
      filename: 'Missing.Link.Pack',
      added: ago(3),
      linkMode: 'missing-link',
      missingIndex: 1,
      files: [
        { path: '/Missing.Link.Pack/A.180.LR.mp4', source: samples.part1.path },
        { path: '/Missing.Link.Pack/B.180.LR.mp4', source: samples.sbs180.path },
        { path: '/Missing.Link.Pack/C.180.LR.mp4', source: samples.part2.path },
      ],
    },
  ];
}

before(async () => {
  samples = await ensureSamples();
  h = await startHarness({ torrents: library() });
  // Synced up front, so every test holds when it runs alone (several read the catalog before any index).
  await h.parts.sync.refresh();
});
after(async () => {
  await h?.close();
});

async function index(headers: Record<string, string> = {}) {
  const r = await postJson(`${h.url}/heresphere`, {}, headers);
  assert.equal(r.status, 200);
  return r;
}
async function videoUrls(): Promise<string[]> {
  const r = await index();
  return [...new Set((r.json.library as Array<{ list: string[] }>).flatMap((s) => s.list))];
}
async function videoByTitle(re: RegExp, body: unknown = { needsMediaSource: false }) {
  for (const url of await videoUrls()) {
    const r = await postJson(url, body);
    if (re.test(r.json.title)) return { url, ...r };
  }
  throw new Error(`no video matches ${re}`);
}

test('1-3: index shape, content type and version header on POST, GET and HEAD', async () => {
  const r = await index();
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(r.headers.get('heresphere-json-version'), '1');
  assert.equal(r.json.access, 1);
  assert.ok(Array.isArray(r.json.library) && r.json.library.length > 0);
  for (const s of r.json.library) {
    assert.equal(typeof s.name, 'string');
    assert.ok(s.list.every((u: unknown) => typeof u === 'string'));
  }
  assert.deepEqual(r.json.library.map((s: { name: string }) => s.name), ['Recently added', 'This month', 'Older']);
  const get = await fetch(`${h.url}/heresphere`);
  assert.equal(get.headers.get('heresphere-json-version'), '1');
  assert.deepEqual(await get.json(), r.json);
  const head = await fetch(`${h.url}/heresphere`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('heresphere-json-version'), '1');
  const html = await fetch(`${h.url}/heresphere`, { headers: { accept: 'text/html,application/xhtml+xml', 'user-agent': 'Mozilla/5.0 Chrome/120' } });
  assert.equal(html.headers.get('heresphere-json-version'), '1');
  assert.match(html.headers.get('content-type') ?? '', /text\/html/);
});

test('2: errors under /heresphere carry the version header too', async () => {
  for (const [url, body] of [
    [`${h.url}/heresphere/0000000000000000`, {}],
    [`${h.url}/heresphere/not-an-id`, {}],
    [`${h.url}/heresphere/nope/deeper/path`, {}],
  ] as const) {
    const r = await postJson(url, body);
    assert.ok(r.status >= 400 && r.status < 500, `${url} -> ${r.status}`);
    assert.equal(r.headers.get('heresphere-json-version'), '1');
    assert.equal(typeof r.json.error, 'string');
  }
  const bad = await fetch(`${h.url}/heresphere`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oops' });
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('heresphere-json-version'), '1');
});

test('4: GET / redirects HereSphere to /heresphere and serves browsers the view', async () => {
  const r = await fetch(`${h.url}/`, { headers: { 'user-agent': 'HereSphere/0.8 Quest2' }, redirect: 'manual' });
  assert.equal(r.status, 307);
  assert.equal(r.headers.get('location'), '/heresphere');
  const b = await fetch(`${h.url}/`, { headers: { 'user-agent': 'Mozilla/5.0' } });
  assert.equal(b.status, 200);
  assert.match(b.headers.get('content-type') ?? '', /text\/html/);
});

test('5 + 11: absolute URLs from Host / X-Forwarded-*, no titles or % in any URL', async () => {
  const r = await index({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'vr.example.com' });
  const urls = (r.json.library as Array<{ list: string[] }>).flatMap((s) => s.list);
  assert.ok(urls.every((u) => /^https:\/\/vr\.example\.com\/heresphere\/[0-9a-f]{16}$/.test(u)), urls.join(' '));
  const plain = await videoUrls();
  const port = new URL(h.url).port;
  assert.ok(plain.every((u) => u.startsWith(`http://127.0.0.1:${port}/heresphere/`)));
  const v = await videoByTitle(/Pack 100% Fun/, {});
  const all = JSON.stringify(v.json).match(/https?:\/\/[^"]+/g) ?? [];
  assert.ok(all.length > 3);
  for (const u of all) assert.ok(!u.includes('%') && !/Fun|Pack/.test(u), u);
});

test('6-10: full video object, metadata-only without unrestrict, projection enums, playable sources', async () => {
  // Background media jobs (probes, thumbnails) unrestrict on their own budget: let them finish first.
  const scene = h.parts.catalog.list().find((x) => /Scene One/.test(x.title))!;
  await h.parts.media.ensure('probe', h.parts.targets.of(scene)!, 'now');
  await h.parts.media.onIdle();
  h.fake.clearLog();
  for (const url of await videoUrls()) {
    const meta = await postJson(url, { needsMediaSource: false });
    assert.equal(meta.json.access, 1);
    assert.deepEqual(meta.json.media, []);
    assert.match(meta.json.dateAdded, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(['perspective', 'equirectangular', 'equirectangular360', 'fisheye', 'cubemap', 'equiangularCubemap'].includes(meta.json.projection));
    assert.ok(['mono', 'sbs', 'tb'].includes(meta.json.stereo));
    assert.ok(['Linear', 'MKX220', 'MKX200', 'VRCA220'].includes(meta.json.lens));
    assert.equal(typeof meta.json.fov, 'number');
    for (const k of ['writeFavorite', 'writeRating', 'writeTags', 'writeHSP']) assert.equal(typeof meta.json[k], 'boolean');
    for (const t of meta.json.tags) assert.equal(typeof t.name, 'string');
  }
  assert.equal(h.fake.count('unrestrict'), 0, 'metadata-only requests never unrestrict');
  const full = { ...(await postJson(`${h.url}/heresphere/${scene.id}`, {})) };
  assert.equal(h.fake.count('unrestrict'), 0, 'full video objects never unrestrict either');
  assert.equal(full.json.projection, 'equirectangular');
  assert.equal(full.json.stereo, 'sbs');
  assert.equal(full.json.media.length, 1);
  const src = full.json.media[0].sources[0];
  assert.ok(full.json.media[0].name.length > 0);
  assert.ok(Number.isInteger(src.resolution));
  const ranged = await fetch(src.url, { headers: { range: 'bytes=0-1' } });
  assert.equal(ranged.status, 206);
  assert.equal((await ranged.arrayBuffer()).byteLength, 2);
  const flat = await videoByTitle(/Some Movie/);
  assert.equal(flat.json.projection, 'perspective');
  assert.equal(flat.json.stereo, 'mono');
});

test('8: duration in ms within 1% once probed; scan data carries it', async () => {
  const v = h.parts.catalog.list().find((x) => /Scene One/.test(x.title))!;
  const target = h.parts.targets.of(v)!;
  await h.parts.media.ensure('probe', target, 'now');
  const r = await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false });
  assert.ok(Math.abs(r.json.duration - samples.sbs180.durationMs) <= samples.sbs180.durationMs * 0.01, `${r.json.duration} vs ${samples.sbs180.durationMs}`);
  const scan = await postJson(`${h.url}/heresphere/scan`, {});
  const entry = scan.json.scanData.find((e: { link: string }) => e.link.endsWith(v.id));
  assert.equal(entry.duration, r.json.duration);
});

test('multi-part pack: one media entry per video in natural order, subtitles with language, scripts', async () => {
  const v = await videoByTitle(/Pack 100% Fun/, {});
  assert.deepEqual(v.json.media.map((m: { name: string }) => m.name), ['Part 2.mp4', 'Part 10.mp4']);
  assert.equal(v.json.subtitles.length, 1);
  assert.equal(v.json.subtitles[0].language, 'en');
  assert.equal(v.json.scripts.length, 1);
  const sub = await fetch(v.json.subtitles[0].url);
  assert.equal(sub.status, 200);
  assert.match(await sub.text(), /-->/);
});

test('12: thumbnailImage answers a JPEG at once (placeholder or real)', async () => {
  const v = await videoByTitle(/World Tour/);
  const r = await fetch(v.json.thumbnailImage);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  const b = Buffer.from(await r.arrayBuffer());
  assert.equal(b[0], 0xff);
  assert.equal(b[1], 0xd8);
});

test('15-17: favorite, rating, tags and hsp write-back, reflected at once and after a restart', async () => {
  const v = await videoByTitle(/World Tour/);
  const hsp = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
  const w = await postJson(v.url, {
    needsMediaSource: false,
    isFavorite: true,
    rating: 3.5,
    tags: [{ name: 'Category:Travel' }, { name: 'Marker', start: 1000, end: 5000, track: 0 }, { name: 'Feature:Watched' }],
    hsp: hsp.toString('base64'),
  });
  assert.equal(w.status, 200);
  assert.equal(w.json.isFavorite, true);
  assert.equal(w.json.rating, 3.5);
  const names = w.json.tags.map((t: { name: string }) => t.name);
  assert.ok(names.includes('Category:Travel') && names.includes('Marker'));
  assert.equal(names.filter((n: string) => n === 'Feature:Watched').length, 0, 'generated tags sent back are ignored (video is unwatched)');
  const got = await fetch(w.json.hsp);
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), hsp);
  // tags replace: sending one tag removes the others
  const w2 = await postJson(v.url, { needsMediaSource: false, tags: [{ name: 'Category:Only' }] });
  const names2 = w2.json.tags.map((t: { name: string }) => t.name);
  assert.ok(names2.includes('Category:Only') && !names2.includes('Category:Travel') && !names2.includes('Marker'));
  const idx = await index();
  assert.equal(idx.json.library[0].name, 'Favorites');
  await h.restart();
  const after = await postJson(v.url, { needsMediaSource: false });
  assert.equal(after.json.isFavorite, true);
  assert.equal(after.json.rating, 3.5);
  assert.ok(after.json.tags.some((t: { name: string }) => t.name === 'Category:Only'));
  const cleared = await postJson(v.url, { needsMediaSource: false, rating: 0, isFavorite: false });
  assert.equal(cleared.json.rating, 0);
  assert.equal(cleared.json.isFavorite, false);
});

test('18: deleteFile is ignored unless ALLOW_DELETE=true', async () => {
  const v = await videoByTitle(/Some Movie/);
  const before = h.fake.count('delete');
  const r = await postJson(v.url, { needsMediaSource: false, deleteFile: true });
  assert.equal(r.status, 200);
  assert.equal(h.fake.count('delete'), before);
  assert.ok((await videoUrls()).includes(v.url));
});

test('19: scan links equal the index URLs', async () => {
  // The index first (as HereSphere does): its first request syncs the library, so this test holds when run alone too.
  const index = (await videoUrls()).sort();
  assert.ok(index.length > 0);
  const scan = await postJson(`${h.url}/heresphere/scan`, {});
  assert.equal(scan.status, 200);
  assert.equal(scan.headers.get('heresphere-json-version'), '1');
  const links = scan.json.scanData.map((e: { link: string }) => e.link).sort();
  assert.deepEqual(links, index);
  for (const e of scan.json.scanData) {
    assert.match(e.dateAdded, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(typeof e.duration, 'number');
  }
});

test('20: events keep resume, count one play per open-to-close, watched only at 90%', async () => {
  const v = h.parts.catalog.list().find((x) => /Scene One/.test(x.title))!;
  const target = h.parts.targets.of(v)!;
  await h.parts.media.ensure('probe', target, 'now');
  const dur = h.parts.catalog.get(v.id)!.durationMs;
  assert.ok(dur > 0);
  const ev = (event: number, time: number) => postJson(`${h.url}/heresphere/${v.id}/event`, { id: `${h.url}/heresphere/${v.id}`, event, time, speed: 1, utc: Date.now() });
  const r0 = await ev(0, 0);
  assert.equal(r0.status, 200);
  assert.equal(r0.headers.get('heresphere-json-version'), '1');
  assert.equal(r0.json, null, 'empty body');
  await ev(1, 1000);
  await ev(2, Math.round(dur * 0.5));
  await ev(3, Math.round(dur * 0.5));
  let u = h.store.user.get(v.hash);
  assert.equal(u.playCount, 1);
  assert.equal(u.watched, false, 'closing at 50% is not watched');
  assert.equal(u.resumeMs, Math.round(dur * 0.5));
  await ev(0, 0);
  await ev(1, Math.round(dur * 0.95));
  await ev(3, Math.round(dur * 0.95));
  u = h.store.user.get(v.hash);
  assert.equal(u.playCount, 2);
  assert.equal(u.watched, true);
  const obj = await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false });
  assert.ok(obj.json.tags.some((t: { name: string }) => /Watched$/.test(t.name) && !/Unwatched/.test(t.name)));
  // Survives a restart: the next video object still says watched, with both plays counted.
  await h.restart();
  const later = await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false });
  assert.ok(later.json.tags.some((t: { name: string }) => t.name === 'Feature:Watched'));
  assert.equal(later.json.comments, 2, 'play count');
  assert.equal(h.store.user.get(v.hash).resumeMs, 0, 'a finished video starts over next time');
});

test('/play: one unrestrict per file for 20 concurrent requests, reused afterwards, 302 no-store', async () => {
  // Part 10 of the pack: a file no background media job touches (they use a video's main file).
  const v = await videoByTitle(/Pack 100% Fun/, {});
  const url = v.json.media[1].sources[0].url;
  await h.parts.media.onIdle(); // background media jobs unrestrict on their own budget
  h.fake.clearLog();
  const rs = await Promise.all(Array.from({ length: 20 }, () => fetch(url, { redirect: 'manual' })));
  for (const r of rs) {
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
  assert.equal(h.fake.count('unrestrict'), 1);
  const again = await fetch(url, { redirect: 'manual', method: 'HEAD' });
  assert.equal(again.status, 302);
  assert.equal(h.fake.count('unrestrict'), 1);
});

test('missing-link torrent: every offered media entry streams its own file, never a neighbour\'s', async () => {
  const v = await videoByTitle(/Missing Link/, {});
  const spec = h.fake.torrents().find((t) => t.filename === 'Missing.Link.Pack')!;
  const expected = new Map(spec.files.map((f) => [f.path.split('/').pop()!, f.bytes!]));
  // RD gave 2 links for 3 files: positions cannot be trusted, so opening the video matched links
  // to files by name and size first; the file without a link is not offered at all.
  assert.deepEqual(v.json.media.map((m: { name: string }) => m.name), ['A.180.LR.mp4', 'C.180.LR.mp4']);
  for (const m of v.json.media) {
    const r = await fetch(m.sources[0].url, { method: 'HEAD' });
    assert.equal(r.status, 200, m.name);
    assert.equal(Number(r.headers.get('content-length')), expected.get(m.name), `${m.name} streams its own bytes`);
  }
  const calls = h.fake.count('unrestrict');
  await postJson(v.url, {});
  assert.equal(h.fake.count('unrestrict'), calls, 'matched once, remembered');
});

test('bad input: malformed JSON, unknown id, hostile ids, rating 7, 10 MB body -> 4xx JSON, nothing stored', async () => {
  const v = await videoByTitle(/Some Movie/);
  const before = JSON.stringify(h.store.user.get(h.parts.catalog.get(v.url.split('/').pop()!)!.hash));
  const cases: Array<[string, RequestInit]> = [
    [v.url, { method: 'POST', body: '{"rating": 4,', headers: { 'content-type': 'application/json' } }],
    [v.url, { method: 'POST', body: JSON.stringify({ rating: 7 }), headers: { 'content-type': 'application/json' } }],
    [v.url, { method: 'POST', body: JSON.stringify({ rating: 'x' }), headers: { 'content-type': 'application/json' } }],
    [v.url, { method: 'POST', body: JSON.stringify({ isFavorite: true, pad: 'x'.repeat(10 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } }],
    [`${h.url}/heresphere/..%2F..%2Fetc%2Fpasswd`, { method: 'POST', body: '{}' }],
    [`${h.url}/heresphere/abc%00def`, { method: 'POST', body: '{}' }],
    [`${h.url}/heresphere/ffffffffffffffff`, { method: 'POST', body: '{"isFavorite":true}' }],
    // Valid writes next to an invalid one: the whole request is refused and none of it is stored.
    [v.url, { method: 'POST', body: JSON.stringify({ isFavorite: true, rating: 3, hsp: '%%% not base64 %%%' }) }],
    [v.url, { method: 'POST', body: JSON.stringify({ isFavorite: true, tags: [{ name: 'Mine:x' }], hsp: '' }) }],
  ];
  for (const [url, init] of cases) {
    const r = await fetch(url, init);
    assert.ok(r.status >= 400 && r.status < 500, `${url} -> ${r.status}`);
    assert.equal(r.headers.get('heresphere-json-version'), '1');
    const j = (await r.json()) as { error?: string };
    assert.equal(typeof j.error, 'string');
  }
  assert.equal(JSON.stringify(h.store.user.get(h.parts.catalog.get(v.url.split('/').pop()!)!.hash)), before);
  assert.equal((await index()).status, 200, 'still serving');
});

test('gzip when asked: index, scan and video objects', async () => {
  for (const [url, body] of [
    [`${h.url}/heresphere`, {}],
    [`${h.url}/heresphere/scan`, {}],
    [(await videoUrls())[0]!, {}],
  ] as const) {
    const r = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'accept-encoding': 'gzip', 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    const enc = r.headers.get('content-encoding');
    const len = Number(r.headers.get('content-length') ?? 0);
    assert.ok(enc === 'gzip' || (len > 0 && len < 1024), `${url}: gzip or tiny (${enc}, ${len})`);
    assert.equal(r.headers.get('heresphere-json-version'), '1');
    assert.ok(typeof (await r.json()) === 'object', 'fetch decodes it back to JSON');
  }
});

test('a write-back without needsMediaSource costs no RD call and queues no media job', async (t) => {
  // No background info backfill, so the pack's file list stays unknown until someone asks RD.
  const own = await startHarness({ env: { RD_INFO_BACKFILL_PER_MINUTE: '0' }, torrents: library() });
  t.after(() => own.close());
  const list = (await postJson(`${own.url}/heresphere`, {})).json.library as Array<{ list: string[] }>;
  const pack = own.parts.catalog.list().find((v) => /Pack 100% Fun/.test(v.title))!;
  assert.equal(pack.filesKnown, false, 'precondition: file list not fetched yet');
  assert.ok(list.some((s) => s.list.some((u) => u.endsWith(pack.id))));
  await own.parts.media.onIdle();
  own.fake.clearLog();
  const r = await postJson(`${own.url}/heresphere/${pack.id}`, { isFavorite: true, rating: 4.5 });
  assert.equal(r.status, 200);
  assert.equal(r.json.isFavorite, true);
  assert.equal(r.json.rating, 4.5);
  await own.parts.media.onIdle();
  assert.equal(own.fake.count(), 0, 'no RD call for a favourite toggle');
  assert.equal(own.parts.media.status().queued + own.parts.media.status().running, 0);
  // The same video opened for playback (needsMediaSource absent, no write) does ask RD.
  const open = await postJson(`${own.url}/heresphere/${pack.id}`, {});
  assert.equal(own.fake.count('info'), 1);
  assert.equal(open.json.media.length, 2);
});

test('18: ALLOW_DELETE=true deletes on RD and drops the video; an RD failure changes nothing', async (t) => {
  const own = await startHarness({ env: { ALLOW_DELETE: 'true' }, torrents: library() });
  t.after(() => own.close());
  const urls = async () => ((await postJson(`${own.url}/heresphere`, {})).json.library as Array<{ list: string[] }>).flatMap((s) => s.list);
  await urls(); // the first index syncs the library
  const movie = own.parts.catalog.list().find((v) => /Some Movie/.test(v.title))!;
  const scene = own.parts.catalog.list().find((v) => /Scene One/.test(v.title))!;
  own.fake.setFault({ failNext: { route: 'delete', status: 403, body: { error: 'permission_denied', error_code: 9 }, times: 1 } });
  const refused = await postJson(`${own.url}/heresphere/${movie.id}`, { needsMediaSource: false, deleteFile: true });
  assert.equal(refused.status, 502);
  assert.match(refused.json.error, /did not delete/);
  assert.ok((await urls()).some((u) => u.endsWith(movie.id)), 'still listed after a failed delete');
  const before = own.fake.count('delete');
  const done = await postJson(`${own.url}/heresphere/${scene.id}`, { needsMediaSource: false, deleteFile: true });
  assert.equal(done.status, 200);
  assert.equal(own.fake.count('delete'), before + 1);
  assert.ok(!(await urls()).some((u) => u.endsWith(scene.id)), 'gone from the index');
  assert.ok(!own.fake.torrents().some((x) => x.filename === 'Studio.Scene.One.180.LR.mp4'), 'gone from RD');
});

test('18: a delete by one server process is seen by a second one on the same data dir, even after its own refresh', async (t) => {
  const a = await startHarness({ env: { ALLOW_DELETE: 'true' }, torrents: library(), media: false });
  t.after(() => a.close());
  const ids = async (s: Harness) => ((await postJson(`${s.url}/heresphere`, {})).json.library as Array<{ list: string[] }>).flatMap((x) => x.list);
  await ids(a); // the first index syncs the library into the shared store
  // The second process: same data dir, same Real-Debrid account.
  const b = await startHarness({ dataDir: a.dataDir, env: { RD_API_URL: a.fake.apiUrl, RD_API_TOKEN: a.fake.token }, media: false });
  t.after(() => b.close());
  const scene = a.parts.catalog.list().find((v) => /Scene One/.test(v.title))!;
  assert.ok((await ids(b)).some((u) => u.endsWith(scene.id)), 'the second process lists it at first');
  const done = await postJson(`${a.url}/heresphere/${scene.id}`, { needsMediaSource: false, deleteFile: true });
  assert.equal(done.status, 200);
  assert.ok(!(await ids(b)).some((u) => u.endsWith(scene.id)), 'gone from the second process’s index');
  await b.parts.sync.refresh();
  assert.ok(!(await ids(b)).some((u) => u.endsWith(scene.id)), 'still gone after the second process refreshed');
});
