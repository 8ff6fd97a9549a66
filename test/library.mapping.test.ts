// File <-> link mapping (realdebrid.md §4.5), name verification, name matching, link
// normalisation and hash-derived ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isArchiveName,
  mapFilesToLinks,
  matchUnrestricted,
  namesEquivalent,
  verifyUnrestrict,
} from '../src/library/mapping.ts';
import { normalizeLink } from '../src/library/links.ts';
import { deovrIdFromVideoId, deovrNumericId, isVideoId, videoIdFromHash } from '../src/library/ids.ts';
import type { TorrentFile, TorrentInfo } from '../src/library/model.ts';

const NOW = Date.parse('2026-08-21T12:00:00.000Z');
const link = (id: string): string => `https://real-debrid.com/d/${id}`;

function info(files: TorrentFile[], links: string[], extra: Partial<TorrentInfo> = {}): TorrentInfo {
  return {
    id: 'N3VKR6ZT2QYBM',
    hash: 'a91c44e0b7d25f6a8e3c19d0f2b47e6a5c8d1f03',
    filename: 'VR Collection Pack Vol 3',
    bytes: 28907388928,
    status: 'downloaded',
    progress: 100,
    added: '2026-08-18T07:51:40.000Z',
    ended: '2026-08-18T07:52:02.000Z',
    links,
    originalFilename: 'VR.Collection.Pack.Vol.3-GRP',
    files,
    ...extra,
  };
}

const PACK: TorrentFile[] = [
  { id: 1, path: '/VR.Collection.Pack.Vol.3-GRP/Scene01.8K.LR.mp4', bytes: 7130965504, selected: true },
  { id: 2, path: '/VR.Collection.Pack.Vol.3-GRP/Scene01.8K.LR.srt', bytes: 48211, selected: true },
  { id: 3, path: '/VR.Collection.Pack.Vol.3-GRP/Scene02.8K.LR.mp4', bytes: 7402880000, selected: true },
  { id: 4, path: '/VR.Collection.Pack.Vol.3-GRP/cover.jpg', bytes: 2184312, selected: false },
  { id: 5, path: '/VR.Collection.Pack.Vol.3-GRP/Scene03.8K.LR.mp4', bytes: 6981441536, selected: true },
  { id: 6, path: '/VR.Collection.Pack.Vol.3-GRP/readme.nfo', bytes: 48211, selected: false },
  { id: 7, path: '/VR.Collection.Pack.Vol.3-GRP/Scene04.8K.LR.mp4', bytes: 7392053677, selected: true },
];
const PACK_LINKS = ['JQSCIPH2D6CLC', 'M5CSQEVS3UKCA', 'VAGF2FAW2DJGE', '7WLLKZPCR36JO', 'K2ZB5XQW7NMRT'].map(link);

test('positional with unselected junk between: selected files only, API order', () => {
  const m = mapFilesToLinks(info(PACK, PACK_LINKS), NOW);
  assert.deepEqual(m, [
    { fileId: 1, link: PACK_LINKS[0], state: 'positional' },
    { fileId: 2, link: PACK_LINKS[1], state: 'positional' },
    { fileId: 3, link: PACK_LINKS[2], state: 'positional' },
    { fileId: 5, link: PACK_LINKS[3], state: 'positional' },
    { fileId: 7, link: PACK_LINKS[4], state: 'positional' },
  ]);
});

test('never sorts before zipping: ids out of order keep API order', () => {
  const files: TorrentFile[] = [
    { id: 3, path: '/P/b.mp4', bytes: 2, selected: true },
    { id: 1, path: '/P/a.mp4', bytes: 1, selected: true },
  ];
  const m = mapFilesToLinks(info(files, [link('BBBBBBBBBBBBB'), link('AAAAAAAAAAAAA')]), NOW);
  assert.deepEqual(m.map((x) => [x.fileId, x.link]), [[3, link('BBBBBBBBBBBBB')], [1, link('AAAAAAAAAAAAA')]]);
});

