// How to show a video in the headset from its names: the readings of a video's names
// (projection-names.ts, over the marker table in projection-markers.ts) combined into one guess,
// its label, and the one builder every other source (projection-sources.ts: file metadata,
// picture, frame size, the user) makes its guesses with. Guesses are shared frozen objects.
//
// Several names: [main file, torrent name, other files]. The first name carrying a marker
// decides; what it leaves open (e.g. a file with only "LR") is filled from later names (a
// torrent "Pack MKX200"), so folder tokens are not thrown away (§10.1 item 5).
import type { Lens, Projection, ProjectionFamily, ProjectionGuess, ProjectionKind, Stereo } from './model.ts';
import { readName, type NameReading } from './projection-names.ts';

export { FLAT_EVIDENCE, PROJECTION_MARKERS, type MarkerEffect, type ProjectionMarker } from './projection-markers.ts';
export { rowsOfToken, tokenize } from './projection-names.ts';

type Family = ProjectionFamily;

const FAMILY_DEFAULTS: Record<Family, { projection: Projection; stereo: Stereo; fov: number; kind: ProjectionKind }> = {
  flat: { projection: 'perspective', stereo: 'mono', fov: 90, kind: 'flat' },
  '180': { projection: 'equirectangular', stereo: 'sbs', fov: 180, kind: '180' },
  '360': { projection: 'equirectangular360', stereo: 'mono', fov: 360, kind: '360' },
  fisheye: { projection: 'fisheye', stereo: 'sbs', fov: 180, kind: 'fisheye' },
  eac: { projection: 'equiangularCubemap', stereo: 'sbs', fov: 360, kind: 'cubemap' },
  cubemap: { projection: 'cubemap', stereo: 'mono', fov: 360, kind: 'cubemap' },
};

const FAMILY_OF_PROJECTION = Object.fromEntries(
  Object.entries(FAMILY_DEFAULTS).map(([family, d]) => [d.projection, family]),
) as Record<Projection, Family>;

const STEREO_LABEL: Record<Stereo, string> = { sbs: 'SBS', tb: 'TB', mono: 'Mono' };
const SWAP_LABEL: Record<Stereo, string> = { sbs: ' (RL)', tb: ' (BT)', mono: '' };

/** The family a guess belongs to (the inverse of FAMILY_DEFAULTS' projection). */
export function familyOf(g: Pick<ProjectionGuess, 'projection'>): Family {
  return FAMILY_OF_PROJECTION[g.projection];
}

/** Human badge: "Flat", "Flat 3D SBS", "180° SBS", "360° TB", "Fisheye 200° SBS", "EAC 360° SBS". */
export function projectionLabel(g: Omit<ProjectionGuess, 'label' | 'source'>): string {
  let base: string;
  if (g.kind === 'flat') {
    return g.stereo === 'mono' ? 'Flat' : `Flat 3D ${STEREO_LABEL[g.stereo]}${g.eyeSwapped ? SWAP_LABEL[g.stereo] : ''}`;
  } else if (g.projection === 'fisheye') base = `Fisheye ${g.fov}°`;
  else if (g.projection === 'equiangularCubemap') base = `EAC ${g.fov}°`;
  else if (g.projection === 'cubemap') base = `Cubemap ${g.fov}°`;
  else base = `${g.fov}°`;
  return `${base} ${STEREO_LABEL[g.stereo]}${g.eyeSwapped ? SWAP_LABEL[g.stereo] : ''}${g.alpha ? ' Alpha' : ''}`;
}

export type Parts = {
  fov?: number;
  lens?: Lens;
  rf52?: boolean;
  stereo?: Stereo;
  eyeSwapped?: boolean;
  alpha?: boolean;
  hinted?: boolean;
};

/** Guesses are immutable and few: one shared frozen object per distinct combination. */
const guessCache = new Map<string, ProjectionGuess>();

