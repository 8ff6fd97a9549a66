// How to show a video in the headset (projection, stereo layout, FOV, lens), guessed from
// marker tokens in file and torrent names, and from the frame size once probed. One table
// (PROJECTION_MARKERS) holds every marker; adding a lens is one row. Tokens are compared
// whole (split on . _ - [ ] ( ) + , ° and spaces), so OUTDOOR is never "OU", TBD never "TB",
// 2DAYS never "2D" (the ancestor's substring bugs, debrid-scout.md §10.1 item 4), and a name
// without any marker is a flat video, not 180° VR.
//
// What the markers mean (heresphere-protocol.md §5.5-5.6, DeoVR/XBVR/Stash conventions):
//
// | marker(s)                         | projection          | stereo default | fov | lens    |
// |-----------------------------------|---------------------|----------------|-----|---------|
// | 180, 180x180, VR180               | equirectangular     | sbs (1)        | 180 | Linear  |
// | 360, VR360                        | equirectangular360  | mono (2)       | 360 | Linear  |
// | fisheye, F180, 180F               | fisheye             | sbs            | 180 | Linear  |
// | fisheye190, RF52 (Canon RF5.2)    | fisheye (+rf52)     | sbs            | 190 | Linear  |
// | MKX200                            | fisheye             | sbs            | 200 | MKX200  |
// | MKX220 / VRCA220                  | fisheye             | sbs            | 220 | MKX220 / VRCA220 |
// | EAC, EAC360, 360EAC               | equiangularCubemap  | sbs (§5.6)     | 360 | Linear  |
// | SBS, LR, 3DH / TB, OU, 3DV, OverUnder | stereo only: 180° equirect unless another marker says otherwise |
// | RL / BT                           | sbs / tb with the eyes swapped                          |
// | 3D, HSBS, Half-SBS, HOU, Half-OU  | a 3D *movie*: flat screen (perspective) + that layout (3) |
// | SBS/TB next to BluRay, WEB-DL...  | also a 3D movie (3)                                      |
// | 2D, FLAT                          | perspective, mono                                       |
// | MONO, alpha                       | modifiers: change a VR guess, never make one (4)        |
// | VR, Oculus, GearVR, PSVR, Quest2, 5K-8K | hints: VR (180° SBS) when no name has a marker;  |
// |                                   | a film-shaped frame (16:9...) overrules them later (5)  |
//
// (1) Commercial VR releases are stereo; "_180" alone is 180° SBS unless MONO says otherwise.
// (2) DeoVR's convention: "_360" alone is monoscopic, "_360_TB" stereo.
// (3) "Avatar.2009.3D.HSBS.1080p" is a 3D film shown on a virtual screen, not VR; but a VR
//     hint in the same name wins ("Scene.3D.VR" is VR), and so does any projection marker.
// (4) "Alpha.2018.1080p" and "Mono" are ordinary title words.
// (5) "VR.Troopers.S01E01.DVDRip" is a TV show: disc/broadcast/web source tags and episode
//     codes (FLAT_EVIDENCE) beat hints and the bare numbers 180/360 ("360.2011.1080p.BluRay"
//     is a film called 360), but never an explicit marker.
// VR180 follows Google's format (equirectangular), unlike Stash's fisheye mapping.
//
// Several names: [main file, torrent name, other files]. The first name carrying a marker
// decides; what it leaves open (e.g. a file with only "LR") is filled from later names (a
// torrent "Pack MKX200"), so folder tokens are not thrown away (§10.1 item 5).
import type { Lens, Projection, ProjectionGuess, ProjectionKind, Stereo } from './model.ts';

type Family = 'flat' | '180' | '360' | 'fisheye' | 'eac' | 'cubemap';

export interface MarkerEffect {
  family?: Family;
  fov?: number;
  lens?: Lens;
  stereo?: Stereo;
  eyeSwapped?: boolean;
  alpha?: boolean;
  rf52?: boolean;
  /** A 3D-movie marker: stereo without a VR projection means a flat screen. */
  flat3d?: boolean;
}

