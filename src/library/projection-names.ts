// Reading one name for projection markers (the table is projection-markers.ts): whole tokens,
// two-token forms ("Half SBS", "Blu-ray"), glued markers, fisheye FOVs, colour standards, and the
// title words that only look like markers. Pure; projection.ts combines the readings of a video's
// names into one guess.
import type { Lens, ProjectionFamily, Stereo } from './model.ts';
import { EPISODE, FLAT_EVIDENCE, FLAT_EVIDENCE_PAIRS, SEQUENCES, SINGLE, m, type MarkerEffect, type ProjectionMarker } from './projection-markers.ts';

type Family = ProjectionFamily;

export interface NameReading {
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
/** Only tokens made of marker words at all are worth splitting (one regex test for the rest). */
const GLUED = new RegExp(
  `^(?:${[...SINGLE.keys()].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}|fisheye\\d{3}|f\\d{3}|\\d{3}f){2,3}$`,
);
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
  if (token.length < 3 || token.length > 24 || !GLUED.test(token)) return [];
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
export function readName(name: string, titleWords: ReadonlySet<string> = NONE): NameReading {
  const tokens = tokenize(name);
  const { hits, flatEvidence } = scan(tokens);
  const year = tokens.findIndex((t, i) => i > 0 && YEAR.test(t));
  const r: NameReading = { flat3d: false, alpha: false, stereoAny: false, carriesMarker: false, hint: false, flatEvidence, titleWords: [] };
  let decodes2d: MarkerEffect['decodes2d'];
  // Modifiers (alpha, mono) describe the markers they stand among ("_MKX200_alpha", "_MONO_360"):
  // one in the title part, with other words before the first marker ("Alpha.Dog.180.LR"), is a word.
  const hitAt = new Set(hits.map((h) => h.at));
  const firstMarker = hits.find((h) => h.row.role === 'marker')?.at ?? -1; // none: nothing to stand among
  const amongMarkers = (at: number): boolean => {
    for (let i = at + 1; i < firstMarker; i++) if (tokens[i] !== '' && !hitAt.has(i)) return false;
    return true;
  };
  for (const { row, at, token } of hits) {
    if (row.bare && flatEvidence) continue;
    if (row.role === 'modifier' && at < firstMarker && !amongMarkers(at)) {
      r.titleWords.push(token);
      continue;
    }
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
