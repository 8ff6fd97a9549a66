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
import type { Lens, Projection, ProjectionFamily, ProjectionGuess, ProjectionKind, Stereo } from './model.ts';

type Family = ProjectionFamily;

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
  /** "Stereo" glued to a projection word: the family's usual stereo layout (360 -> TB, else SBS). */
  stereoAny?: boolean;
  /** Blu-ray 3D (MVC, .mk3d): players decode one 2D view; `mono` forces it over any layout word. */
  decodes2d?: 'mono' | 'unless-layout';
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
  m(['hou', 'h-ou', 'half-ou', 'htb', 'h-tb', 'half-tb', 'full-ou', 'htab', 'half-tab', '3d-tab'], { stereo: 'tb', flat3d: true }, { tag: 'TB' }),
  m(['sbs3d', '3d-sbs'], { stereo: 'sbs', flat3d: true }, { tag: 'SBS' }),
  m(['3d'], { flat3d: true }, { tag: '3D' }),
  // Blu-ray 3D remuxes: the MVC second view is not decoded by players, so they show one 2D view.
  m(['mvc'], { family: 'flat', decodes2d: 'mono' }, { specific: true, tag: 'MVC' }),
  m(['mk3d'], { family: 'flat', decodes2d: 'unless-layout' }, { specific: true }),
  m(['2d', 'flat'], { family: 'flat', stereo: 'mono' }),
  { tokens: ['mono'], role: 'modifier', effect: { stereo: 'mono' } },
  { tokens: ['alpha'], role: 'modifier', effect: { alpha: true } },
  { tokens: ['stereo'], role: 'modifier', effect: { stereoAny: true } },
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
  stereoAny: boolean;
  carriesMarker: boolean;
  hint: boolean;
  flatEvidence: boolean;
  /** Marker-looking tokens this name uses as title words ("360" in "360 (2011)"). */
  titleWords: string[];
}

/** First tokens of the two-token forms ("half sbs", "blu ray"...): only these build a pair. */
const SEQUENCE_FIRSTS: ReadonlySet<string> = new Set(
  [...SEQUENCES.keys(), ...FLAT_EVIDENCE_PAIRS].map((k) => k.slice(0, k.indexOf(' '))),
);

/** Token separators: space . _ - / [ ] ( ) { } + , ° (as char codes); "/" for "H/OU", "3D/SBS". */
const SEPARATOR_CODES: ReadonlySet<number> = new Set([...' \t\n\r._-/[](){}+,°'].map((ch) => ch.charCodeAt(0)));

