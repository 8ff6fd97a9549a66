// The DeoVR projection table and small formatting rules, over every combination of projection
// facts the model can hold (heresphere-protocol.md §5.3, §5.6; debrid-scout.md §3.2, §8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREEN_TABLE, deovrScreen, encodingName, formatVideo, seconds } from '../src/api/deovr/format.ts';
import { buildVideo } from '../src/library/video.ts';
import { EMPTY_USER_DATA } from '../src/library/model.ts';
import { guessProjection } from '../src/library/projection.ts';
import type { Lens, Projection, Stereo } from '../src/library/model.ts';

const PROJECTIONS: Projection[] = ['perspective', 'equirectangular', 'equirectangular360', 'fisheye', 'cubemap', 'equiangularCubemap'];
const STEREOS: Stereo[] = ['mono', 'sbs', 'tb'];
const LENSES: Lens[] = ['Linear', 'MKX200', 'MKX220', 'VRCA220'];
const FOVS = [90, 180, 190, 200, 220, 360];
const SCREEN_TYPES = ['flat', 'dome', 'sphere', 'fisheye', 'fisheye190', 'mkx200', 'mkx220', 'vrca220', 'rf52'];

test('every combination of facts gets a known screenType and stereoMode; is3d exactly for stereo', () => {
  let n = 0;
  for (const projection of PROJECTIONS)
    for (const stereo of STEREOS)
      for (const lens of LENSES)
        for (const fov of FOVS)
          for (const rf52 of [false, true]) {
            const s = deovrScreen({ projection, stereo, lens, fov, rf52 });
            assert.ok(SCREEN_TYPES.includes(s.screenType), s.screenType);
            assert.ok(['off', 'sbs', 'tb', 'cuv'].includes(s.stereoMode));
            assert.equal(s.is3d, stereo !== 'mono');
            assert.equal(s.stereoMode === 'off', stereo === 'mono');
            if (stereo === 'tb' && !rf52) assert.equal(s.stereoMode, 'tb');
            n++;
          }
  assert.equal(n, PROJECTIONS.length * STEREOS.length * LENSES.length * FOVS.length * 2);
});

test('names as the library guesses them map as §5.6 says (and not as the ancestor did)', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['Some.Movie.2019.1080p.BluRay.x264-GRP.mkv', 'flat', 'off', false],
    ['Avatar.2009.3D.HSBS.1080p.mkv', 'flat', 'sbs', true],
    ['Scene.180.LR.mp4', 'dome', 'sbs', true],
    ['Scene.180.TB.mp4', 'dome', 'tb', true],
    ['Scene.180.MONO.mp4', 'dome', 'off', false],
    ['Scene.VR360.mp4', 'sphere', 'off', false],
    ['Scene.360.TB.mp4', 'sphere', 'tb', true],
    ['Scene.360.SBS.mp4', 'sphere', 'sbs', true],
    ['Scene.FISHEYE.LR.mp4', 'fisheye', 'sbs', true],
    ['Scene.F180.LR.mp4', 'fisheye', 'sbs', true],
    ['Scene.RF52.LR.mp4', 'rf52', 'cuv', true],
    ['Scene.Fisheye190.LR.mp4', 'fisheye190', 'sbs', true],
    ['Scene.MKX200.LR.mp4', 'mkx200', 'sbs', true],
    ['Scene.MKX220.LR.mp4', 'mkx220', 'sbs', true],
    ['Scene.VRCA220.LR.mp4', 'vrca220', 'sbs', true],
  ];
  for (const [name, screenType, stereoMode, is3d] of cases) {
    assert.deepEqual(deovrScreen(guessProjection([name])), { screenType, stereoMode, is3d }, name);
  }
});

test('the table: each row is reachable, documented types first', () => {
  for (const row of SCREEN_TABLE) {
    const s = deovrScreen({ projection: row.projection, stereo: 'sbs', lens: row.lens ?? 'Linear', fov: row.fov ?? (row.lens ? 200 : 180), rf52: row.rf52 ?? false });
    assert.equal(s.screenType, row.screenType, JSON.stringify(row));
  }
  // RF52 wins over its 190° FOV; MKX220 is never reported as mkx200.
  assert.equal(deovrScreen({ projection: 'fisheye', stereo: 'sbs', lens: 'Linear', fov: 190, rf52: true }).screenType, 'rf52');
  assert.equal(deovrScreen({ projection: 'fisheye', stereo: 'sbs', lens: 'MKX220', fov: 220, rf52: false }).screenType, 'mkx220');
});

test('seconds are whole; encoding names follow DEO-DOC (h264/h265)', () => {
  assert.equal(seconds(0), 0);
  assert.equal(seconds(1499), 1);
  assert.equal(seconds(1500), 2);
  assert.equal(seconds(1_834_400), 1834);
  assert.equal(seconds(Number.NaN), 0);
  assert.equal(seconds(-5), 0);
  assert.equal(encodingName(undefined), 'h264');
  assert.equal(encodingName(''), 'h264');
  assert.equal(encodingName('hevc'), 'h265');
  assert.equal(encodingName('H264'), 'h264');
  assert.equal(encodingName('av1'), 'av1');
  assert.equal(encodingName('weird codec/../'), 'h264');
});

// Deterministic twin of deovr.api's "27" (which sees the unprobed case only when its probe loses a race).
test('timeStamps: whole seconds once the duration is known, none without it', () => {
  const make = (durationMs: number | null) =>
    buildVideo({
      summary: { id: 'T1', hash: 'ab'.repeat(20), filename: 'Hill.Walk.180.LR.mp4', bytes: 1e9, status: 'downloaded', progress: 100, added: '2026-01-01T00:00:00.000Z', ended: null, links: ['https://real-debrid.com/d/A'] },
      info: null,
      user: { ...EMPTY_USER_DATA, tags: [{ name: 'Ending', start: 12_900, end: 15_000, track: 0 }, { name: 'Intro', start: 1500, end: 4000, track: 0 }, { name: 'Category:Nature' }] },
      probe: () => (durationMs === null ? null : { durationMs, width: 5760, height: 2880, codec: 'hevc', fps: 60 }),
      now: Date.parse('2026-02-01T00:00:00.000Z'),
    });
  const urls = { asset: (path: string) => path };
  const unprobed = formatVideo(make(null), urls);
  assert.equal(unprobed.videoLength, 0);
  assert.equal('timeStamps' in unprobed, false, 'no timeStamps without videoLength');
  const probed = formatVideo(make(20_000), urls) as ReturnType<typeof formatVideo> & { timeStamps?: Array<{ ts: number; name: string }> };
  assert.equal(probed.videoLength, 20);
  assert.deepEqual(probed.timeStamps, [
    { ts: 1, name: 'Intro' },
    { ts: 12, name: 'Ending' },
  ]);
});
