// Projection guesses from real-looking release names, the marker table walked row by row,
// the substring traps the ancestor fell into, and the frame-size rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FLAT_GUESS,
  PROJECTION_MARKERS,
  guessProjection,
} from '../src/library/projection.ts';
import { refineByFrame } from '../src/library/projection-sources.ts';
import { cleanTitle } from '../src/library/titles.ts';
import type { ProjectionGuess } from '../src/library/model.ts';

type Expect = Partial<ProjectionGuess>;

// [name, expected label, other expected fields]
const CASES: ReadonlyArray<readonly [string, string, Expect?]> = [
  // VR studio-style names, one or more markers each
  ['StudioX.26.08.14.Scene.Title.8K.180.LR.mp4', '180° SBS', { projection: 'equirectangular', fov: 180, source: 'name' }],
  ['SLR_StudioName_Scene Title_8K_180x180_3dh.mp4', '180° SBS'],
  ['Another.Scene.6K.MKX200.mkv', 'Fisheye 200° SBS', { projection: 'fisheye', lens: 'MKX200', fov: 200 }],
  ['SLR_Studio_Title_original_MKX220_8K.mp4', 'Fisheye 220° SBS', { lens: 'MKX220', fov: 220 }],
  ['Studio_Title_VRCA220_7K_LR.mp4', 'Fisheye 220° SBS', { lens: 'VRCA220', fov: 220 }],
  ['Studio - Title - fisheye190 - 8K.mp4', 'Fisheye 190° SBS', { lens: 'Linear', fov: 190, rf52: false }],
  ['Studio.Title.RF52.8K.mp4', 'Fisheye 190° SBS', { rf52: true, fov: 190, lens: 'Linear' }],
  ['Scene_Title_F180_LR.mp4', 'Fisheye 180° SBS', { projection: 'fisheye', fov: 180 }],
  ['Scene_Title_180F.mp4', 'Fisheye 180° SBS'],
  ['Scene.Title.fisheye.mp4', 'Fisheye 180° SBS'],
  ['Scene_180_sbs_fisheye190.mp4', 'Fisheye 190° SBS'],
  ['Scene_180_MKX200.mp4', 'Fisheye 200° SBS'],
  ['Studio.21.05.14.Performer.Name.XXX.VR180.3840p.MP4-VACCiNE', '180° SBS', { projection: 'equirectangular' }],
  ['Travel_Alps_VR360_4K.mp4', '360° Mono', { projection: 'equirectangular360', fov: 360, stereo: 'mono' }],
  ['Rollercoaster_360_TB.mp4', '360° TB', { stereo: 'tb' }],
  ['Rollercoaster_360.mp4', '360° Mono'],
  ['Nature Walk 360 3DV.mp4', '360° TB'],
  ['City.Tour.EAC360.mp4', 'EAC 360° SBS', { projection: 'equiangularCubemap', kind: 'cubemap' }],
  ['Concert_360EAC_TB.mp4', 'EAC 360° TB'],
  ['YouTube_Clip_EAC.webm', 'EAC 360° SBS'],
  ['Scene_180_RL.mp4', '180° SBS (RL)', { eyeSwapped: true, stereo: 'sbs' }],
  ['Scene_360_BT.mp4', '360° TB (BT)', { eyeSwapped: true, stereo: 'tb' }],
  ['Passthrough_Scene_MKX200_alpha.mp4', 'Fisheye 200° SBS Alpha', { alpha: true }],
  ['Scene_180_MONO.mp4', '180° Mono', { stereo: 'mono' }],
  ['Scene 180 OverUnder.mp4', '180° TB'],
  ['Scene_Title_Over-Under_180.mp4', '180° TB'],
  ['Scene_180_OU.mp4', '180° TB'],
  ['Scene_TB.mp4', '180° TB'],
  ['Scene01.8K.LR.mp4', '180° SBS'],
  ['Scene [SBS].mp4', '180° SBS'],
  ['Studio - Scene Title_oculus_5k_180_LR.mp4', '180° SBS'],
  // hints only: VR, device names, 5K-8K
  ['Great VR Video.mp4', '180° SBS', { hinted: true, source: 'name' }],
  ['Studio Scene GearVR.mp4', '180° SBS', { hinted: true }],
  ['Scene_VR_MONO.mp4', '180° Mono', { hinted: true }],
  // flat films, TV, anime
  ['Movie.Name.2019.1080p.BluRay.x264-SPARKS.mkv', 'Flat', { projection: 'perspective', stereo: 'mono', kind: 'flat' }],
  ['The.Office.US.S02E05.720p.HDTV.x264-LOL.mkv', 'Flat'],
  ['[SubsPlease] Show Name - 01 (1080p) [ABCD1234].mkv', 'Flat', { source: 'default' }],
  ['Movie.2019.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb.mkv', 'Flat', { source: 'name' }],
  ['Some Documentary 2020.mp4', 'Flat', { source: 'default', fov: 90, lens: 'Linear' }],
  // 3D films are flat screens with a stereo layout, not VR
  ['Avatar.2009.3D.HSBS.1080p.BluRay.x264-GRP.mkv', 'Flat 3D SBS', { projection: 'perspective', stereo: 'sbs', kind: 'flat' }],
  ['Gravity.2013.3D.Half-OU.1080p.BluRay.mkv', 'Flat 3D TB', { stereo: 'tb' }],
  ['Hugo.2011.3D.1080p.BluRay.x264.mkv', 'Flat 3D SBS'],
  ['Movie.2012.H-SBS.1080p.mkv', 'Flat 3D SBS'],
  ['Movie.2010.1080p.BluRay.SBS.x264.mkv', 'Flat 3D SBS'],
  ['Movie.2010.1080p.BluRay.OU.x264.mkv', 'Flat 3D TB'],
  ['Studio.Scene.3D.VR.mp4', '180° SBS', { source: 'name' }],
  ['Studio.Scene.3D.180.mp4', '180° SBS'],
  // substring traps: whole tokens only
  ['Into.The.OUTDOOR.Wild.2021.1080p.WEB-DL.mkv', 'Flat'],
  ['Project.TBD.2022.720p.mkv', 'Flat', { source: 'default' }],
  ['2DAYS.In.Paris.2007.DVDRip.avi', 'Flat'],
  ['HOTEL.Transylvania.2012.1080p.mkv', 'Flat', { source: 'default' }],
  ['CLR.TBS.BTS.Special.mp4', 'Flat', { source: 'default' }],
  ['World.Class.Flourish.mp4', 'Flat', { source: 'default' }],
  ['Studio_OUTDOOR_Fun_TBD_2DAYS_HOTEL.mp4', 'Flat', { source: 'default' }],
  // bare numbers and hints lose against film evidence; title words are not modifiers
  ['360.2011.1080p.BluRay.x264-GRP.mkv', 'Flat'],
  ['VR.Troopers.S01E01.DVDRip.avi', 'Flat'],
  ['Alpha.2018.1080p.BluRay.x264.mkv', 'Flat', { alpha: false }],
  ['Mono.2016.1080p.WEBRip.mp4', 'Flat'],
  // explicit flat
  ['Flat_Scene_2D.mp4', 'Flat', { source: 'name' }],
  ['Documentary.FLAT.1080p.mp4', 'Flat', { source: 'name' }],
];

