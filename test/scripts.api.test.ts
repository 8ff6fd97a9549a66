// Funscripts end to end (issue 17): the real server on the fake RD, whose CDN serves generated
// funscripts of known shape and broken ones. Each script is read once through RD's unrestrict (the
// budgeted link path), its figures reach the browser JSON, the detail view and HereSphere's tags;
// broken scripts give a reason and no heatmap; nothing is fetched again after a restart; a huge
// script is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { RAMP_FIGURES, scriptedTorrent as scripted } from './fake-rd/funscripts.ts';
import { HEATMAP_SEGMENTS, SCRIPT_PROBLEMS } from '../src/library/funscript.ts';

let h: Harness;

before(async () => {
  h = await startHarness({
    media: false,
    torrents: [
      scripted('Ramp.Scene.180.LR', 1, 'ramp'),
      scripted('Broken.Json.180.LR', 2, 'notJson'),
      scripted('Empty.Script.180.LR', 3, 'empty'),
      scripted('Huge.Script.180.LR', 4, 'huge'),
      scripted('Plain.Video.180.LR', 5, null),
    ],
  });
});
after(async () => {
  await h?.close();
});

type Compact = { id: string; title: string; scripted: boolean; scriptSpeed: number; heat: string | null };
async function library(): Promise<Compact[]> {
  return ((await (await fetch(`${h.url}/api/library`)).json()) as { videos: Compact[] }).videos;
}
async function detail(id: string): Promise<any> {
  const r = await fetch(`${h.url}/api/videos/${id}`);
  assert.equal(r.status, 200);
  return r.json();
}
const find = (list: Compact[], title: RegExp) => list.find((v) => title.test(v.title)) ?? assert.fail(`no ${title}`);

/** CDN downloads of funscripts so far (each went through an RD unrestrict first). */
const scriptDownloads = () => h.fake.requests.filter((r) => r.route === 'cdn' && r.path.endsWith('.funscript')).length;

/** Opens every video's detail (the file list, then its script is queued) and waits for the reads. */
async function openAll(): Promise<void> {
  for (const v of await library()) await detail(v.id);
  await h.parts.scripts.whenIdle();
}

test('a funscript of known shape is read once: figures in the detail view, heatmap and speed in the library, intensity tag in HereSphere', async () => {
  await openAll();
  assert.equal(scriptDownloads(), 4, 'each of the four scripts downloaded once');
  const vids = await library();
  const ramp = find(vids, /Ramp Scene/);
  assert.equal(ramp.scripted, true);
  assert.equal(ramp.scriptSpeed, RAMP_FIGURES.avgSpeed);
  assert.equal(ramp.heat?.length, HEATMAP_SEGMENTS);
  const d = await detail(ramp.id);
  assert.deepEqual(d.script, { ...RAMP_FIGURES, intensity: 'medium' });
  assert.equal(d.scripts[0].problem, null);

  const hs = await postJson(`${h.url}/heresphere/${ramp.id}`, { needsMediaSource: false });
  const tags = (hs.json.tags as Array<{ name: string }>).map((t) => t.name);
  assert.ok(tags.includes('Feature:Scripted'));
  assert.ok(tags.includes('Feature:Script intensity: Medium'), tags.join(', '));

  const plain = find(vids, /Plain Video/);
  assert.deepEqual([plain.scripted, plain.scriptSpeed, plain.heat], [false, 0, null]);

  // Read once: opening everything again fetches nothing more, and neither does a restart.
  await openAll();
  assert.equal(scriptDownloads(), 4);
  await h.restart();
  await openAll();
  assert.equal(scriptDownloads(), 4);
  assert.equal(find(await library(), /Ramp Scene/).heat, ramp.heat);
});

test('malformed, empty and huge funscripts: a reason in the detail view, no heatmap, no crash', async () => {
  await openAll();
  const vids = await library();
  const cases: Array<[RegExp, keyof typeof SCRIPT_PROBLEMS]> = [
    [/Broken Json/, 'not-json'],
    [/Empty Script/, 'empty'],
    [/Huge Script/, 'too-large'],
  ];
  for (const [title, code] of cases) {
    const v = find(vids, title);
    assert.deepEqual([v.scripted, v.scriptSpeed, v.heat], [true, 0, null], String(title));
    const d = await detail(v.id);
    assert.equal(d.script, null);
    assert.equal(d.scripts[0].problem, SCRIPT_PROBLEMS[code]);
    const hs = await postJson(`${h.url}/heresphere/${v.id}`, { needsMediaSource: false });
    const tags = (hs.json.tags as Array<{ name: string }>).map((t) => t.name);
    assert.ok(tags.includes('Feature:Scripted') && !tags.some((t) => t.startsWith('Feature:Script intensity')));
  }
  assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
});
