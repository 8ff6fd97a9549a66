// buildVideo for the shapes RD libraries come in: single files (with and without info),
// packs with junk and subtitles, archives, missing and unmatched links; dedupeByHash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildVideo, dedupeByHash, type VideoInput } from '../src/library/video.ts';
import { EMPTY_USER_DATA, type MediaProbe, type TorrentFile, type TorrentInfo, type TorrentSummary } from '../src/library/model.ts';

const NOW = Date.parse('2026-08-21T12:00:00.000Z');
const link = (id: string): string => `https://real-debrid.com/d/${id}`;

function summary(extra: Partial<TorrentSummary> = {}): TorrentSummary {
  return {
    id: 'QX7D2MNB4KPLA',
    hash: '3b2e9f6c1d0a4e5b8c7d6e5f4a3b2c1d0e9f8a7b',
    filename: 'StudioX.26.08.14.Scene.Title.8K.180.LR.mp4',
    bytes: 14261931008,
    status: 'downloaded',
    progress: 100,
    added: '2026-08-20T21:04:11.000Z',
    ended: '2026-08-20T21:04:13.000Z',
    links: [link('HZ4MQ2B7XKWLEXXXXXXXXXXXXX')],
    ...extra,
  };
}

function infoOf(s: TorrentSummary, files: TorrentFile[], extra: Partial<TorrentInfo> = {}): TorrentInfo {
  return { ...s, originalFilename: null, files, ...extra };
}

function input(s: TorrentSummary, info: TorrentInfo | null, extra: Partial<VideoInput> = {}): VideoInput {
  return { summary: s, info, user: null, probe: () => null, now: NOW, ...extra };
}

test('single file inferred from the summary (no info yet)', () => {
  const v = buildVideo(input(summary(), null));
  assert.equal(v.id, '3b2e9f6c1d0a4e5b');
  assert.equal(v.torrentId, 'QX7D2MNB4KPLA');
  assert.equal(v.title, 'StudioX Scene Title');
  assert.equal(v.dateReleased, '2026-08-14', 'the scene date leaves the title and becomes the release date');
  assert.deepEqual(v.releaseTags, ['8K', '180', 'SBS']);
  assert.equal(v.filesKnown, false);
  assert.equal(v.videos.length, 1);
  const f = v.videos[0]!;
  assert.deepEqual(
    { fileId: f.fileId, path: f.path, name: f.name, bytes: f.bytes, kind: f.kind, linkState: f.linkState, link: f.link, playable: f.playable },
    { fileId: 1, path: 'StudioX.26.08.14.Scene.Title.8K.180.LR.mp4', name: 'StudioX.26.08.14.Scene.Title.8K.180.LR.mp4',
      bytes: 14261931008, kind: 'video', linkState: 'positional', link: link('HZ4MQ2B7XKWLE'), playable: true },
  );
  assert.equal(v.bytes, 14261931008);
  assert.equal(v.projection.label, '180° SBS');
  assert.equal(v.playable, true);
  assert.equal(v.unplayableReason, null);
  assert.equal(v.addedDate, '2026-08-20');
  assert.deepEqual(v.user, EMPTY_USER_DATA);
  assert.equal(v.durationMs, 0);
});

test('inferred: a multi-link or non-video torrent has no files until info arrives', () => {
  const pack = buildVideo(input(summary({ filename: 'VR Collection Pack Vol 3', links: [link('A'), link('B')] }), null));
  assert.equal(pack.videos.length, 0);
  assert.equal(pack.playable, false);
  assert.equal(pack.unplayableReason, 'File list not loaded yet');
  assert.equal(pack.bytes, 14261931008, 'torrent bytes until the file list is known');
  assert.equal(pack.title, 'VR Collection Pack Vol 3');
  const book = buildVideo(input(summary({ filename: 'Some.Book.epub' }), null));
  assert.equal(book.videos.length, 0);
  const noLink = buildVideo(input(summary({ links: [] }), null));
  assert.equal(noLink.videos[0]?.linkState, 'missing');
  assert.equal(noLink.playable, false);
  assert.equal(noLink.unplayableReason, 'Real-Debrid has no link for this file');
});

test('single file with info: probe by (hash, path without "/", bytes); frame refines an unmarked name', () => {
  const s = summary({ filename: 'Scene.Title.mp4' });
  const info = infoOf(s, [{ id: 1, path: '/Scene.Title.mp4', bytes: 5e9, selected: true }]);
  const calls: string[] = [];
  const probe = (hash: string, path: string, bytes: number): MediaProbe | null => {
    calls.push(`${hash}|${path}|${bytes}`);
    return { durationMs: 1_834_000, width: 5760, height: 2880, codec: 'hevc', fps: 60 };
  };
  const v = buildVideo(input(s, info, { probe }));
  assert.deepEqual(calls, ['3b2e9f6c1d0a4e5b8c7d6e5f4a3b2c1d0e9f8a7b|Scene.Title.mp4|5000000000']);
  assert.equal(v.filesKnown, true);
  assert.equal(v.title, 'Scene Title');
  assert.equal(v.durationMs, 1_834_000);
  assert.equal(v.width, 5760);
  assert.equal(v.height, 2880);
  assert.equal(v.projection.source, 'frame');
  assert.equal(v.projection.label, '180° SBS');
  assert.equal(v.bytes, 5e9);
});