test('at least 40 realistic names, every marker covered', () => {
  assert.ok(CASES.length >= 40);
  const seen = new Set<string>();
  for (const [name] of CASES) for (const t of name.toLowerCase().split(/[\s._\-[\](){}+,°]+/)) seen.add(t);
  const required = ['180', '360', 'vr180', 'vr360', 'fisheye', 'fisheye190', 'f180', '180f', 'mkx200', 'mkx220',
    'vrca220', 'rf52', 'eac', 'eac360', '360eac', 'sbs', 'lr', '3dh', 'hsbs', 'tb', '3dv', 'ou', 'overunder',
    'rl', 'bt', 'alpha', 'mono', '2d', 'flat'];
  for (const r of required) assert.ok(seen.has(r), `no case uses marker ${r}`);
});

for (const [name, label, extra] of CASES) {
  test(`guessProjection: ${name}`, () => {
    const g = guessProjection([name]);
    assert.equal(g.label, label);
    for (const [k, v] of Object.entries(extra ?? {})) assert.equal(g[k as keyof ProjectionGuess], v, `${k} of ${name}`);
    if (g.source === 'default') assert.equal(g, FLAT_GUESS);
  });
}

test('the first name with a marker decides; later names fill what it leaves open', () => {
  assert.equal(guessProjection(['Scene01.8K.LR.mp4', 'VR Pack MKX200']).label, 'Fisheye 200° SBS');
  assert.equal(guessProjection(['Part1.mp4', 'Studio Pack 360 TB']).label, '360° TB');
  assert.equal(guessProjection(['Scene_180_LR.mp4', 'Pack_360_TB']).label, '180° SBS');
  assert.equal(guessProjection(['Scene_180.mp4', 'Pack_alpha']).alpha, true);
  assert.equal(guessProjection(['Movie.mkv', 'Movie.2019.1080p.BluRay']).source, 'name');
  assert.equal(guessProjection(['Movie.mkv', 'Movie.2019.1080p.BluRay']).label, 'Flat');
  assert.equal(guessProjection([]).label, 'Flat');
  assert.equal(guessProjection(['', 'Scene_360']).label, '360° Mono');
});

