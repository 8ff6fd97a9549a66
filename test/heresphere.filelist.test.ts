// No guess before the files are known (issue 13 item 6): HereSphere keeps the projection it is first
// told, so a video object a player asks for is built from the torrent's file list, fetched at once
// (one info call, stored) when the backfill has not reached it, even on a plain read that does not
// ask for media sources. A torrent named like a media-library folder ("Oblivion (2013)") holding
// `Oblivion.3d.hsbs.mkv` must not be answered as a flat film.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness({
    torrents: [{ filename: 'Oblivion (2013)', files: [{ path: '/Oblivion (2013)/Oblivion.3d.hsbs.mkv', bytes: 4_000_000_000 }] }],
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0' },
    media: false,
  });
});
after(async () => {
  await h?.close();
});

test('a video object asked for before its file list is known is built from the file list (one call, stored)', async () => {
  const index = await postJson(`${h.url}/heresphere`, {});
  const url = (index.json.library as Array<{ list: string[] }>).flatMap((s) => s.list)[0]!;
  const id = url.slice(url.lastIndexOf('/') + 1);
  assert.equal(h.parts.catalog.get(id)!.filesKnown, false, 'the backfill has not reached it');
  const infos = () => h.fake.requests.filter((r) => r.route === 'info').length;
  const first = await postJson(`${h.url}/heresphere/${id}`, { needsMediaSource: false });
  assert.equal(first.status, 200);
  assert.equal(first.json.stereo, 'sbs', 'the file name decides, not the folder name');
  assert.equal(infos(), 1);
  const again = await postJson(`${h.url}/heresphere/${id}`, { needsMediaSource: false });
  assert.equal(again.json.stereo, 'sbs');
  assert.equal(infos(), 1, 'stored: asked once');
});