const PACK_FILES: TorrentFile[] = [
  { id: 1, path: '/VR.Collection.Pack.Vol.3-GRP/Scene10.mp4', bytes: 7130965504, selected: true },
  { id: 2, path: '/VR.Collection.Pack.Vol.3-GRP/Scene10.en.srt', bytes: 48211, selected: true },
  { id: 3, path: '/VR.Collection.Pack.Vol.3-GRP/Scene2.mp4', bytes: 7402880000, selected: true },
  { id: 4, path: '/VR.Collection.Pack.Vol.3-GRP/cover.jpg', bytes: 2184312, selected: false },
  { id: 5, path: '/VR.Collection.Pack.Vol.3-GRP/Sample/Scene2-sample.mp4', bytes: 50_000_000, selected: true },
  { id: 6, path: '/VR.Collection.Pack.Vol.3-GRP/readme.nfo', bytes: 48211, selected: true },
  { id: 7, path: '/VR.Collection.Pack.Vol.3-GRP/Scene2.funscript', bytes: 30000, selected: true },
  { id: 8, path: '/VR.Collection.Pack.Vol.3-GRP/Scene1.mp4', bytes: 6981441536, selected: true },
];
const PACK_LINKS = ['L1', 'L2', 'L3', 'L5', 'L6', 'L7', 'L8'].map((x) => link(`${x}XXXXXXXXXXX`));

test('pack: natural order, sample dropped, junk ignored, subtitle language, script, projection from the torrent name', () => {
  const s = summary({ filename: 'VR Collection Pack Vol 3 MKX200', links: PACK_LINKS, bytes: 28907388928 });
  const v = buildVideo(input(s, infoOf(s, PACK_FILES, { originalFilename: 'VR.Collection.Pack.Vol.3-GRP' })));
  assert.deepEqual(v.videos.map((f) => f.name), ['Scene1.mp4', 'Scene2.mp4', 'Scene10.mp4']);
  assert.deepEqual(v.videos.map((f) => f.fileId), [8, 3, 1]);
  assert.deepEqual(v.videos.map((f) => f.link), [link('L8XXXXXXXXXXX'), link('L3XXXXXXXXXXX'), link('L1XXXXXXXXXXX')]);
  assert.ok(v.videos.every((f) => f.playable && f.linkState === 'positional'));
  assert.equal(v.subtitles.length, 1);
  assert.equal(v.subtitles[0]?.language, 'en');
  assert.equal(v.subtitles[0]?.probe, null);
  assert.equal(v.scripts.length, 1);
  assert.equal(v.scripts[0]?.name, 'Scene2.funscript');
  assert.equal(v.bytes, 7130965504 + 7402880000 + 6981441536, 'sum of video bytes');
  assert.equal(v.title, 'VR Collection Pack Vol 3');
  assert.equal(v.projection.label, 'Fisheye 200° SBS');
  assert.equal(v.playable, true);
  assert.equal(v.videos[0]?.path, 'VR.Collection.Pack.Vol.3-GRP/Scene1.mp4');
});

test('archive: one link for three selected files -> nothing playable, with the reason', () => {
  const s = summary({ filename: 'Trilogy.VR.Pack', links: [link('TRLGYRARPK2AB')], ended: '2026-08-10T12:00:41.000Z' });
  const files = [1, 2, 3].map((i) => ({ id: i, path: `/Trilogy.VR.Pack/Part${i}.mp4`, bytes: 5e9 + i, selected: true }));
  const v = buildVideo(input(s, infoOf(s, files)));
  assert.equal(v.videos.length, 3);
  assert.ok(v.videos.every((f) => f.linkState === 'archive' && f.link === null && !f.playable));
  assert.match(v.videos[0]!.unplayableReason ?? '', /archive/);
  assert.equal(v.playable, false);
  assert.match(v.unplayableReason ?? '', /archive/);
  // The single link turned out to be Part2 itself: it is matched, the rest are missing.
  const m = buildVideo(input(s, infoOf(s, files), { matched: new Map([[2, link('TRLGYRARPK2ABXXX')]]) }));
  assert.deepEqual(m.videos.map((f) => f.linkState), ['missing', 'matched', 'missing']);
  assert.equal(m.videos[1]?.link, link('TRLGYRARPK2AB'));
  assert.equal(m.playable, true);
});