test('one link for several selected files: archive once settled, unmatched while fresh', () => {
  const files: TorrentFile[] = [
    { id: 1, path: '/Trilogy.VR.Pack/Part1.mp4', bytes: 5368709120, selected: true },
    { id: 2, path: '/Trilogy.VR.Pack/Part2.mp4', bytes: 5905580032, selected: true },
    { id: 3, path: '/Trilogy.VR.Pack/Part3.mp4', bytes: 5637144576, selected: true },
  ];
  const ended = '2026-08-21T11:58:00.000Z'; // exactly 2 minutes before NOW
  const settled = mapFilesToLinks(info(files, [link('TRLGYRARPK2AB')], { ended }), NOW);
  assert.deepEqual(settled.map((x) => x.state), ['archive', 'archive', 'archive']);
  assert.equal(settled[0]?.link, link('TRLGYRARPK2AB'), 'the archive candidate link is handed on');
  const fresh = mapFilesToLinks(info(files, [link('TRLGYRARPK2AB')], { ended }), NOW - 1);
  assert.deepEqual(fresh.map((x) => x.state), ['unmatched', 'unmatched', 'unmatched']);
  assert.ok(fresh.every((x) => x.link === null));
  const noEnd = mapFilesToLinks(info(files, [link('TRLGYRARPK2AB')], { ended: null }), NOW);
  assert.deepEqual(noEnd.map((x) => x.state), ['archive', 'archive', 'archive']);
});

test('no links: every selected file missing; other count mismatches: unmatched', () => {
  const none = mapFilesToLinks(info(PACK, []), NOW);
  assert.equal(none.length, 5);
  assert.ok(none.every((x) => x.state === 'missing' && x.link === null));
  const blank = mapFilesToLinks(info(PACK, ['', '  ']), NOW);
  assert.ok(blank.every((x) => x.state === 'missing'));
  const fewer = mapFilesToLinks(info(PACK, PACK_LINKS.slice(0, 3)), NOW);
  assert.ok(fewer.every((x) => x.state === 'unmatched' && x.link === null));
  const more = mapFilesToLinks(info(PACK.slice(0, 2), PACK_LINKS), NOW);
  assert.ok(more.every((x) => x.state === 'unmatched'));
  const single = mapFilesToLinks(info([PACK[0] as TorrentFile], [PACK_LINKS[0] as string]), NOW);
  assert.deepEqual(single, [{ fileId: 1, link: PACK_LINKS[0], state: 'positional' }]);
});

