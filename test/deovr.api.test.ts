// DeoVR JSON conformance (heresphere-protocol.md §7 items 24-30) against the real server on the
// fake RD: every projection family a name can carry maps to DeoVR's screenType/stereoMode/is3d,
// lengths are whole seconds, media goes through /play and building JSON never unrestricts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import type { FakeTorrentSpec } from './fake-rd/index.ts';

let h: Harness;
let samples: Awaited<ReturnType<typeof ensureSamples>>;
const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();

/** Title fragment → what DeoVR must be told (the §5.6 table plus this project's decisions). */
const EXPECTED: ReadonlyArray<[RegExp, { screenType: string; stereoMode: string; is3d: boolean }]> = [
  [/Some Movie/, { screenType: 'flat', stereoMode: 'off', is3d: false }],
  [/Scene One/, { screenType: 'dome', stereoMode: 'sbs', is3d: true }],
  [/Quiet Room/, { screenType: 'dome', stereoMode: 'off', is3d: false }],
  [/World Tour/, { screenType: 'sphere', stereoMode: 'tb', is3d: true }],
  [/Ocean Dive/, { screenType: 'sphere', stereoMode: 'off', is3d: false }],
  [/Garden Walk/, { screenType: 'fisheye', stereoMode: 'sbs', is3d: true }],
  [/Forest/, { screenType: 'fisheye190', stereoMode: 'sbs', is3d: true }],
  [/Canon Test/, { screenType: 'rf52', stereoMode: 'cuv', is3d: true }],
  [/Beach/, { screenType: 'mkx200', stereoMode: 'sbs', is3d: true }],
  [/Lake/, { screenType: 'mkx220', stereoMode: 'sbs', is3d: true }],
  [/Hill/, { screenType: 'vrca220', stereoMode: 'sbs', is3d: true }],
  [/Pack Fun/, { screenType: 'dome', stereoMode: 'sbs', is3d: true }],
];