test('missing links are unplayable; unmatched counts are offered (matched by name on play); matched links make files playable', () => {
  const s = summary({ filename: 'Pack', links: [] });
  const files = [1, 2].map((i) => ({ id: i, path: `/Pack/Part ${i}.mp4`, bytes: 1e9, selected: true }));
  const missing = buildVideo(input(s, infoOf(s, files)));
  assert.ok(missing.videos.every((f) => f.linkState === 'missing' && !f.playable));
  assert.equal(missing.unplayableReason, 'Real-Debrid has no link for this file');

  const three = [1, 2, 3].map((i) => ({ id: i, path: `/Pack/Part ${i}.mp4`, bytes: 1e9 + i, selected: true }));
  const s2 = summary({ filename: 'Pack', links: [link('AAAAAAAAAAAAA'), link('BBBBBBBBBBBBB')] });
  const unmatched = buildVideo(input(s2, infoOf(s2, three)));
  assert.ok(unmatched.videos.every((f) => f.linkState === 'unmatched' && f.playable && f.link === null));
  assert.equal(unmatched.unplayableReason, null);
  const matched = buildVideo(input(s2, infoOf(s2, three), { matched: new Map([[3, link('BBBBBBBBBBBBB')]]) }));
  assert.deepEqual(matched.videos.map((f) => [f.fileId, f.linkState, f.playable]), [
    [1, 'missing', false],
    [2, 'missing', false],
    [3, 'matched', true],
  ]);
  assert.equal(matched.playable, true);
});

test('torrent still downloading: nothing playable, progress in the reason', () => {
  const s = summary({ status: 'downloading', progress: 37.4, links: [] });
  const v = buildVideo(input(s, null));
  assert.equal(v.playable, false);
  assert.equal(v.unplayableReason, 'Still downloading on Real-Debrid (37%)');
  const withLink = buildVideo(input(summary({ status: 'queued' }), null));
  assert.equal(withLink.videos[0]?.playable, false);
  assert.equal(withLink.videos[0]?.unplayableReason, 'Queued on Real-Debrid');
});

test('no video at all in a known file list', () => {
  const s = summary({ filename: 'Ebook Pack', links: [link('AAAAAAAAAAAAA')] });
  const v = buildVideo(input(s, infoOf(s, [{ id: 1, path: '/Ebook Pack/book.epub', bytes: 5e6, selected: true }])));
  assert.equal(v.videos.length, 0);
  assert.equal(v.bytes, 0);
  assert.equal(v.unplayableReason, 'No video files in this torrent');
});

test('user data passes through; hash is lower-cased', () => {
  const user = { ...EMPTY_USER_DATA, tags: [{ name: 'Mine' }], favorite: true, rating: 4.5 };
  const v = buildVideo(input(summary({ hash: '3B2E9F6C1D0A4E5B8C7D6E5F4A3B2C1D0E9F8A7B' }), null, { user }));
  assert.equal(v.user, user);
  assert.equal(v.hash, '3b2e9f6c1d0a4e5b8c7d6e5f4a3b2c1d0e9f8a7b');
  assert.equal(v.id, '3b2e9f6c1d0a4e5b');
});

test('dedupeByHash: downloaded, then more links, then newest; first position kept', () => {
  const a = summary({ id: 'A', hash: 'AAAA', status: 'downloading', links: [] });
  const b = summary({ id: 'B', hash: 'aaaa', status: 'downloaded', links: [link('X')] });
  const c = summary({ id: 'C', hash: 'cccc' });
  const d = summary({ id: 'D', hash: 'aaaa', status: 'downloaded', links: [link('X'), link('Y')] });
  const e = summary({ id: 'E', hash: 'eeee', added: '2026-01-01T00:00:00.000Z' });
  const f = summary({ id: 'F', hash: 'eeee', added: '2026-02-01T00:00:00.000Z' });
  const g = summary({ id: 'G', hash: 'eeee', added: 'garbage' });
  assert.deepEqual(dedupeByHash([a, b, c, d, e, f, g]).map((s) => s.id), ['D', 'C', 'F']);
  assert.deepEqual(dedupeByHash([]), []);
});

test('a Sample/ folder clip is not a part, whatever its size; a small "sample" file neither', () => {
  const s = summary({ filename: 'Movie.2019.1080p.BluRay.x264-GRP', links: [link('A'), link('B'), link('C')] });
  const v = buildVideo(input(s, infoOf(s, [
    { id: 1, path: '/Movie.2019.1080p.BluRay.x264-GRP/movie.mkv', bytes: 8e9, selected: true },
    { id: 2, path: '/Movie.2019.1080p.BluRay.x264-GRP/Sample/movie.mkv', bytes: 3e9, selected: true },
    { id: 3, path: '/Movie.2019.1080p.BluRay.x264-GRP/grp-movie-sample.mkv', bytes: 1e8, selected: true },
  ])));
  assert.deepEqual(v.videos.map((f) => f.fileId), [1]);
  assert.equal(v.dateReleased, null);
});
