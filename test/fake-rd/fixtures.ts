// The mapping and edge-case torrents of realdebrid.md §5.1 item 7, as fake specs: each one is
// a trap a real library sets for file<->link mapping, status handling or output escaping.

import type { FakeTorrentSpec } from './types.ts';

const GIB = 1_073_741_824;

/** Plain single-file VR scene (§5.2 list example). */
export const SINGLE_FILE: FakeTorrentSpec = {
  id: 'QX7D2MNB4KPLA',
  hash: '3b2e9f6c1d0a4e5b8c7d6e5f4a3b2c1d0e9f8a7b',
  filename: 'StudioX.26.08.14.Scene.Title.8K.180.LR.mp4',
  files: [{ path: '/StudioX.26.08.14.Scene.Title.8K.180.LR.mp4', bytes: 14_261_931_008 }],
};

/** Pack with unselected junk (jpg, nfo) and a selected .srt; files 2 and 6 share a size (§5.2). */
export const PACK_WITH_JUNK: FakeTorrentSpec = {
  id: 'N3VKR6ZT2QYBM',
  hash: 'a91c44e0b7d25f6a8e3c19d0f2b47e6a5c8d1f03',
  filename: 'VR Collection Pack Vol 3',
  originalFilename: 'VR.Collection.Pack.Vol.3-GRP',
  files: [
    { path: '/VR.Collection.Pack.Vol.3-GRP/Scene01.8K.LR.mp4', bytes: 7_130_965_504 },
    { path: '/VR.Collection.Pack.Vol.3-GRP/Scene01.8K.LR.srt', bytes: 48_211 },
    { path: '/VR.Collection.Pack.Vol.3-GRP/Scene02.8K.LR.mp4', bytes: 7_402_880_000 },
    { path: '/VR.Collection.Pack.Vol.3-GRP/cover.jpg', bytes: 2_184_312, selected: false },
    { path: '/VR.Collection.Pack.Vol.3-GRP/Scene03.8K.LR.mp4', bytes: 6_981_441_536 },
    { path: '/VR.Collection.Pack.Vol.3-GRP/readme.nfo', bytes: 48_211, selected: false },
    { path: '/VR.Collection.Pack.Vol.3-GRP/Scene04.8K.LR.mp4', bytes: 7_392_053_677 },
  ],
};

/** 3 selected files, 1 link: unrestricts to `Trilogy.VR.Pack.rar`. */
export const ARCHIVE: FakeTorrentSpec = {
  id: 'R4RPK2MZ6TQAA',
  hash: '7e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c',
  filename: 'Trilogy.VR.Pack',
  linkMode: 'archive',
  files: [
    { path: '/Trilogy.VR.Pack/Part1.mp4', bytes: 5 * GIB },
    { path: '/Trilogy.VR.Pack/Part2.mp4', bytes: 5_905_580_032 },
    { path: '/Trilogy.VR.Pack/Part3.mp4', bytes: 5_637_144_576 },
  ],
};

/** 4 selected, 3 links: the 2nd selected file has none, so zipping by position is wrong for files 2-4. */
export const MISSING_LINK: FakeTorrentSpec = {
  id: 'M1SSL1NKPACK4',
  hash: '0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c',
  filename: 'Missing.Link.VR.Pack',
  linkMode: 'missing-link',
  missingIndex: 1,
  files: [
    { path: '/Missing.Link.VR.Pack/SceneA.6K.180.LR.mp4', bytes: 6_100_000_000 },
    { path: '/Missing.Link.VR.Pack/SceneB.6K.180.LR.mp4', bytes: 6_200_000_000 },
    { path: '/Missing.Link.VR.Pack/info.nfo', bytes: 2_048, selected: false },
    { path: '/Missing.Link.VR.Pack/SceneC.6K.180.LR.mp4', bytes: 6_300_000_000 },
    { path: '/Missing.Link.VR.Pack/SceneD.6K.180.LR.mp4', bytes: 6_400_000_000 },
  ],
};

