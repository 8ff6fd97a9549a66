// A video whose torrent was removed from Real-Debrid (RD answered 404 on its file list) leaves the
// library; a player or a browser that still has its id hears why, not "Unknown video.": HereSphere's
// video object, DeoVR's and the browser's detail answer 404 with the sentence that says it was
// removed and how to get it back. An id that was never known stays "Unknown video.".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';
import { videoIdFromHash } from '../src/library/ids.ts';
import { REMOVED_MESSAGE } from '../src/play/resolver.ts';

let h: Harness;

before(async () => {
  h = await startHarness({
    torrents: [
      { filename: 'Stays.Here.180.LR.mp4', files: [{ path: '/Stays.Here.180.LR.mp4' }] },
      { filename: 'Goes.Away.180.LR.mp4', files: [{ path: '/Goes.Away.180.LR.mp4' }] },
    ],
    media: false,
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0', MEDIA_BACKGROUND_PROBE: 'false' },
  });
});
after(async () => {
  await h?.close();
});

test('a removed torrent’s video answers why it is gone; an id never known stays unknown', async () => {
  await postJson(`${h.url}/heresphere`, {});
  const gone = h.fake.torrents().find((t) => t.filename.startsWith('Goes'))!;
  const id = videoIdFromHash(gone.hash!);
  h.fake.removeTorrent(gone.id!);
  // Opening it asks RD for its file list: RD's 404 takes it out of the library.
  await postJson(`${h.url}/heresphere/${id}`, { needsMediaSource: true });
  assert.equal(h.parts.catalog.get(id), null, 'gone from the library');
  for (const [what, res] of [
    ['HereSphere', await postJson(`${h.url}/heresphere/${id}`, {})],
    ['browser', { status: (await fetch(`${h.url}/api/videos/${id}`)).status, json: await (await fetch(`${h.url}/api/videos/${id}`)).json() }],
    ['DeoVR', { status: (await fetch(`${h.url}/deovr/${id}`)).status, json: await (await fetch(`${h.url}/deovr/${id}`)).json() }],
  ] as const) {
    assert.equal(res.status, 404, what);
    assert.equal((res.json as { error?: string }).error, REMOVED_MESSAGE, `${what} says it was removed`);
  }
  const never = await postJson(`${h.url}/heresphere/0123456789abcdef`, {});
  assert.equal(never.status, 404);
  assert.equal((never.json as { error?: string }).error, 'Unknown video.');
});