export interface ProjectionMarker {
  /** Lower-case tokens; "half-sbs" also matches the token sequence "half", "sbs". */
  tokens: readonly string[];
  /** marker: decides; modifier: adjusts a VR guess; hint: VR only when nothing else says. */
  role: 'marker' | 'modifier' | 'hint';
  effect: MarkerEffect;
  /** Bare numbers (180, 360) lose against FLAT_EVIDENCE. */
  bare?: boolean;
  /** Specific families (fisheye, lenses, EAC) beat generic 180/360 in the same name. */
  specific?: boolean;
  /** Release tag when the token is cut from a title; absent = the token is a normal word. */
  tag?: string;
}

const m = (tokens: string[], effect: MarkerEffect, extra: Partial<ProjectionMarker> = {}): ProjectionMarker => ({
  tokens,
  role: 'marker',
  effect,
  ...extra,
});

export const PROJECTION_MARKERS: ReadonlyArray<ProjectionMarker> = [
  m(['180'], { family: '180' }, { bare: true, tag: '180' }),
  m(['180x180', '180deg', 'vr180'], { family: '180' }, { tag: '180' }),
  m(['360'], { family: '360' }, { bare: true, tag: '360' }),
  m(['360x180', '360deg', 'vr360'], { family: '360' }, { tag: '360' }),
  m(['fisheye', 'fisheye180', 'f180', '180f'], { family: 'fisheye', fov: 180 }, { specific: true, tag: 'Fisheye' }),
  m(['fisheye190'], { family: 'fisheye', fov: 190 }, { specific: true, tag: 'Fisheye190' }),
  m(['rf52'], { family: 'fisheye', fov: 190, rf52: true }, { specific: true, tag: 'RF52' }),
  m(['mkx200'], { family: 'fisheye', fov: 200, lens: 'MKX200' }, { specific: true, tag: 'MKX200' }),
  m(['mkx220'], { family: 'fisheye', fov: 220, lens: 'MKX220' }, { specific: true, tag: 'MKX220' }),
  m(['vrca220'], { family: 'fisheye', fov: 220, lens: 'VRCA220' }, { specific: true, tag: 'VRCA220' }),
  m(['eac', 'eac360', '360eac'], { family: 'eac' }, { specific: true, tag: 'EAC' }),
  m(['cubemap'], { family: 'cubemap' }, { specific: true, tag: 'Cubemap' }),
  m(['sbs', 'lr', '3dh'], { stereo: 'sbs' }, { tag: 'SBS' }),
  m(['rl'], { stereo: 'sbs', eyeSwapped: true }, { tag: 'RL' }),
  m(['tb', 'ou', '3dv', 'over-under'], { stereo: 'tb' }, { tag: 'TB' }),
  m(['bt'], { stereo: 'tb', eyeSwapped: true }, { tag: 'BT' }),
  m(['hsbs', 'h-sbs', 'half-sbs', 'fsbs', 'full-sbs'], { stereo: 'sbs', flat3d: true }, { tag: 'SBS' }),
  m(['hou', 'h-ou', 'half-ou', 'htb', 'h-tb', 'half-tb', 'full-ou'], { stereo: 'tb', flat3d: true }, { tag: 'TB' }),
  m(['3d'], { flat3d: true }, { tag: '3D' }),
  m(['2d', 'flat'], { family: 'flat', stereo: 'mono' }),
  { tokens: ['mono'], role: 'modifier', effect: { stereo: 'mono' } },
  { tokens: ['alpha'], role: 'modifier', effect: { alpha: true } },
  { tokens: ['vr', 'vrporn'], role: 'hint', effect: {} },
  { tokens: ['oculus', 'oculusrift'], role: 'hint', effect: {}, tag: 'Oculus' },
  { tokens: ['gearvr'], role: 'hint', effect: {}, tag: 'GearVR' },
  { tokens: ['psvr'], role: 'hint', effect: {}, tag: 'PSVR' },
  { tokens: ['quest2', 'quest3', 'questpro'], role: 'hint', effect: {}, tag: 'Quest' },
  { tokens: ['pico4'], role: 'hint', effect: {}, tag: 'Pico' },
  { tokens: ['5k', '6k', '7k', '8k'], role: 'hint', effect: {} },
];

