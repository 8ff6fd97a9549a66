// Real-world release names for the kinds of misses issue 14 lists: markers glued to other words
// or numbers, "/" separators, colour-space tokens, "3D" in a 2D film's title, Blu-ray 3D remuxes,
// films named by a number, leftovers in titles and scene dates. Each row says where such names
// come from. The share of rows fully right (projection label, title, release date) is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guessProjection } from '../src/library/projection.ts';
import { cleanTitle } from '../src/library/titles.ts';

interface Row {
  /** [main file, torrent name...] as RD lists them. */
  names: readonly string[];
  label: string;
  title?: string;
  date?: string | null;
}

const r = (names: string | readonly string[], label: string, title?: string, date?: string | null): Row => ({
  names: typeof names === 'string' ? [names] : names,
  label,
  ...(title === undefined ? {} : { title }),
  ...(date === undefined ? {} : { date }),
});

export const REAL_NAMES: readonly Row[] = [
  // --- projection word glued to mono/stereo ---
  // XBVR's scanner reads `360_mono` and `mono_360` pairs (xbvr/xbvr pkg/tasks/volume.go); glued forms
  // of the same words are what people write when they drop the underscore.
  r('Travel.Iceland.360mono.4K.mp4', '360° Mono', 'Travel Iceland'),
  r('Concert_mono360_8K.mp4', '360° Mono', 'Concert'),
  r('Roller_Coaster_360stereo.mp4', '360° TB', 'Roller Coaster'),
  r('Studio_Scene_180mono_6K.mp4', '180° Mono', 'Studio Scene'),
  // videojs-vr projection names (`180_MONO`, `360_LR`, `FISHEYE_200_LR`) written as file suffixes.
  r('clip_180_MONO.mp4', '180° Mono', 'clip'),
  r('clip_360_LR.mp4', '360° SBS', 'clip'),
  r('clip_FISHEYE_200_LR.mp4', 'Fisheye 200° SBS', 'clip'),
  // SLR/DeoVR style tokens run together ("VR180LR", "8K360") in uploads and re-encodes.
  r('Studio.Scene.Title.VR180LR.mp4', '180° SBS', 'Studio Scene Title'),
  r('Nature.Walk.8K360.mp4', '360° Mono', 'Nature Walk'),
  // --- fisheye with its FOV ---
  // DeoVR's naming conventions and XBVR/stash-vr tests: `_FISHEYE200`, `clip_fisheye200_lr`.
  r('scene_FISHEYE200.mp4', 'Fisheye 200° SBS', 'scene'),
  r('clip_fisheye200_lr.mp4', 'Fisheye 200° SBS', 'clip'),
  r('Studio - Scene - Fisheye 220 - 8K.mp4', 'Fisheye 220° SBS', 'Studio - Scene'),
  r('Scene_Title_F220_LR.mp4', 'Fisheye 220° SBS', 'Scene Title'),
  r('Scene_Title_200F.mp4', 'Fisheye 200° SBS', 'Scene Title'),
  r('Camera_Test_F135.mp4', 'Fisheye 135° SBS', 'Camera Test'),
  // A car is not a lens: the short F-number form loses against film evidence.
  r('Ford.F150.Lightning.Review.2022.1080p.WEB-DL.mkv', 'Flat'),
  // --- "/" separators ---
  // Forum and tracker titles write layouts with a slash ("H/OU", "H/SBS", "3D/SBS").
  r('Gravity 2013 3D H/OU 1080p BluRay', 'Flat 3D TB'),
  r('Avatar 2009 3D H/SBS 1080p BluRay', 'Flat 3D SBS'),
  r('Scene 180 L/R 8K', '180° SBS'),
  // --- colour space and codec tokens ---
  // HDR release names spell the colour standard out (ITU-R BT.2020 / Rec.709).
  r('Movie.2019.2160p.UHD.BluRay.HDR.BT.2020.x265-GRP.mkv', 'Flat', 'Movie 2019'),
  r('Documentary.2021.2160p.HDR10.Rec.2020.HEVC.mkv', 'Flat', 'Documentary 2021'),
  r('Nature.2020.1080p.BT.709.x264.mkv', 'Flat', 'Nature 2020'),
  // --- "3D" in a 2D film's title ---
  // The 2D releases of films titled "... 3D" (Piranha 3D, Step Up 3D, Jackass 3D) name the title first.
  r('Piranha.3D.2010.1080p.BluRay.x264-GRP.mkv', 'Flat', 'Piranha 3D 2010'),
  r('Step.Up.3D.2010.720p.BluRay.x264-GRP.mkv', 'Flat', 'Step Up 3D 2010'),
  r('Jackass 3D (2010).mkv', 'Flat', 'Jackass 3D (2010)'),
  // ... while their 3D releases carry 3D after the year (Kodi's naming for 3D films).
  r('Piranha.3D.2010.3D.HSBS.1080p.BluRay.x264-GRP.mkv', 'Flat 3D SBS', 'Piranha 3D 2010'),
  // Kodi/Jellyfin 3D naming (jellyfin/jellyfin tests/Jellyfin.Naming.Tests/Video/Format3DTests.cs).
  r('Super movie.3d.hsbs.mp4', 'Flat 3D SBS', 'Super movie'),
  r('Super movie.3d.htab.mp4', 'Flat 3D TB', 'Super movie'),
  r('Super movie.3d.tab.mp4', 'Flat 3D TB', 'Super movie'),
  r('Super movie.sbs3d.mp4', 'Flat 3D SBS', 'Super movie'),
  r('Super movie (2009) 3d htab', 'Flat 3D TB', 'Super movie (2009)'),
  r('Oblivion.3d.hsbs.mkv', 'Flat 3D SBS', 'Oblivion'),
  // --- Blu-ray 3D remuxes decode to one 2D view ---
  // MakeMKV writes .mk3d for 3D discs; remux names carry MVC (the H.264 stereo extension players skip).
  r('Avatar.2009.1080p.BluRay.3D.MVC.Remux.mk3d', 'Flat', 'Avatar 2009'),
  r('Hugo.2011.3D.BluRay.1080p.AVC.MVC.DTS-HD.MA.7.1.mkv', 'Flat', 'Hugo 2011'),
  r('Prometheus.2012.mk3d', 'Flat', 'Prometheus 2012'),
  // --- a film titled with a number ---
  // "360" (Meirelles, 2011) and "180° South" / "180 Degrees South" (2010) in folder and file names.
  r(['360.mkv', '360 (2011)'], 'Flat'),
  r('360 (2011).mkv', 'Flat', '360 (2011)'),
  r('180.Degrees.South.2010.mkv', 'Flat', '180 Degrees South 2010'),
  r('Scene_360.mp4', '360° Mono', 'Scene'),
  // --- leftovers in titles ---
  // "180°" written with the degree sign (common in studio titles and YouTube VR uploads).
  r('Alpine Lake 180° 3D SBS.mp4', '180° SBS', 'Alpine Lake'),
  r('Studio Scene 360° mono.mp4', '360° Mono', 'Studio Scene'),
  r('Passthrough_Scene_MKX200_alpha.mp4', 'Fisheye 200° SBS Alpha', 'Passthrough Scene'),
  r('Scene_180_MONO.mp4', '180° Mono', 'Scene'),
  r('Alpha.2018.1080p.BluRay.x264.mkv', 'Flat', 'Alpha 2018'),
  // "Alpha" / "Mono" as a title's first word (the films "Alpha Dog" (2006) and "Alpha" (2018),
  // the band "Mono"): a modifier only counts among the markers, not in the title part.
  r('Alpha.Dog.180.LR.mp4', '180° SBS', 'Alpha Dog'),
  r('Mono.Lake.Sunrise.360.mp4', '360° Mono', 'Mono Lake Sunrise'),
  r('Scene_MONO_360.mp4', '360° Mono', 'Scene'),
  // --- scene dates ---
  // Scene naming for dated releases: Studio.YY.MM.DD.Performer.Title.XXX.<res>... (scene rules).
  r('VRBangers.21.05.14.Performer.Name.XXX.VR180.3840p.MP4-VACCiNE', '180° SBS', 'VRBangers Performer Name', '2021-05-14'),
  r('StudioX.26.08.14.Scene.Title.8K.180.LR.mp4', '180° SBS', 'StudioX Scene Title', '2026-08-14'),
  r('Studio.2023.01.31.Scene.Title.mp4', 'Flat', 'Studio Scene Title', '2023-01-31'),
  // Daily shows keep the date in the title (episodes differ only by it) and still get it as a date.
  r('The.Daily.Show.2024.03.05.Guest.720p.WEB.h264-GRP', 'Flat', 'The Daily Show 2024-03-05 Guest', '2024-03-05'),
];

function check(row: Row): string[] {
  const wrong: string[] = [];
  const g = guessProjection(row.names);
  if (g.label !== row.label) wrong.push(`label ${g.label} (want ${row.label})`);
  const t = cleanTitle(row.names[0] as string);
  if (row.title !== undefined && t.title !== row.title) wrong.push(`title "${t.title}" (want "${row.title}")`);
  if (row.date !== undefined && t.dateReleased !== row.date) wrong.push(`date ${t.dateReleased} (want ${row.date})`);
  return wrong;
}

for (const row of REAL_NAMES) {
  test(`real name: ${row.names.join(' | ')}`, () => {
    assert.deepEqual(check(row), []);
  });
}

test('share of real names fully right', () => {
  const right = REAL_NAMES.filter((row) => check(row).length === 0).length;
  console.log(`real names fully right: ${right}/${REAL_NAMES.length} (${((100 * right) / REAL_NAMES.length).toFixed(1)}%)`);
  assert.equal(right, REAL_NAMES.length);
});