/** RD flagged it dead: links are listed but unrestrict answers 503 hoster_unavailable/19. */
export const DEAD: FakeTorrentSpec = {
  id: 'D3ADT0RR3NT01',
  hash: '1f2e3d4c5b6a79880706f5e4d3c2b1a09f8e7d6c',
  filename: 'Old.Studio.Scene.6K.MKX200.mp4',
  status: 'dead',
  linkMode: 'dead',
  files: [{ path: '/Old.Studio.Scene.6K.MKX200.mp4', bytes: 7_800_000_000 }],
};

export const WAITING_FILES_SELECTION: FakeTorrentSpec = {
  id: 'WA1T1NGF1LES2',
  hash: '2a3b4c5d6e7f80910a1b2c3d4e5f60718293a4b5',
  filename: 'Pending.Selection.Pack',
  status: 'waiting_files_selection',
  files: [
    { path: '/Pending.Selection.Pack/Scene1.8K.LR.mp4', bytes: 9_000_000_000, selected: false },
    { path: '/Pending.Selection.Pack/Scene2.8K.LR.mp4', bytes: 9_100_000_000, selected: false },
  ],
};

/** Still downloading (§5.2 list example): progress, speed and seeders, no links. */
export const DOWNLOADING: FakeTorrentSpec = {
  id: 'B6TQW4JLC2XRA',
  hash: '5d0e7c3b2a1f9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
  filename: 'Another.Scene.6K.MKX200.mkv',
  status: 'downloading',
  files: [{ path: '/Another.Scene.6K.MKX200.mkv', bytes: 9_126_805_504 }],
};

export const MAGNET_ERROR: FakeTorrentSpec = {
  id: 'MAGNETERR0R01',
  hash: '3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f',
  filename: 'Unresolvable.Magnet',
  status: 'magnet_error',
  files: [],
};

export const VIRUS: FakeTorrentSpec = {
  id: 'V1RUSFLAGGED1',
  hash: '4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
  filename: 'Totally.Legit.Scene.8K.180.LR',
  status: 'virus',
  files: [
    { path: '/Totally.Legit.Scene.8K.180.LR/Scene.8K.180.LR.mp4', bytes: 8_000_000_000 },
    { path: '/Totally.Legit.Scene.8K.180.LR/player.exe', bytes: 1_200_000 },
  ],
};

const DUP_HASH = '9a8b7c6d5e4f30211203f4e5d6c7b8a9908f7e6d';
/** Same hash as DUPLICATE_HASH_OLD, re-added later under a new id. */
export const DUPLICATE_HASH_NEW: FakeTorrentSpec = {
  id: 'DUPHASHNEW001',
  hash: DUP_HASH,
  filename: 'Readded.Scene.5K.180.SBS.mp4',
  files: [{ path: '/Readded.Scene.5K.180.SBS.mp4', bytes: 5_500_000_000 }],
};
export const DUPLICATE_HASH_OLD: FakeTorrentSpec = {
  id: 'DUPHASHOLD001',
  hash: DUP_HASH,
  filename: 'Readded.Scene.5K.180.SBS.mp4',
  files: [{ path: '/Readded.Scene.5K.180.SBS.mp4', bytes: 5_500_000_000 }],
};

/** Restricted link ids of 26 chars; clients must truncate to 13 before unrestricting. */
export const LONG_LINK_IDS: FakeTorrentSpec = {
  id: 'L0NGL1NK1DS26',
  hash: '5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081',
  filename: 'Long.Link.Ids.Pack',
  longLinkIds: true,
  files: [
    { path: '/Long.Link.Ids.Pack/Scene1.4K.360.TB.mp4', bytes: 3_000_000_000 },
    { path: '/Long.Link.Ids.Pack/Scene2.4K.360.TB.mp4', bytes: 3_100_000_000 },
  ],
};