/** Lower-case tokens between separators; a hand loop, several times faster than split(regex). */
export function tokenize(name: string): string[] {
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

/**
 * Colour standards after "BT"/"Rec": "BT.2020", "Rec.709" describe colours, not bottom-top eyes
 * (ITU-R BT.601/709/2020/2100; written so in HDR release names, e.g. PTN's test names).
 */
const COLOUR_STANDARDS: ReadonlySet<string> = new Set(['601', '709', '2020', '2100']);
const COLOUR_PREFIXES: ReadonlySet<string> = new Set(['bt', 'rec']);

/**
 * A fisheye lens written with its field of view: "fisheye200", "F220", "200F", "F135" (XBVR and
 * DeoVR's `_fisheye190`/`_FISHEYE200`; SLR-style `F180`). 120-250 degrees, multiples of 5.
 * The short F/number forms are `bare`: "Ford.F150.Review.2020.WEB" is a car, not a lens.
 */
const FISHEYE_FOV = /^(?:(fisheye)(\d{3})|f(\d{3})|(\d{3})f)$/;
const fisheyeRows = new Map<number, ProjectionMarker>();
function fisheyeRow(token: string): ProjectionMarker | undefined {
  const mm = FISHEYE_FOV.exec(token);
  if (!mm) return undefined;
  const fov = Number(mm[2] ?? mm[3] ?? mm[4]);
  if (fov < 120 || fov > 250 || fov % 5 !== 0) return undefined;
  const key = mm[1] ? fov : -fov;
  let row = fisheyeRows.get(key);
  if (!row) {
    const known = SINGLE.get(`fisheye${fov}`);
    const effect = known?.effect ?? { family: 'fisheye' as const, fov };
    row = m([token], effect, { specific: true, tag: known?.tag ?? (fov === 180 ? 'Fisheye' : `Fisheye${fov}`), ...(mm[1] ? {} : { bare: true }) });
    fisheyeRows.set(key, row);
  }
  return row;
}

function singleRow(token: string): ProjectionMarker | undefined {
  return SINGLE.get(token) ?? fisheyeRow(token);
}

/**
 * Markers glued together: "180mono", "360stereo", "mono360", "VR180LR", "8K360", "fisheye200lr",
 * "sbs3d" (XBVR reads `360_mono`/`mono_360`; videojs-vr names `180_MONO`, `360_LR`; people drop
 * the underscore). Every part must be a marker, at least one of them more than a hint, so no
 * ordinary word is ever split into markers. Memoised: the same few tokens recur in a library.
 */
const compoundMemo = new Map<string, ProjectionMarker[] | null>();
function splitGlued(token: string, depth: number): ProjectionMarker[] | null {
  for (let k = 1; k < token.length; k++) {
    const a = singleRow(token.slice(0, k));
    if (!a) continue;
    const rest = token.slice(k);
    const b = singleRow(rest);
    const tail = b ? [b] : depth > 0 ? splitGlued(rest, depth - 1) : null;
    if (tail && [a, ...tail].some((r) => r.role !== 'hint')) return [a, ...tail];
  }
  return null;
}

/** The rows a single token stands for: one row, the rows of a glued compound, or none. */
export function rowsOfToken(token: string): readonly ProjectionMarker[] {
  const row = singleRow(token);
  if (row) return [row];
  if (token.length < 3 || token.length > 24) return [];
  let rows = compoundMemo.get(token);
  if (rows === undefined) {
    rows = splitGlued(token, 2);
    if (compoundMemo.size > 10_000) compoundMemo.clear();
    compoundMemo.set(token, rows);
  }
  return rows ?? [];
}

const YEAR = /^(?:19|20)\d\d$/;
const NONE: ReadonlySet<string> = new Set();
const FOV_NUMBER = /^\d{3}$/;

interface Hit {
  row: ProjectionMarker;
  at: number;
  token: string;
}

/** Marker rows found in the tokens, with their positions; colour standards and FOV numbers consumed. */
function scan(tokens: readonly string[]): { hits: Hit[]; flatEvidence: boolean } {
  const hits: Hit[] = [];
  let flatEvidence = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (t === '') continue;
    if (FLAT_EVIDENCE.has(t) || (t.charCodeAt(0) === 115 /* s */ && EPISODE.test(t))) flatEvidence = true;
    const next = tokens[i + 1];
    if (next !== undefined && COLOUR_PREFIXES.has(t) && COLOUR_STANDARDS.has(next)) {
      i++;
      continue;
    }
    if (next !== undefined && SEQUENCE_FIRSTS.has(t)) {
      const pair = `${t} ${next}`;
      if (FLAT_EVIDENCE_PAIRS.has(pair)) flatEvidence = true;
      const row = SEQUENCES.get(pair);
      if (row) {
        hits.push({ row, at: i, token: t });
        i++;
        continue;
      }
    }
    // "fisheye 200" / "Fisheye_220": the lens word followed by its field of view.
    if (t === 'fisheye' && next !== undefined && FOV_NUMBER.test(next)) {
      const row = fisheyeRow(`fisheye${next}`);
      if (row) {
        hits.push({ row, at: i, token: t });
        i++;
        continue;
      }
    }
    for (const row of rowsOfToken(t)) hits.push({ row, at: i, token: t });
  }
  return { hits, flatEvidence };
}

/**
 * Title words that look like markers: a bare number or "3D" before the year of a film name
 * ("360 (2011)", "180.Degrees.South.2010", "Piranha.3D.2010.1080p.BluRay" is the 2D release)
 * when it is the first word, right before the year, or the name carries film evidence.
 */
function inTitle(at: number, year: number, flatEvidence: boolean): boolean {
  return year > 0 && at < year && (flatEvidence || at === 0 || at === year - 1);
}

/** `titleWords`: tokens another name of the same video uses as title words (a folder "360 (2011)" for "360.mkv"). */
function readName(name: string, titleWords: ReadonlySet<string> = NONE): NameReading {
  const tokens = tokenize(name);
  const { hits, flatEvidence } = scan(tokens);
  const year = tokens.findIndex((t, i) => i > 0 && YEAR.test(t));
  const r: NameReading = { flat3d: false, alpha: false, stereoAny: false, carriesMarker: false, hint: false, flatEvidence, titleWords: [] };
  let decodes2d: MarkerEffect['decodes2d'];
  for (const { row, at, token } of hits) {
    if (row.bare && flatEvidence) continue;
    const titleLike = (row.bare || row.effect.flat3d === true) && !row.effect.stereo;
    if (titleLike && (titleWords.has(token) || inTitle(at, year, flatEvidence))) {
      r.titleWords.push(token);
      continue;
    }
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
    if (e.stereoAny) r.stereoAny = true;
    if (e.decodes2d && decodes2d !== 'mono') decodes2d = e.decodes2d;
  }
  if (decodes2d) {
    // One decoded view: a flat 2D film, unless .mk3d carries an explicit frame-packed layout.
    r.flat3d = false;
    if (decodes2d === 'mono' || !r.stereo) r.stereo = { stereo: 'mono', eyeSwapped: false };
    if (r.family?.family !== 'flat') r.family = { family: 'flat', specific: true };
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