/** Tokens that say "ordinary film or TV release" (see note 5 above). */
export const FLAT_EVIDENCE: ReadonlySet<string> = new Set([
  'bluray', 'bdrip', 'brrip', 'bdremux', 'remux', 'webdl', 'webrip', 'web', 'hdtv', 'pdtv',
  'dvdrip', 'dvd', 'dvdscr', 'hdrip', 'amzn', 'nf', 'dsnp', 'hmax', 'atvp', 'hulu', 'pcok',
]);
const EPISODE = /^s\d{1,2}e\d{1,3}$/;


const SINGLE = new Map<string, ProjectionMarker>();
const SEQUENCES = new Map<string, ProjectionMarker>(); // "half sbs" -> row
for (const row of PROJECTION_MARKERS) {
  for (const t of row.tokens) {
    if (t.includes('-')) {
      SINGLE.set(t.replaceAll('-', ''), row);
      SEQUENCES.set(t.replaceAll('-', ' '), row);
    } else SINGLE.set(t, row);
  }
}
/** Flat evidence written as two tokens ("Blu-ray", "WEB-DL"). */
const FLAT_EVIDENCE_PAIRS: ReadonlySet<string> = new Set(['blu ray', 'web dl']);

interface NameReading {
  family?: { family: Family; fov?: number; lens?: Lens; rf52?: boolean; specific: boolean };
  stereo?: { stereo: Stereo; eyeSwapped: boolean };
  flat3d: boolean;
  alpha: boolean;
  carriesMarker: boolean;
  hint: boolean;
  flatEvidence: boolean;
}

/** First tokens of the two-token forms ("half sbs", "blu ray"...): only these build a pair. */
const SEQUENCE_FIRSTS: ReadonlySet<string> = new Set(
  [...SEQUENCES.keys(), ...FLAT_EVIDENCE_PAIRS].map((k) => k.slice(0, k.indexOf(' '))),
);

/** Token separators: space . _ - [ ] ( ) { } + , ° (as char codes). */
const SEPARATOR_CODES: ReadonlySet<number> = new Set([...' \t\n\r._-[](){}+,°'].map((ch) => ch.charCodeAt(0)));

/** Lower-case tokens between separators; a hand loop, several times faster than split(regex). */
function tokenize(name: string): string[] {
  const s = name.toLowerCase();
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (SEPARATOR_CODES.has(s.charCodeAt(i))) {
      if (start >= 0) tokens.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) tokens.push(s.slice(start));
  return tokens;
}

function readName(name: string): NameReading {
  const tokens = tokenize(name);
  const rows: ProjectionMarker[] = [];
  let flatEvidence = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (t === '') continue;
    if (FLAT_EVIDENCE.has(t) || (t.charCodeAt(0) === 115 /* s */ && EPISODE.test(t))) flatEvidence = true;
    const next = tokens[i + 1];
    if (next !== undefined && SEQUENCE_FIRSTS.has(t)) {
      const pair = `${t} ${next}`;
      if (FLAT_EVIDENCE_PAIRS.has(pair)) flatEvidence = true;
      const row = SEQUENCES.get(pair);
      if (row) {
        rows.push(row);
        i++;
        continue;
      }
    }
    const row = SINGLE.get(t);
    if (row) rows.push(row);
  }
  const r: NameReading = { flat3d: false, alpha: false, carriesMarker: false, hint: false, flatEvidence };
  for (const row of rows) {
    if (row.bare && flatEvidence) continue;
    if (row.role === 'hint') {
      r.hint = true;
      continue;
    }
    if (row.role === 'marker') r.carriesMarker = true;
    const e = row.effect;
    if (e.family && (!r.family || (row.specific && !r.family.specific))) {
      r.family = { family: e.family, fov: e.fov, lens: e.lens, rf52: e.rf52, specific: row.specific === true };
    }
    if (e.stereo && !r.stereo) r.stereo = { stereo: e.stereo, eyeSwapped: e.eyeSwapped === true };
    if (e.flat3d) r.flat3d = true;
    if (e.alpha) r.alpha = true;
  }
  return r;
}

