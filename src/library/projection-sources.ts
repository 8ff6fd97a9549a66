// Beyond the name: what the file's container says (st3d/sv3d side data, Matroska StereoMode), what
// the thumbnail frame looks like (media/picture.ts), the frame size, and last the user's word. One
// order, decided here and nowhere else (issue 14):
//
// | source   | when it counts                                              | beats              |
// |----------|-------------------------------------------------------------|--------------------|
// | user     | always, field by field ("back to automatic" removes it)     | everything         |
// | metadata | the file states a layout and/or a projection                | picture, name      |
// | picture  | the name has no marker, or the name contradicts it strongly | frame size, name   |
// |          | (a "3D" title whose frame is one picture is flat; a         |                    |
// |          | name-less 2:1 pair is 180° SBS)                             |                    |
// | frame    | no name marker (or only a hint) and a VR-sized frame        | default            |
// | name     | a marker in a file or torrent name (projection.ts)          | default            |
//
// Each step is a pure function of the previous guess, so the media pipeline and the Video
// builder compute the same projection from the same inputs.
import type { MediaProbe, PictureVerdict, ProjectionFamily, ProjectionGuess, ProjectionOverride, SpatialMeta, Stereo } from './model.ts';
import { buildGuess, familyOf } from './projection.ts';

/**
 * Frame-size rule, used when no name said anything (source 'default') or only a weak hint
 * did (`hinted`):
 *
 * | aspect w:h | size           | meaning (each eye)                | result      |
 * |------------|----------------|-----------------------------------|-------------|
 * | 2:1 ±5%    | width >= 3840  | two square 180° eyes side by side | 180° SBS    |
 * | 1:1 ±5%    | width >= 2880  | two 2:1 360° eyes stacked         | 360° TB     |
 * | 1:2 ±5%    | height >= 3840 | two square 180° eyes stacked      | 180° TB     |
 * | >= 1.3:1 otherwise (16:9, 4:3, 2.39:1) | any | a film frame | flat (hinted guesses only) |
 *
 * Without a hint, a frame that fits no row leaves the guess alone (flat). 1920x960 and other
 * small 2:1 frames are not VR-sized and stay as they are.
 */
export function refineByFrame(guess: ProjectionGuess, width: number, height: number): ProjectionGuess {
  if ((guess.source !== 'default' && guess.hinted !== true) || !(width > 0) || !(height > 0)) return guess;
  const aspect = width / height;
  if (Math.abs(aspect - 2) <= 0.1 && width >= 3840) return buildGuess('180', { stereo: 'sbs' }, 'frame');
  if (Math.abs(aspect - 1) <= 0.05 && width >= 2880) return buildGuess('360', { stereo: 'tb' }, 'frame');
  if (Math.abs(aspect - 0.5) <= 0.025 && height >= 3840) return buildGuess('180', { stereo: 'tb' }, 'frame');
  if (guess.hinted && aspect >= 1.3 && Math.abs(aspect - 2) > 0.1) return buildGuess('flat', {}, 'frame');
  return guess;
}

/** Sources decided by the file or the user: later automatic steps leave them alone. */
const SETTLED: ReadonlySet<ProjectionGuess['source']> = new Set(['user', 'metadata', 'picture']);

/** What the container says beats the name: its layout, its projection, or both. */
export function refineByMetadata(guess: ProjectionGuess, s: SpatialMeta | null | undefined): ProjectionGuess {
  if (!s || SETTLED.has(guess.source) || (s.stereo === undefined && s.family === undefined)) return guess;
  const named = guess.source === 'name' && guess.hinted !== true;
  const guessed = familyOf(guess);
  // A layout alone keeps a named VR family ("Scene_180" + st3d TB = 180° TB); without a VR name,
  // a stereo file with no spherical box is a 3D film (Matroska StereoMode on a Blu-ray 3D remux).
  const family: ProjectionFamily = s.family ?? (named && guessed !== 'flat' ? guessed : 'flat');
  const sameFamily = family === guessed && named;
  // A spherical box without st3d is mono (Spherical Video V2: st3d absent = monoscopic), unless the
  // name gave a layout for the same family.
  const stereo: Stereo = s.stereo ?? (sameFamily ? guess.stereo : s.family === 'flat' ? guess.stereo : 'mono');
  return buildGuess(
    family,
    {
      fov: s.fov ?? (sameFamily ? guess.fov : undefined),
      lens: sameFamily ? guess.lens : undefined,
      rf52: sameFamily && guess.rf52,
      stereo,
      eyeSwapped: s.eyeSwapped ?? (stereo === guess.stereo && guess.eyeSwapped),
      alpha: guess.alpha,
    },
    'metadata',
  );
}

/** Every automatic source after the name, in order: file metadata, picture, frame size. */
export function refineByProbe(guess: ProjectionGuess, probe: MediaProbe | null | undefined): ProjectionGuess {
  if (!probe) return guess;
  let g = refineByMetadata(guess, probe.spatial);
  g = refineByPicture(g, probe.picture);
  return refineByFrame(g, probe.width, probe.height);
}

const SHAPE_FAMILY: Readonly<Record<PictureVerdict['shape'], ProjectionFamily>> = { fisheye: 'fisheye', '360': '360', '180': '180', flat: 'flat' };