function library(): FakeTorrentSpec[] {
  const one = (name: string, days: number, source: string): FakeTorrentSpec => ({ filename: name, added: ago(days), files: [{ path: `/${name}`, source }] });
  return [
    { filename: 'Some.Movie.2019.1080p.BluRay.x264-GRP', added: ago(40), files: [{ path: '/Some.Movie.2019.1080p.BluRay.x264-GRP/Some.Movie.2019.1080p.BluRay.x264-GRP.mkv', source: samples.flat.path }] },
    one('Studio.Scene.One.180.LR.mp4', 1, samples.sbs180.path),
    one('Quiet.Room.180.MONO.mp4', 2, samples.flat.path),
    one('World.Tour.360.TB.mp4', 10, samples.tb360.path),
    one('Ocean.Dive.VR360.mp4', 11, samples.flat.path),
    one('Garden.Walk.FISHEYE.LR.mp4', 12, samples.fisheye.path),
    one('Forest.Path.Fisheye190.LR.mp4', 13, samples.fisheye.path),
    one('Canon.Test.RF52.LR.mp4', 14, samples.fisheye.path),
    one('Beach.Day.MKX200.LR.mp4', 50, samples.fisheye.path),
    one('Lake.Side.MKX220.LR.mp4', 51, samples.fisheye.path),
    one('Hill.Top.VRCA220.LR.mp4', 52, samples.fisheye.path),
    {
      filename: 'Pack.Fun.180.SBS',
      added: ago(3),
      files: [
        { path: '/Pack.Fun.180.SBS/Part 10.mp4', source: samples.part2.path },
        { path: '/Pack.Fun.180.SBS/Part 2.mp4', source: samples.part1.path },
        { path: '/Pack.Fun.180.SBS/Part 2.en.srt', source: samples.subtitleSrt },
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

interface ListItem {
  title: string;
  videoLength: number;
  thumbnailUrl: string;
  video_url: string;
}
async function deoLibrary(init: RequestInit = {}): Promise<{ scenes: Array<{ name: string; list: ListItem[] }>; authorized: string }> {
  const r = await fetch(`${h.url}/deovr`, init);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
  return (await r.json()) as never;
}
async function items(): Promise<ListItem[]> {
  return (await deoLibrary()).scenes.flatMap((s) => s.list);
}
async function deoVideo(re: RegExp): Promise<{ item: ListItem; json: any }> {
  const item = (await items()).find((i) => re.test(i.title));
  assert.ok(item, `no list item matches ${re}`);
  const r = await fetch(item.video_url);
  assert.equal(r.status, 200);
  return { item, json: await r.json() };
}

test('24: library shape; same sections and videos as HereSphere', async () => {
  const lib = await deoLibrary();
  assert.equal(lib.authorized, '1');
  assert.ok(lib.scenes.length > 0);
  const port = new URL(h.url).port;
  for (const s of lib.scenes) {
    assert.equal(typeof s.name, 'string');
    for (const i of s.list) {
      assert.equal(typeof i.title, 'string');
      assert.ok(Number.isInteger(i.videoLength) && i.videoLength >= 0, `${i.title}: ${i.videoLength}`);
      assert.match(i.thumbnailUrl, new RegExp(`^http://127\\.0\\.0\\.1:${port}/thumb/[0-9a-f]{16}\\.jpg$`));
      assert.match(i.video_url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/deovr/[0-9a-f]{16}$`));
    }
  }
  const hs = await postJson(`${h.url}/heresphere`, {});
  const idsOf = (urls: string[]) => urls.map((u) => u.split('/').pop());
  assert.deepEqual(
    lib.scenes.map((s) => [s.name, idsOf(s.list.map((i) => i.video_url))]),
    (hs.json.library as Array<{ name: string; list: string[] }>).map((s) => [s.name, idsOf(s.list)]),
  );
  assert.deepEqual(lib.scenes.map((s) => s.name), ['Recently added', 'This month', 'Older']);
  assert.equal(lib.scenes.flatMap((s) => s.list).length, library().length);
});

test('25-26: every projection family maps to the right screenType / stereoMode / is3d', async () => {
  for (const [re, want] of EXPECTED) {
    const { json } = await deoVideo(re);
    assert.deepEqual({ screenType: json.screenType, stereoMode: json.stereoMode, is3d: json.is3d }, want, `${json.title}`);
    assert.ok(Number.isSafeInteger(json.id) && json.id > 0, `id ${json.id}`);
    assert.equal(typeof json.title, 'string');
    assert.ok(Number.isInteger(json.videoLength));
    assert.equal(json.authorized, '1');
    assert.equal(json.fullAccess, true);
    assert.ok(['sbs', 'tb', 'cuv', 'off'].includes(json.stereoMode));
    assert.equal(json.is3d, json.stereoMode !== 'off', 'is3d exactly for stereo videos');
    assert.ok(Array.isArray(json.encodings) && json.encodings.length > 0);
    for (const e of json.encodings) {
      assert.ok(typeof e.name === 'string' && e.name.length > 0);
      assert.equal(e.videoSources.length, 1);
      assert.ok(Number.isInteger(e.videoSources[0].resolution));
    }
  }
  const lake = await deoVideo(/Lake/);
  assert.notEqual(lake.json.screenType, 'mkx200', 'MKX220 is its own lens (the ancestor called it MKX200)');
  const movie = await deoVideo(/Some Movie/);
  assert.equal(movie.json.is3d, false, 'a flat film is not 3D (the ancestor said it was)');
});

test('videoLength is whole seconds once probed, in the list and the video object', async () => {
  const v = h.parts.catalog.list().find((x) => /Scene One/.test(x.title))!;
  await h.parts.media.ensure('probe', h.parts.targets.of(v)!, 'now');
  const { item, json } = await deoVideo(/Scene One/);
  const want = Math.round(samples.sbs180.durationMs / 1000);
  assert.equal(item.videoLength, want);
  assert.equal(json.videoLength, want);
  assert.equal(json.encodings[0].name, 'h264');
  assert.equal(json.encodings[0].videoSources[0].resolution, samples.sbs180.height);
  assert.equal(json.encodings[0].videoSources[0].width, samples.sbs180.width);
});

test('27: timeStamps in whole seconds, only with videoLength', async () => {
  const probed = h.parts.catalog.list().find((x) => /Scene One/.test(x.title))!;
  await h.parts.media.ensure('probe', h.parts.targets.of(probed)!, 'now');
  const unprobed = h.parts.catalog.list().find((x) => /Hill/.test(x.title))!;
  for (const v of [probed, unprobed]) {
    const w = await postJson(`${h.url}/heresphere/${v.id}`, {
      needsMediaSource: false,
      tags: [{ name: 'Intro', start: 1500, end: 4000, track: 0 }, { name: 'Category:Nature' }, { name: 'Ending', start: 12_900, end: 15_000, track: 0 }],
    });
    assert.equal(w.status, 200);
  }
  const { json } = await deoVideo(/Scene One/);
  assert.ok(json.videoLength > 0);
  assert.deepEqual(json.timeStamps, [
    { ts: 1, name: 'Intro' },
    { ts: 12, name: 'Ending' },
  ]);
  const hill = await deoVideo(/Hill/);
  if (hill.json.videoLength === 0) assert.equal(hill.json.timeStamps, undefined, 'no timeStamps without videoLength');
  else assert.ok(hill.json.timeStamps.every((t: { ts: number }) => Number.isInteger(t.ts)));
});

test('HereSphere write-back: 0/0 and null tags stay whole-video tags (no DeoVR chapter at 0 s); a backwards span is swapped', async () => {
  const v = h.parts.catalog.list().find((x) => /Scene One/.test(x.title))!;
  await h.parts.media.ensure('probe', h.parts.targets.of(v)!, 'now');
  const w = await postJson(`${h.url}/heresphere/${v.id}`, {
    needsMediaSource: false,
    tags: [
      { name: 'Category:Whole', start: 0, end: 0, track: 0 },
      { name: 'Category:Null', start: null, end: null },
      { name: 'Backwards', start: 9000, end: 3000, track: 0 },
    ],
  });
  assert.equal(w.status, 200, JSON.stringify(w.json));
  const hs = (await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false })).json as { tags: Array<{ name: string; start?: number; end?: number }> };
  const mine = hs.tags.filter((t) => ['Category:Whole', 'Category:Null', 'Backwards'].includes(t.name));
  const whole = mine.filter((t) => t.name !== 'Backwards');
  assert.equal(whole.length, 2);
  for (const t of whole) assert.ok(!t.start && !t.end, `${t.name} is a whole-video tag: ${JSON.stringify(t)}`);
  assert.deepEqual(mine.find((t) => t.name === 'Backwards') && { start: mine.find((t) => t.name === 'Backwards')!.start, end: mine.find((t) => t.name === 'Backwards')!.end }, { start: 3000, end: 9000 });
  const { json } = await deoVideo(/Scene One/);
  assert.deepEqual(json.timeStamps, [{ ts: 3, name: 'Backwards' }], 'only the timed tag is a chapter');
});

test('28 + no unrestrict: media goes through /play, thumbnails /thumb, and building JSON unrestricts nothing', async () => {
  // Probing reads media through RD (a background unrestrict): finish it first so the count
  // below measures the JSON routes alone. The library is synced first, so this holds when the
  // test runs alone too (otherwise the list is empty and the probes run during the count).
  await items();
  assert.ok(h.parts.catalog.list().length > 0);
  for (const v of h.parts.catalog.list()) {
    const target = h.parts.targets.of(v);
    if (target) await h.parts.media.ensure('probe', target, 'now');
  }
  h.fake.clearLog();
  const port = new URL(h.url).port;
  for (const item of await items()) {
    const r = await fetch(item.video_url);
    const json = (await r.json()) as any;
    const id = item.video_url.split('/').pop();
    assert.equal(json.thumbnailUrl, `http://127.0.0.1:${port}/thumb/${id}.jpg`);
    assert.equal(json.videoPreview, `http://127.0.0.1:${port}/preview/${id}.mp4`);
    for (const e of json.encodings) {
      assert.match(e.videoSources[0].url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/play/${id}/\\d+$`));
    }
    const text = JSON.stringify(json);
    assert.ok(!text.includes(h.fake.url), 'no Real-Debrid URL in DeoVR JSON');
  }
  await deoLibrary();
  assert.equal(h.fake.count('unrestrict'), 0, 'no unrestrict while building DeoVR JSON');
  const { json } = await deoVideo(/World Tour/);
  const ranged = await fetch(json.encodings[0].videoSources[0].url, { headers: { range: 'bytes=0-1' } });
  assert.equal(ranged.status, 206, 'the /play URL streams');
  assert.equal((await ranged.arrayBuffer()).byteLength, 2);
});

test('multi-part pack: one encoding per video file in natural order, each its own /play file', async () => {
  const { json } = await deoVideo(/Pack Fun/);
  assert.equal(json.encodings.length, 2);
  assert.deepEqual(json.encodings.map((e: { name: string }) => e.name.replace(/ \(.*\)$/, '')), ['Part 1/2', 'Part 2/2']);
  const spec = h.fake.torrents().find((t) => t.filename === 'Pack.Fun.180.SBS')!;
  const wanted = [spec.files[1]!.bytes, spec.files[0]!.bytes]; // "Part 2" before "Part 10"
  assert.deepEqual(json.encodings.map((e: any) => e.videoSources[0].size), wanted);
  const urls = json.encodings.map((e: any) => e.videoSources[0].url);
  assert.equal(new Set(urls).size, 2);
  assert.equal(json.subtitles, undefined, 'DeoVR JSON has no subtitle field');
});

test('29-30: POST /deovr without credentials (empty, form, JSON) answers exactly like GET', async () => {
  const get = await deoLibrary();
  const posts: RequestInit[] = [
    { method: 'POST' },
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' },
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' },
  ];
  for (const init of posts) assert.deepEqual(await deoLibrary(init), get, JSON.stringify(init));
  const item = get.scenes[0]!.list[0]!;
  const viaGet = await (await fetch(item.video_url)).json();
  const viaPost = await fetch(item.video_url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  assert.equal(viaPost.status, 200);
  assert.deepEqual(await viaPost.json(), viaGet);
  const huge = await fetch(`${h.url}/deovr`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `login=${'x'.repeat(100_000)}` });
  assert.equal(huge.status, 413);
});

test('HEAD, trailing slash, caching: 304 on a repeat, a new library version rebuilds', async () => {
  const head = await fetch(`${h.url}/deovr`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.match(head.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(await deoLibrary({}), await (await fetch(`${h.url}/deovr/`)).json());
  const first = await fetch(`${h.url}/deovr`);
  const etag = first.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${h.url}/deovr`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const v = h.parts.catalog.list().find((x) => /Ocean Dive/.test(x.title))!;
  await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false, isFavorite: true });
  const changed = await fetch(`${h.url}/deovr`, { headers: { 'if-none-match': etag } });
  assert.equal(changed.status, 200);
  const lib = (await changed.json()) as { scenes: Array<{ name: string; list: ListItem[] }> };
  assert.equal(lib.scenes[0]!.name, 'Favorites');
  assert.deepEqual(lib.scenes[0]!.list.map((i) => i.video_url.split('/').pop()), [v.id]);
  await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false, isFavorite: false });
});

test('bad ids: unknown -> 404 JSON, malformed -> 400 JSON', async () => {
  for (const [url, status] of [
    [`${h.url}/deovr/ffffffffffffffff`, 404],
    [`${h.url}/deovr/not-an-id`, 400],
    [`${h.url}/deovr/..%2F..%2Fetc%2Fpasswd`, 400],
    [`${h.url}/deovr/FFFFFFFFFFFFFFFF`, 400],
  ] as const) {
    const r = await fetch(url);
    assert.equal(r.status, status, url);
    assert.equal(typeof ((await r.json()) as { error?: string }).error, 'string');
  }
});

test('24: sections follow the clock on an unchanged library (same windows as HereSphere)', async (t) => {
  let skipped = 0; // the server's clock runs in real time (the RD budget refills on it); the test jumps it
  const edge = new Date(Date.now() - 7 * DAY + 30 * 60_000).toISOString(); // leaves "Recently added" in half an hour
  const own = await startHarness({ now: () => Date.now() + skipped, torrents: [{ filename: 'Edge.Case.180.LR.mp4', added: edge, files: [{ path: '/Edge.Case.180.LR.mp4', source: samples.sbs180.path }] }] });
  t.after(() => own.close());
  const names = async () => ((await (await fetch(`${own.url}/deovr`)).json()) as { scenes: Array<{ name: string }> }).scenes.map((s) => s.name);
  const hsNames = async () => (await postJson(`${own.url}/heresphere`, {})).json.library.map((s: { name: string }) => s.name);
  assert.deepEqual(await names(), ['Recently added']);
  await own.parts.media.onIdle(); // thumbnails and probes done: nothing else changes the library now
  const etag = async () => (await fetch(`${own.url}/deovr`)).headers.get('etag');
  let settled = await etag();
  for (let i = 0, next = await etag(); next !== settled && i < 50; i++, next = await etag()) {
    settled = next;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await etag(), settled, 'the library is at rest');
  skipped += 2 * 3600_000;
  assert.deepEqual(await names(), ['This month']);
  assert.deepEqual(await hsNames(), await names());
});
