// Everything gets probed on its own (issue 13): on a real server against the fake RD, with real
// generated videos behind the fake CDN, a player that only fetches the index and the scan still
// sees every duration arrive, and every part of a multi-part pack gets its own frame size in
// HereSphere's sources (not only the first file). Newest torrents go first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { ensureSamples, type Samples } from './fake-rd/samples.ts';
import { waitFor } from './media.helpers.ts';

let h: Harness;
let samples: Samples;
const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();

before(async () => {
  samples = await ensureSamples();
  h = await startHarness({
    torrents: [
      { filename: 'Studio.Scene.One.180.LR.mp4', added: ago(5), files: [{ path: '/Studio.Scene.One.180.LR.mp4', source: samples.sbs180.path }] },
      { filename: 'Some.Movie.2019.1080p.BluRay.x264-GRP', added: ago(40), files: [{ path: '/Some.Movie.2019.1080p.BluRay.x264-GRP/Some.Movie.2019.1080p.BluRay.x264-GRP.mkv', source: samples.flat.path }] },
      {
        filename: 'Pack.Fun.180.SBS',
        added: ago(1),
        files: [
          { path: '/Pack.Fun.180.SBS/Part 10.mp4', source: samples.part2.path },
          { path: '/Pack.Fun.180.SBS/Part 2.mp4', source: samples.part1.path },
        ],
      },
    ],
    // Nothing but the prober may ask for file lists here: no info backfill.
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0' },
  });
});
after(async () => {
  await h?.close();
});

test('only index and scan are asked, yet every duration and every part’s frame size arrive', async () => {
  const index = await postJson(`${h.url}/heresphere`, {});
  assert.equal(index.status, 200);
  const urls = [...new Set((index.json.library as Array<{ list: string[] }>).flatMap((s) => s.list))];
  assert.equal(urls.length, 3);
  const scan = async () => (await postJson(`${h.url}/heresphere/scan`, {})).json.scanData as Array<{ link: string; duration: number }>;
  assert.ok((await scan()).every((v) => v.duration === 0), 'nothing is probed before the prober runs');
  const order: string[] = [];
  const seen = new Set<string>();
  h.parts.prober.kick();
  await waitFor(async () => {
    for (const v of await scan()) if (v.duration > 0 && !seen.has(v.link)) (seen.add(v.link), order.push(v.link));
    return seen.size === 3;
  }, 'every duration in the scan', 60_000);
  // Newest torrent first: the pack (1 day old) before the film (40 days).
  const film = urls.find((u) => h.parts.catalog.get(u.slice(u.lastIndexOf('/') + 1))!.title.includes('Movie'))!;
  assert.equal(order.at(-1), film, 'the oldest torrent came last');
  // Every part of the pack has its own frame size in HereSphere's sources.
  const pack = h.parts.catalog.list().find((v) => v.title.includes('Pack'))!;
  await waitFor(() => (h.parts.catalog.get(pack.id)!.videos.every((f) => (f.probe?.height ?? 0) > 0)), 'both parts probed', 60_000);
  const video = await postJson(`${h.url}/heresphere/${pack.id}`, {});
  const media = video.json.media as Array<{ name: string; sources: Array<{ height: number; width: number }> }>;
  assert.equal(media.length, 2);
  for (const m of media) assert.ok(m.sources.every((s) => s.height > 0 && s.width > 0), `${m.name} has a frame size`);
  const heights = new Set(media.map((m) => m.sources[0]!.height));
  assert.deepEqual([...heights].sort(), [...new Set([samples.part1.height, samples.part2.height])].sort());
  // The progress figures are counted at most once a second: they catch up.
  const st = await waitFor(() => (h.parts.prober.status().probed === 4 ? h.parts.prober.status() : null), 'the progress counts every probe', 10_000);
  assert.equal(st.files, 4);
  assert.equal(st.probed, 4);
  // The same figures a person sees in /healthz.
  const health = (await (await fetch(`${h.url}/healthz`)).json()) as { progress: { videoFiles: number; probed: number } };
  assert.equal(health.progress.videoFiles, 4);
  assert.equal(health.progress.probed, 4);
});
