// What the players are offered follows what can play: once Real-Debrid said a file is gone (its
// unrestrict answered "dead"), the video's description says so and its media is no longer
// offered (as for archives), in HereSphere, DeoVR and the browser's data alike; a collection
// counts the videos it offers, not the files the torrent holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness({
    media: false,
    torrents: [
      { filename: 'Lost.Scene.180.LR.mp4', linkMode: 'dead', files: [{ path: '/Lost.Scene.180.LR.mp4', bytes: 4_000_000 }] },
      {
        filename: 'Four.Parts.180.LR',
        linkMode: 'missing-link',
        missingIndex: 1,
        files: [1, 2, 3, 4].map((i) => ({ path: `/Four.Parts.180.LR/Part ${i}.mp4`, bytes: 3_000_000 + i })),
      },
    ],
  });
});
after(() => h?.close());

type HsVideo = { title: string; description: string; media: Array<{ name: string; sources: Array<{ url: string }> }> };

async function hsVideo(titleLike: RegExp): Promise<HsVideo> {
  const idx = await postJson(`${h.url}/heresphere`, {});
  for (const url of new Set<string>(idx.json.library.flatMap((s: { list: string[] }) => s.list))) {
    const v = (await postJson(url, {})).json as HsVideo;
    if (titleLike.test(v.title)) return v;
  }
  throw new Error(`no video like ${titleLike}`);
}

test('a dead-link video says "not playable: Real-Debrid lost this file" and offers no media once RD said so', async () => {
  const before = await hsVideo(/Lost Scene/);
  assert.equal(before.media.length, 1, 'not known to be dead yet: offered');
  const play = await fetch(before.media[0]!.sources[0]!.url, { redirect: 'manual' });
  assert.equal(play.status, 410);
  await play.arrayBuffer();
  const after = await hsVideo(/Lost Scene/);
  assert.match(after.description, /Not playable: Real-Debrid lost this file/);
  assert.deepEqual(after.media, [], 'its media is no longer offered');
  const deovr = (await (await fetch(`${h.url}/deovr`)).json()) as { scenes: Array<{ list: Array<{ title: string; video_url: string }> }> };
  const entry = deovr.scenes.flatMap((s) => s.list).find((e) => /Lost Scene/.test(e.title));
  if (entry) {
    const detail = (await (await fetch(entry.video_url)).json()) as { encodings?: unknown[] };
    assert.deepEqual(detail.encodings ?? [], [], 'DeoVR offers no encoding either');
  }
  const lib = (await (await fetch(`${h.url}/api/library`)).json()) as { videos: Array<{ title: string; playable?: boolean }> };
  const web = lib.videos.find((v) => /Lost Scene/.test(v.title));
  if (web && 'playable' in web) assert.equal(web.playable, false, 'the browser shows it as not playable');
});

test('a collection with one missing link counts the videos it offers', async () => {
  const v = await hsVideo(/Four Parts/);
  assert.equal(v.media.length, 3, 'three parts have a link');
  assert.match(v.description, /(^|· )3 videos/, v.description);
  assert.doesNotMatch(v.description, /4 videos/);
});