/** Path keeps ':' and '?'; unrestrict's filename says 'What If_ The Scene_ 8K.180.LR.mp4'. */
export const SPECIAL_CHARS: FakeTorrentSpec = {
  id: 'SPEC1ALCHARS1',
  hash: '6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192',
  filename: 'What If: The Scene? 8K.180.LR.mp4',
  files: [{ path: '/What If: The Scene? 8K.180.LR.mp4', bytes: 10_000_000_000 }],
};

/** Same basename in two folders (sizes differ), plus an unselected Sample copy. */
export const SAME_BASENAME: FakeTorrentSpec = {
  id: 'SAMEBASENAME1',
  hash: '708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3',
  filename: 'Double.Feature.VR.Pack',
  files: [
    { path: '/Double.Feature.VR.Pack/Disc1/Scene.8K.180.LR.mp4', bytes: 8_800_000_000 },
    { path: '/Double.Feature.VR.Pack/Disc2/Scene.8K.180.LR.mp4', bytes: 9_900_000_000 },
    { path: '/Double.Feature.VR.Pack/Sample/Scene.8K.180.LR.mp4', bytes: 40_000_000, selected: false },
  ],
};

/** Markup in the name: every HTML/JSON output must escape it. */
export const HOSTILE_NAME: FakeTorrentSpec = {
  id: 'H0ST1LENAME01',
  hash: '8192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4',
  filename: '<img src=x onerror=alert(1)>.mp4',
  files: [{ path: '/<img src=x onerror=alert(1)>.mp4', bytes: 1_000_000_000 }],
};

/** Non-ASCII name, with the é in decomposed (NFD) form so NFC normalisation matters. */
export const UNICODE_NAME: FakeTorrentSpec = {
  id: 'UN1C0DENAME01',
  hash: '92a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5',
  filename: 'Cafe\u0301 Nocturne — 東京の夜 8K 180 LR.mp4',
  files: [{ path: '/Cafe\u0301 Nocturne — 東京の夜 8K 180 LR.mp4', bytes: 12_000_000_000 }],
};

/** A name RD's content filter blocks: unrestrict answers 451 infringing_file/35. */
export const INFRINGING: FakeTorrentSpec = {
  id: '1NFR1NG1NG001',
  hash: 'a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6',
  filename: 'Filtered.Release.Pattern.2026.8K.180.LR.mp4',
  linkMode: 'infringing',
  files: [{ path: '/Filtered.Release.Pattern.2026.8K.180.LR.mp4', bytes: 9_000_000_000 }],
};

/** Not in edgeCaseFixtures(): unrestrict answers 503 unavailable_file/24. */
export const UNAVAILABLE_FILE: FakeTorrentSpec = {
  id: 'UNAVA1LABLE01',
  hash: 'b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7',
  filename: 'Gone.From.Hoster.4K.180.LR.mp4',
  linkMode: 'unavailable',
  files: [{ path: '/Gone.From.Hoster.4K.180.LR.mp4', bytes: 4_000_000_000 }],
};

const ALL: FakeTorrentSpec[] = [
  SINGLE_FILE,
  PACK_WITH_JUNK,
  ARCHIVE,
  MISSING_LINK,
  DEAD,
  WAITING_FILES_SELECTION,
  DOWNLOADING,
  MAGNET_ERROR,
  VIRUS,
  DUPLICATE_HASH_NEW,
  DUPLICATE_HASH_OLD,
  LONG_LINK_IDS,
  SPECIAL_CHARS,
  SAME_BASENAME,
  HOSTILE_NAME,
  UNICODE_NAME,
  INFRINGING,
];

/** All fixtures, newest first, `added` one hour apart back from `now`. */
export function edgeCaseFixtures(opts: { now?: number } = {}): FakeTorrentSpec[] {
  const now = opts.now ?? Date.now();
  return ALL.map((spec, i) => ({
    ...spec,
    added: new Date(now - (i + 1) * 3_600_000).toISOString(),
    files: spec.files.map((f) => ({ ...f })),
  }));
}