test('marker table walked row by row', () => {
  const projectionOf = { flat: 'perspective', '180': 'equirectangular', '360': 'equirectangular360', fisheye: 'fisheye', eac: 'equiangularCubemap', cubemap: 'cubemap' } as const;
  let walked = 0;
  for (const row of PROJECTION_MARKERS) {
    for (const token of row.tokens) {
      walked++;
      const written = token.toUpperCase();
      const name = `Studio.Scene.Title.${written}.mp4`;
      const g = guessProjection([name]);
      const e = row.effect;
      const where = `${token} (${row.role})`;
      if (row.role === 'hint') {
        assert.equal(g.label, '180° SBS', where);
        assert.equal(g.hinted, true, where);
        assert.equal(guessProjection([`${name}.BluRay`]).label, 'Flat', `${where} loses to BluRay`);
        continue;
      }
      if (row.role === 'modifier') {
        assert.equal(g.source, 'default', `${where} alone makes no VR guess`);
        const vr = guessProjection([`Studio.Scene.${written}.180.mp4`]);
        if (e.stereo) assert.equal(vr.stereo, e.stereo, where);
        if (e.alpha) assert.equal(vr.alpha, true, where);
        continue;
      }
      assert.equal(g.source, 'name', where);
      if (e.family) assert.equal(g.projection, projectionOf[e.family], where);
      else if (e.flat3d) assert.equal(g.projection, 'perspective', where);
      else assert.equal(g.projection, 'equirectangular', `${where}: stereo alone means 180°`);
      if (e.fov) assert.equal(g.fov, e.fov, where);
      if (e.lens) assert.equal(g.lens, e.lens, where);
      if (e.stereo) assert.equal(g.stereo, e.stereo, where);
      assert.equal(g.eyeSwapped, e.eyeSwapped === true, where);
      assert.equal(g.rf52, e.rf52 === true, where);
      if (e.flat3d) assert.equal(g.kind, 'flat', where);
      // Two-token forms are recognised when written with a separator too.
      if (token.includes('-')) assert.deepEqual(guessProjection([`Studio.Scene.${token.replaceAll('-', '')}.mp4`]), g, where);
      // Rows with a tag are release noise: cut from titles and kept as that tag.
      const t = cleanTitle(name);
      if (row.tag) {
        assert.ok(t.releaseTags.includes(row.tag), `${where}: tag ${row.tag} in ${t.releaseTags.join(',')}`);
        assert.equal(t.title, 'Studio Scene Title', where);
      } else {
        assert.match(t.title, new RegExp(written, 'i'), `${where} stays in the title`);
      }
    }
  }
  assert.ok(walked >= 50);
});

test('refineByFrame: only for default (or hinted) guesses, rules by aspect and size', () => {
  const flat = guessProjection(['Untitled.mp4']);
  assert.equal(flat.source, 'default');
  const sbs = refineByFrame(flat, 5760, 2880);
  assert.equal(sbs.label, '180° SBS');
  assert.equal(sbs.source, 'frame');
  assert.equal(refineByFrame(flat, 3840, 1920).label, '180° SBS');
  assert.equal(refineByFrame(flat, 1920, 960), flat, 'small 2:1 stays flat');
  assert.equal(refineByFrame(flat, 4096, 4096).label, '360° TB');
  assert.equal(refineByFrame(flat, 2880, 5760).label, '180° TB');
  assert.equal(refineByFrame(flat, 3840, 2160), flat, '4K film stays flat');
  assert.equal(refineByFrame(flat, 0, 0), flat);
  const named = guessProjection(['Scene_360_TB.mp4']);
  assert.equal(refineByFrame(named, 5760, 2880), named, 'names win over frames');
  const hinted = guessProjection(['Great VR Video.mp4']);
  assert.equal(refineByFrame(hinted, 1920, 1080).label, 'Flat');
  assert.equal(refineByFrame(hinted, 1920, 1080).source, 'frame');
  assert.equal(refineByFrame(hinted, 4096, 4096).label, '360° TB');
  assert.equal(refineByFrame(hinted, 2880, 1440), hinted, 'a VR-shaped frame keeps the hint');
});

test('guesses are shared frozen objects', () => {
  const a = guessProjection(['A_180_LR.mp4']);
  const b = guessProjection(['B_180_LR.mp4']);
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
});
