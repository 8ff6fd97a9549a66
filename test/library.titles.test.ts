// Titles from release names: noise out (and kept as release tags), years, episodes and
// dates kept, never an empty title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanTitle } from '../src/library/titles.ts';

// [name, title, release tags (exact, in order)]
const CASES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['Movie.Name.2019.1080p.BluRay.x264-SPARKS.mkv', 'Movie Name 2019', ['1080p', 'BluRay', 'H.264', 'SPARKS']],
  ['StudioX.26.08.14.Scene.Title.8K.180.LR.mp4', 'StudioX Scene Title', ['8K', '180', 'SBS']],
  ['VR.Collection.Pack.Vol.3-GRP', 'VR Collection Pack Vol 3', ['GRP']],
  ['VR Collection Pack Vol 3', 'VR Collection Pack Vol 3', []],
  ['[SubsPlease] Show Name - 01 (1080p) [ABCD1234].mkv', 'Show Name - 01', ['SubsPlease', '1080p']],
  ['[HorribleSubs] Anime Title S2 - 12 [720p].mkv', 'Anime Title S2 - 12', ['HorribleSubs', '720p']],
  ['The.Office.US.S02E05.720p.HDTV.x264-LOL', 'The Office US S02E05', ['720p', 'HDTV', 'H.264', 'LOL']],
  ['Movie.2019.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb', 'Movie 2019', ['1080p', 'AMZN', 'WEB-DL', 'DDP', 'H.264', 'NTb']],
  ['Movie 2019 1080p BluRay REMUX AVC DTS-HD MA 5.1-FGT', 'Movie 2019', ['1080p', 'BluRay', 'REMUX', 'H.264', 'DTS-HD', 'FGT']],
  ['Avatar.2009.3D.HSBS.1080p.BluRay.x264-GRP', 'Avatar 2009', ['3D', 'SBS', '1080p', 'BluRay', 'H.264', 'GRP']],
  ['SLR_StudioName_Scene Title_8K_180x180_3dh.mp4', 'SLR StudioName Scene Title', ['8K', '180', 'SBS']],
  ['Performer Name - 4K - Scene title [VRBangers].mp4', 'Performer Name - Scene title', ['VRBangers', '4K']],
  ['360.2011.1080p.BluRay.x264-GRP', '360 2011', ['1080p', 'BluRay', 'H.264', 'GRP']],
  ["Charlotte's.Web.2006.1080p.WEB.h264-GRP", "Charlotte's Web 2006", ['1080p', 'WEB', 'H.264', 'GRP']],
  ['Movie Name (2019) [1080p] [YTS.MX]', 'Movie Name (2019)', ['1080p', 'YTS.MX']],
  ['Movie.Name.(1080p.BluRay.x265.10bit)', 'Movie Name', ['1080p', 'BluRay', 'HEVC', '10bit']],
  ['The.Daily.Show.2024.03.05.Guest.720p.WEB.h264-GRP', 'The Daily Show 2024-03-05 Guest', ['720p', 'WEB', 'H.264', 'GRP']],
  ['Spider-Man.2002.mkv', 'Spider-Man 2002', []],
  ['X-Men.mkv', 'X-Men', []],
  ['Studio.21.05.14.Performer.Name.XXX.VR180.3840p.MP4-VACCiNE', 'Studio Performer Name', ['XXX', '180', '3840p', 'VACCiNE']],
  ['I.Am.Legend.2007.2160p.UHD.BluRay.HDR10.DV.TrueHD.Atmos.7.1-GRP', 'I Am Legend 2007', ['4K', 'BluRay', 'HDR10', 'DV', 'TrueHD', 'Atmos', 'GRP']],
  ['Scene01.8K.LR.mp4', 'Scene01', ['8K', 'SBS']],
  ['www.Torrenting.com - Movie.2020.720p.mkv', 'Movie 2020', ['www.Torrenting.com', '720p']],
  ['Great.VR.Video_180_SBS.mp4', 'Great VR Video', ['180', 'SBS']],
  ['Studio - Scene Title_oculus_5k_180_LR.mp4', 'Studio - Scene Title', ['Oculus', '5K', '180', 'SBS']],
  ['Another.Scene.6K.MKX200.mkv', 'Another Scene', ['6K', 'MKX200']],
  ['Show.Name.S01E01.Pilot.1080p.NF.WEBRip.DDP5.1.x265-GRP', 'Show Name S01E01 Pilot', ['1080p', 'NF', 'WEBRip', 'DDP', 'HEVC', 'GRP']],
  ['Mr.Robot.S04.COMPLETE.2160p.AV1.Opus-GRP', 'Mr Robot S04 COMPLETE', ['4K', 'AV1', 'OPUS', 'GRP']],
  ['Old.Film.1962.DVDRip.XviD.AC3-GRP.avi', 'Old Film 1962', ['DVDRip', 'XviD', 'DD', 'GRP']],
  ['Movie.Title.2021.PROPER.1080p.WEBRip.AAC2.0.x264-GRP', 'Movie Title 2021', ['PROPER', '1080p', 'WEBRip', 'AAC', 'H.264', 'GRP']],
  ['Concert.Live.2019.60fps.1080p.mp4', 'Concert Live 2019', ['60fps', '1080p']],
  ['Scene_Title_5760x2880_LR.mp4', 'Scene Title', ['5760x2880', 'SBS']],
  ['3D.Printing.Basics.2020.mp4', '3D Printing Basics 2020', []],
  ['Movie.Title.(Extended.Cut).2019.mkv', 'Movie Title (Extended Cut) 2019', []],
  ['Report.14.08.2026.mp4', 'Report 14.08.2026', []],
];

for (const [name, title, tags] of CASES) {
  test(`cleanTitle: ${name}`, () => {
    const r = cleanTitle(name);
    assert.equal(r.title, title);
    assert.deepEqual(r.releaseTags, tags);
  });
}

test('at least 20 names', () => assert.ok(CASES.length >= 20));

test('never an empty title', () => {
  for (const name of ['1080p.mp4', '[GRP].mkv', '.mp4', '', '   ', 'x264-GRP', '[1080p]']) {
    const r = cleanTitle(name);
    assert.ok(r.title.length > 0, `empty title for ${JSON.stringify(name)}`);
  }
  assert.equal(cleanTitle('1080p.mp4').title, '1080p');
  assert.equal(cleanTitle('[GRP].mkv').title, 'GRP');
});

test('unknown extensions are not cut; known ones are', () => {
  assert.equal(cleanTitle('Test.Movie.2024').title, 'Test Movie 2024');
  assert.equal(cleanTitle('Test.Movie.2024.mkv').title, 'Test Movie 2024');
  assert.equal(cleanTitle('Test.Movie.srt').title, 'Test Movie');
  assert.equal(cleanTitle('Pack.rar').title, 'Pack');
});

test('release tags are not repeated', () => {
  const r = cleanTitle('Scene.LR.SBS.3DH.180.180x180.mp4');
  assert.deepEqual(r.releaseTags, ['SBS', '180']);
});