const FAMILY_DEFAULTS: Record<Family, { projection: Projection; stereo: Stereo; fov: number; kind: ProjectionKind }> = {
  flat: { projection: 'perspective', stereo: 'mono', fov: 90, kind: 'flat' },
  '180': { projection: 'equirectangular', stereo: 'sbs', fov: 180, kind: '180' },
  '360': { projection: 'equirectangular360', stereo: 'mono', fov: 360, kind: '360' },
  fisheye: { projection: 'fisheye', stereo: 'sbs', fov: 180, kind: 'fisheye' },
  eac: { projection: 'equiangularCubemap', stereo: 'sbs', fov: 360, kind: 'cubemap' },
  cubemap: { projection: 'cubemap', stereo: 'mono', fov: 360, kind: 'cubemap' },
};

const STEREO_LABEL: Record<Stereo, string> = { sbs: 'SBS', tb: 'TB', mono: 'Mono' };
const SWAP_LABEL: Record<Stereo, string> = { sbs: ' (RL)', tb: ' (BT)', mono: '' };

/** Human badge: "Flat", "Flat 3D SBS", "180° SBS", "360° TB", "Fisheye 200° SBS", "EAC 360° SBS". */
export function projectionLabel(g: Omit<ProjectionGuess, 'label' | 'source'>): string {
  let base: string;
  if (g.kind === 'flat') {
    return g.stereo === 'mono' ? 'Flat' : `Flat 3D ${STEREO_LABEL[g.stereo]}`;
  } else if (g.projection === 'fisheye') base = `Fisheye ${g.fov}°`;
  else if (g.projection === 'equiangularCubemap') base = `EAC ${g.fov}°`;
  else if (g.projection === 'cubemap') base = `Cubemap ${g.fov}°`;
  else base = `${g.fov}°`;
  return `${base} ${STEREO_LABEL[g.stereo]}${g.eyeSwapped ? SWAP_LABEL[g.stereo] : ''}${g.alpha ? ' Alpha' : ''}`;
}

type Parts = {
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
  for (let i = deciding; i < readings.length; i++) {
    const r = readings[i] as NameReading;
    family ??= r.family;
    stereo ??= r.stereo;
    alpha ||= r.alpha;
  }
  // Stereo without a projection is 180° VR, except in a 3D film: a 3D marker or a film
  // source tag in the deciding name, and no VR hint there ("3D VR" is VR).
  const d = readings[deciding] as NameReading;
  const flatScreen = !d.hint && (d.flat3d || d.flatEvidence);
  const fam: Family = family?.family ?? (flatScreen ? 'flat' : '180');
  const flatStereo = fam === 'flat' && flatScreen && !stereo ? 'sbs' : undefined;
  return build(
    fam,
    {
      fov: family?.fov,
      lens: family?.lens,
      rf52: family?.rf52,
      stereo: stereo?.stereo ?? flatStereo,
      eyeSwapped: stereo?.eyeSwapped,
      alpha,
    },
    'name',
  );
}

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
  if (Math.abs(aspect - 2) <= 0.1 && width >= 3840) return build('180', { stereo: 'sbs' }, 'frame');
  if (Math.abs(aspect - 1) <= 0.05 && width >= 2880) return build('360', { stereo: 'tb' }, 'frame');
  if (Math.abs(aspect - 0.5) <= 0.025 && height >= 3840) return build('180', { stereo: 'tb' }, 'frame');
  if (guess.hinted && aspect >= 1.3 && Math.abs(aspect - 2) > 0.1) return build('flat', {}, 'frame');
  return guess;
}