test('26-character link ids are cut to 13; percent-encoded links decoded', () => {
  const long = link('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  assert.equal(normalizeLink(long), link('ABCDEFGHIJKLM'));
  assert.equal(normalizeLink(`  ${link('ABCDEFGHIJKLM')}  `), link('ABCDEFGHIJKLM'));
  assert.equal(normalizeLink('https%3A%2F%2Freal-debrid.com%2Fd%2FABCDEFGHIJKLMNOP'), link('ABCDEFGHIJKLM'));
  assert.equal(normalizeLink('http://www.real-debrid.com/d/ABCDEFGHIJKLM/'), link('ABCDEFGHIJKLM'));
  assert.equal(normalizeLink('https://example.com/x'), 'https://example.com/x');
  const m = mapFilesToLinks(info([PACK[0] as TorrentFile], [long]), NOW);
  assert.equal(m[0]?.link, link('ABCDEFGHIJKLM'));
});

test("namesEquivalent: NFC, case, RD's '_' for forbidden characters, percent-decoding", () => {
  assert.ok(namesEquivalent('Scene01.8K.LR.mp4', 'scene01.8k.lr.MP4'));
  assert.ok(namesEquivalent('What_ Why_.mp4', 'What? Why*.mp4'));
  assert.ok(namesEquivalent('A_B_C_D_E_F_G_H.mp4', 'A|B"C\\D?E:F<G>H.mp4'));
  assert.ok(namesEquivalent('Caf%C3%A9.mp4', 'Café.mp4'));
  assert.ok(namesEquivalent('Cafe\u0301.mp4', 'Caf\u00e9.mp4'), 'NFD vs NFC');
  assert.ok(namesEquivalent('Scene01.mp4', '/Pack/Sub/Scene01.mp4'), 'paths compare by basename');
  assert.ok(!namesEquivalent('Scene01.mp4', 'Scene02.mp4'));
  assert.ok(!namesEquivalent('Trilogy.VR.Pack.rar', 'Part1.mp4'));
  assert.ok(namesEquivalent('100%.mp4', '100%.mp4'), 'a lone % is not an escape');
});

test('verifyUnrestrict: name and, when RD knows it, size', () => {
  const expected = { path: '/VR.Collection.Pack.Vol.3-GRP/Scene01.8K.LR.mp4', bytes: 7130965504 };
  assert.ok(verifyUnrestrict(expected, { filename: 'Scene01.8K.LR.mp4', filesize: 7130965504 }));
  assert.ok(verifyUnrestrict(expected, { filename: 'Scene01.8K.LR.mp4', filesize: 0 }), 'size 0 = unknown');
  assert.ok(!verifyUnrestrict(expected, { filename: 'Scene01.8K.LR.mp4', filesize: 7130965505 }));
  assert.ok(!verifyUnrestrict(expected, { filename: 'Scene02.8K.LR.mp4', filesize: 7130965504 }));
  assert.ok(!verifyUnrestrict(expected, { filename: 'VR.Collection.Pack.Vol.3-GRP.rar', filesize: 28907388928 }));
});

test('isArchiveName', () => {
  for (const n of ['Trilogy.VR.Pack.rar', 'x.ZIP', 'x.7z', 'x.part01.rar', 'x.r00', 'x.001', 'x.tar.gz']) assert.ok(isArchiveName(n), n);
  for (const n of ['x.mp4', 'rar', 'x.rar.mp4', 'x.srt']) assert.ok(!isArchiveName(n), n);
});

test('matchUnrestricted: by basename, size for same names in two folders, ties positional', () => {
  const files: TorrentFile[] = [
    { id: 1, path: '/Show/Season 1/Episode.01.mkv', bytes: 1000, selected: true },
    { id: 2, path: '/Show/Season 2/Episode.01.mkv', bytes: 2000, selected: true },
    { id: 3, path: '/Show/Extras/clip.mkv', bytes: 500, selected: true },
    { id: 4, path: '/Show/Extras2/clip.mkv', bytes: 500, selected: true },
    { id: 5, path: '/Show/What? Why.mkv', bytes: 700, selected: true },
    { id: 6, path: '/Show/unselected.mkv', bytes: 800, selected: false },
  ];
  const results = [
    { link: link('S2E01LINKXXXXYYYY'), filename: 'Episode.01.mkv', filesize: 2000 },
    { link: link('S1E01LINKXXXX'), filename: 'Episode.01.mkv', filesize: 1000 },
    { link: link('CLIPAAAAAAAAA'), filename: 'clip.mkv', filesize: 500 },
    { link: link('CLIPBBBBBBBBB'), filename: 'clip.mkv', filesize: 500 },
    { link: link('RENAMEDXXXXXX'), filename: 'What_ Why.mkv', filesize: 700 },
    { link: link('UNSELECTEDXXX'), filename: 'unselected.mkv', filesize: 800 },
    { link: link('ARCHIVEXXXXXX'), filename: 'Show.rar', filesize: 4700 },
    { link: link('WRONGSIZEXXXX'), filename: 'clip.mkv', filesize: 999 },
  ];
  const m = matchUnrestricted(files, results);
  assert.deepEqual([...m.entries()].sort((a, b) => a[0] - b[0]), [
    [1, link('S1E01LINKXXXX')],
    [2, link('S2E01LINKXXXX')],
    [3, link('CLIPAAAAAAAAA')],
    [4, link('CLIPBBBBBBBBB')],
    [5, link('RENAMEDXXXXXX')],
  ]);
  const unknownSize = matchUnrestricted(files.slice(0, 2), [{ link: link('FIRSTXXXXXXXX'), filename: 'Episode.01.mkv', filesize: 0 }]);
  assert.deepEqual([...unknownSize], [[1, link('FIRSTXXXXXXXX')]], 'unknown size: first in API order');
});

test('ids from the hash: short, stable, URL-safe; DeoVR numbers below 2^53', () => {
  const hash = '3B2E9F6C1D0A4E5B8C7D6E5F4A3B2C1D0E9F8A7B';
  const id = videoIdFromHash(hash);
  assert.equal(id, '3b2e9f6c1d0a4e5b');
  assert.equal(videoIdFromHash(hash.toLowerCase()), id);
  assert.ok(isVideoId(id));
  for (const bad of ['3B2E9F6C1D0A4E5B', '3b2e9f6c1d0a4e5', '3b2e9f6c1d0a4e5b0', '../etc/passwd', '', '3b2e9f6c1d0a4e5g']) {
    assert.ok(!isVideoId(bad), bad);
  }
  assert.ok(isVideoId(videoIdFromHash('not-a-hash')), 'odd input still gives a valid id');
  assert.notEqual(videoIdFromHash('not-a-hash'), videoIdFromHash('not-a-hash2'));
  const n = deovrNumericId(hash);
  assert.ok(Number.isSafeInteger(n) && n > 0);
  assert.equal(n, Number.parseInt('3b2e9f6c1d0a4', 16));
  assert.equal(deovrNumericId(hash), deovrNumericId(hash.toLowerCase()));
  assert.equal(deovrIdFromVideoId(id), n);
  assert.equal(deovrNumericId('0000000000000000000000000000000000000000'), 1);
  assert.notEqual(deovrNumericId('a91c44e0b7d25f6a8e3c19d0f2b47e6a5c8d1f03'), n);
});