/**
 * The picture where the name has no marker (or only a hint), and where name and picture contradict
 * strongly: a 3D film whose frame is one picture is flat; a film name over a stereo pair is a 3D
 * film; a VR name with the other layout takes the picture's; "180" over fisheye circles is fisheye.
 * A plain flat verdict on an unnamed video leaves the frame-size rule its say.
 */
export function refineByPicture(guess: ProjectionGuess, p: PictureVerdict | null | undefined): ProjectionGuess {
  if (!p || SETTLED.has(guess.source)) return guess;
  const family = familyOf(guess);
  const keep = { fov: guess.fov, lens: guess.lens, rf52: guess.rf52, alpha: guess.alpha };
  if (guess.source === 'default' || guess.source === 'frame' || guess.hinted === true) {
    if (p.shape === 'flat' && p.stereo === 'mono') return guess;
    return buildGuess(SHAPE_FAMILY[p.shape], { stereo: p.stereo, alpha: guess.alpha }, 'picture');
  }
  if (family === 'flat') {
    if (guess.stereo !== 'mono' && p.stereo === 'mono') return buildGuess('flat', {}, 'picture');
    if (guess.stereo === 'mono' && p.stereo !== 'mono') return buildGuess('flat', { stereo: p.stereo }, 'picture');
    return guess;
  }
  const fisheye = p.shape === 'fisheye' && family === '180';
  const layout = p.stereo !== 'mono' && guess.stereo !== 'mono' && p.stereo !== guess.stereo;
  if (!fisheye && !layout) return guess;
  return buildGuess(
    fisheye ? 'fisheye' : family,
    fisheye ? { stereo: p.stereo === 'mono' ? guess.stereo : p.stereo, alpha: guess.alpha } : { ...keep, stereo: p.stereo },
    'picture',
  );
}

const PROJECTIONS: ReadonlySet<string> = new Set(['perspective', 'equirectangular', 'equirectangular360', 'fisheye', 'cubemap', 'equiangularCubemap']);
const STEREOS: ReadonlySet<string> = new Set(['mono', 'sbs', 'tb']);
const LENSES: ReadonlySet<string> = new Set(['Linear', 'MKX200', 'MKX220', 'VRCA220']);
/** FOV the players accept for a set-by-hand value (HereSphere takes any; DeoVR maps by lens). */
export const OVERRIDE_FOV = { min: 30, max: 360 } as const;

/**
 * A well-formed override from anything (a request body, a stored row): known values only, FOV a
 * whole number in range; null when nothing is left (= automatic). Throws nothing.
 */
export function cleanOverride(v: unknown): ProjectionOverride | null {
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const out: ProjectionOverride = {};
  if (typeof o.projection === 'string' && PROJECTIONS.has(o.projection)) out.projection = o.projection as ProjectionOverride['projection'];
  if (typeof o.stereo === 'string' && STEREOS.has(o.stereo)) out.stereo = o.stereo as Stereo;
  if (typeof o.fov === 'number' && Number.isInteger(o.fov) && o.fov >= OVERRIDE_FOV.min && o.fov <= OVERRIDE_FOV.max) out.fov = o.fov;
  if (typeof o.lens === 'string' && LENSES.has(o.lens)) out.lens = o.lens as ProjectionOverride['lens'];
  if (typeof o.eyeSwapped === 'boolean') out.eyeSwapped = o.eyeSwapped;
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * The user's word over every automatic source, field by field: what the override leaves out comes
 * from the automatic guess when it still fits (the FOV and lens of the same projection, the eye
 * swap of the same layout), else from the projection's defaults.
 */
export function applyOverride(auto: ProjectionGuess, o: ProjectionOverride | null | undefined): ProjectionGuess {
  if (!o) return auto;
  const family = familyOf({ projection: o.projection ?? auto.projection });
  const same = family === familyOf(auto);
  const stereo = o.stereo ?? (family === 'flat' && !same ? 'mono' : auto.stereo);
  const lens = o.lens ?? (same ? auto.lens : undefined);
  return buildGuess(
    family,
    {
      fov: o.fov ?? (same && o.lens === undefined ? auto.fov : LENS_FOV[lens ?? 'Linear']),
      lens,
      rf52: same && o.lens === undefined && o.fov === undefined && auto.rf52,
      stereo,
      eyeSwapped: o.eyeSwapped ?? (stereo === auto.stereo && auto.eyeSwapped),
      alpha: auto.alpha,
    },
    'user',
  );
}

/** A lens chosen by hand brings its own field of view (Linear: the projection's default). */
const LENS_FOV: Readonly<Record<NonNullable<ProjectionOverride['lens']>, number | undefined>> = {
  Linear: undefined,
  MKX200: 200,
  MKX220: 220,
  VRCA220: 220,
};

/** Where a decision came from, in words (detail view, HereSphere tag); the server decides these. */
export const SOURCE_LABELS: Readonly<Record<ProjectionGuess['source'], string>> = {
  name: 'File name',
  metadata: 'File metadata',
  picture: 'Picture',
  frame: 'Frame size',
  user: 'Your setting',
  default: 'No marker (flat)',
};