/** The one way to make a guess (projection-sources.ts builds metadata, picture and user guesses with it). */
export function buildGuess(family: Family, parts: Parts, source: ProjectionGuess['source']): ProjectionGuess {
  return build(family, parts, source);
}

function build(family: Family, parts: Parts, source: ProjectionGuess['source']): ProjectionGuess {
  const d = FAMILY_DEFAULTS[family];
  const stereo = parts.stereo ?? d.stereo;
  const vr = family !== 'flat';
  const fov = parts.fov ?? d.fov;
  const lens = parts.lens ?? 'Linear';
  const eyeSwapped = stereo !== 'mono' && parts.eyeSwapped === true;
  const alpha = vr && parts.alpha === true;
  const rf52 = parts.rf52 === true;
  const hinted = parts.hinted === true;
  const key = `${family}|${stereo}|${fov}|${lens}|${eyeSwapped}|${alpha}|${rf52}|${source}|${hinted}`;
  const cached = guessCache.get(key);
  if (cached) return cached;
  const g = { projection: d.projection, stereo, fov, lens, eyeSwapped, alpha, rf52, kind: d.kind };
  const guess: ProjectionGuess = Object.freeze({ ...g, source, label: projectionLabel(g), ...(hinted ? { hinted } : {}) });
  guessCache.set(key, guess);
  return guess;
}

export const FLAT_GUESS: ProjectionGuess = build('flat', {}, 'default');

/** names = [main file name, torrent name, other names...]; see the table at the top. */
export function guessProjection(names: readonly string[]): ProjectionGuess {
  const readings: NameReading[] = [];
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (typeof n !== 'string' || n.length === 0 || names.indexOf(n) < i) continue; // same name twice
    readings.push(readName(n));
  }
  const titleWords = new Set(readings.flatMap((r) => r.titleWords));
  if (titleWords.size > 0) {
    let k = 0;
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      if (typeof n !== 'string' || n.length === 0 || names.indexOf(n) < i) continue;
      readings[k++] = readName(n, titleWords);
    }
  }
  const deciding = readings.findIndex((r) => r.carriesMarker);
  if (deciding < 0) {
    if (readings.some((r) => r.flatEvidence)) return build('flat', {}, 'name');
    if (readings.some((r) => r.hint)) {
      const alpha = readings.some((r) => r.alpha);
      const mono = readings.find((r) => r.stereo)?.stereo;
      return build('180', { alpha, stereo: mono?.stereo, hinted: true }, 'name');
    }
    return FLAT_GUESS;
  }
  let family: NameReading['family'];
  let stereo: NameReading['stereo'];
  let alpha = false;
  let stereoAny = false;
  for (let i = deciding; i < readings.length; i++) {
    const r = readings[i] as NameReading;
    family ??= r.family;
    stereo ??= r.stereo;
    alpha ||= r.alpha;
    stereoAny ||= r.stereoAny;
  }
  // Stereo without a projection is 180° VR, except in a 3D film: a 3D marker or a film
  // source tag in the deciding name, and no VR hint there ("3D VR" is VR).
  const d = readings[deciding] as NameReading;
  const flatScreen = !d.hint && (d.flat3d || d.flatEvidence);
  const fam: Family = family?.family ?? (flatScreen ? 'flat' : '180');
  const flatStereo = fam === 'flat' && flatScreen && !stereo ? 'sbs' : undefined;
  // "360stereo": stereo without a layout word is TB for 360° (DeoVR's convention), else SBS.
  const anyStereo = stereoAny && fam !== 'flat' ? (fam === '360' ? 'tb' : 'sbs') : undefined;
  return build(
    fam,
    {
      fov: family?.fov,
      lens: family?.lens,
      rf52: family?.rf52,
      stereo: stereo?.stereo ?? flatStereo ?? anyStereo,
      eyeSwapped: stereo?.eyeSwapped,
      alpha,
    },
    'name',
  );
}

