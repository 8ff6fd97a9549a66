// Funscripts (issue 17): what a video's .funscript says about its intensity, as a pure function of
// the file's text, so the server (summary stored once, heatmap PNG for thumbnails) and the browser
// (heatmap strip drawn on a canvas, bundled by esbuild) compute the very same colours.
//
// A funscript is JSON `{ "actions": [{ "at": ms, "pos": 0..100 }, …] }` (the Launch/ScriptPlayer
// format). Speed and colours follow XBVR's heatmap (xbapps/xbvr pkg/tasks/heatmap.go, PR #2241,
// served at /imghm/), which users already know:
//   - the speed of a move is |Δpos| / Δt, with Δt floored at 25 ms (XBVR clamps its slope at 20 =
//     1000 / (2 · 25 ms)); XBVR's "intensity" is half of this speed in pos units per second, so its
//     colour steps of 60 are steps of 120 here;
//   - each move counts in the segment of the time it ends; a segment's speed is the mean of its
//     moves; segments span 0 to the last action; a segment without moves is white;
//   - colour stops: white (no motion), DodgerBlue #1e90ff → ForestGreen #228b22 (120) → Gold
//     #ffd700 (240) → Crimson #dc143c (360) → Purple #800080 (480) → #0f001e (1080 and above).
// Differences, on purpose: XBVR blends between stops in Lab/HCL space, this blends in sRGB (same
// colours at the stops, a little different in between; no colour library needed in the browser);
// XBVR interpolates between 250 segments, this draws HEATMAP_SEGMENTS crisp blocks.
// Average speed (a summary figure, not in XBVR) is the travelled distance over the time spent
// moving, so pauses do not water it down.

/** Segments of a heatmap (the strip is drawn as this many blocks). */
export const HEATMAP_SEGMENTS = 100;
/** A funscript bigger than this is not a funscript (hours of 10 moves/s stay below 5 MB). */
export const MAX_FUNSCRIPT_BYTES = 8 * 1024 * 1024;
export const MAX_FUNSCRIPT_ACTIONS = 500_000;
/** XBVR's 25 ms floor on the time of one move (see above). */
const MIN_MOVE_MS = 25;
/** Segment speeds are kept in steps of this many pos units per second (one character each, see encodeHeat). */
export const SPEED_STEP = 20;
const HEAT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const MAX_LEVEL = HEAT_ALPHABET.length - 1;

export type Rgb = readonly [number, number, number];

/** [speed in pos units/s, colour]: XBVR's stops (see above), blended linearly between rows. */
const COLOUR_STOPS: ReadonlyArray<readonly [number, Rgb]> = [
  [0, [0x1e, 0x90, 0xff]], // DodgerBlue
  [120, [0x22, 0x8b, 0x22]], // ForestGreen
  [240, [0xff, 0xd7, 0x00]], // Gold
  [360, [0xdc, 0x14, 0x3c]], // Crimson
  [480, [0x80, 0x00, 0x80]], // Purple
  [1080, [0x0f, 0x00, 0x1e]], // XBVR's near-black end
];
/** No motion at all in a segment (XBVR: white). */
export const STILL_COLOUR: Rgb = [0xff, 0xff, 0xff];

/** Intensity levels by average speed (pos units/s), for tags and the browser's filter; bounds follow the colour stops. */
export const INTENSITY_LEVELS: ReadonlyArray<{ key: IntensityLevel; label: string; from: number }> = [
  { key: 'low', label: 'Low', from: 0 }, // blue → green
  { key: 'medium', label: 'Medium', from: 120 }, // green → gold
  { key: 'high', label: 'High', from: 240 }, // gold → red
  { key: 'extreme', label: 'Extreme', from: 360 }, // red → purple and beyond
];
export type IntensityLevel = 'low' | 'medium' | 'high' | 'extreme';

export function intensityOf(avgSpeed: number): IntensityLevel {
  let out: IntensityLevel = 'low';
  for (const l of INTENSITY_LEVELS) if (avgSpeed >= l.from) out = l.key;
  return out;
}

/** What reading a funscript yields: the figures, or why there are none (shown in the detail view). */
export type ScriptFacts =
  | {
      ok: true;
      actions: number;
      /** Time of the last action, ms (the script's length, as XBVR counts it). */
      lengthMs: number;
      /** pos units per second while moving. */
      avgSpeed: number;
      maxSpeed: number;
      /** HEATMAP_SEGMENTS characters, one speed level each (encodeHeat). */
      heat: string;
    }
  | { ok: false; code: ScriptProblem; reason: string };

/** Why a funscript gives no heatmap; each row is a way real files go wrong. */
export const SCRIPT_PROBLEMS = {
  'too-large': `The script is larger than ${MAX_FUNSCRIPT_BYTES / 1024 / 1024} MB; it is not read.`, // a video renamed .funscript
  'not-json': 'The script is not valid JSON.', // truncated download, a text editor's leftovers
  'no-actions': 'The script has no "actions" list.', // a funscript "v2" with only metadata, or another format
  empty: 'The script has no actions.', // placeholder files shipped with a release
  'bad-action': 'The script has actions without a valid time ("at") or position ("pos").', // hand-edited scripts
  'too-many': `The script has more than ${MAX_FUNSCRIPT_ACTIONS.toLocaleString('en')} actions; it is not read.`,
  'no-motion': 'The script never moves.', // every action at one position or one time
} as const;
export type ScriptProblem = keyof typeof SCRIPT_PROBLEMS;

const problem = (code: ScriptProblem): ScriptFacts => ({ ok: false, code, reason: SCRIPT_PROBLEMS[code] });

/** The figures and heatmap of a funscript's text (bytes as read; a BOM is tolerated). */
export function analyseFunscript(text: string, byteLength = text.length): ScriptFacts {
  if (byteLength > MAX_FUNSCRIPT_BYTES) return problem('too-large');
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return problem('not-json');
  }
  const raw = doc !== null && typeof doc === 'object' ? (doc as { actions?: unknown }).actions : undefined;
  if (!Array.isArray(raw)) return problem('no-actions');
  if (raw.length === 0) return problem('empty');
  if (raw.length > MAX_FUNSCRIPT_ACTIONS) return problem('too-many');
  const at = new Float64Array(raw.length);
  const pos = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i] as { at?: unknown; pos?: unknown } | null;
    const t = typeof a?.at === 'number' ? a.at : NaN;
    const p = typeof a?.pos === 'number' ? a.pos : NaN;
    if (!Number.isFinite(t) || t < 0 || !Number.isFinite(p)) return problem('bad-action');
    at[i] = t;
    pos[i] = Math.max(0, Math.min(100, p));
  }
  // Sorted by time (XBVR sorts too: some editors save actions out of order); stable for equal times.
  const order = Array.from({ length: raw.length }, (_, i) => i).sort((a, b) => at[a]! - at[b]! || a - b);
  const lengthMs = at[order[order.length - 1]!]!;
  const sums = new Float64Array(HEATMAP_SEGMENTS);
  const counts = new Uint32Array(HEATMAP_SEGMENTS);
  let travel = 0;
  let movingMs = 0;
  let maxSpeed = 0;
  for (let k = 1; k < order.length; k++) {
    const i = order[k]!;
    const j = order[k - 1]!;
    const dt = at[i]! - at[j]!;
    const dp = Math.abs(pos[i]! - pos[j]!);
    if (dt <= 0 && dp === 0) continue; // a duplicate action
    const speed = (dp * 1000) / Math.max(dt, MIN_MOVE_MS);
    const seg = Math.min(HEATMAP_SEGMENTS - 1, Math.floor((at[i]! / (lengthMs + 1)) * HEATMAP_SEGMENTS));
    sums[seg]! += speed;
    counts[seg]!++;
    if (dp > 0) {
      travel += dp;
      movingMs += Math.max(dt, MIN_MOVE_MS);
      if (speed > maxSpeed) maxSpeed = speed;
    }
  }
  if (travel === 0) return problem('no-motion');
  const levels: number[] = [];
  for (let s = 0; s < HEATMAP_SEGMENTS; s++) levels.push(counts[s]! > 0 ? speedLevel(sums[s]! / counts[s]!) : 0);
  return {
    ok: true,
    actions: raw.length,
    lengthMs: Math.round(lengthMs),
    avgSpeed: Math.round((travel * 1000) / movingMs),
    maxSpeed: Math.round(maxSpeed),
    heat: encodeHeat(levels),
  };
}

/** A speed as a level (0 only for no motion at all; any motion is at least level 1). */
function speedLevel(speed: number): number {
  if (speed <= 0) return 0;
  return Math.max(1, Math.min(MAX_LEVEL, Math.round(speed / SPEED_STEP)));
}

export function encodeHeat(levels: readonly number[]): string {
  return levels.map((l) => HEAT_ALPHABET[Math.max(0, Math.min(MAX_LEVEL, l))]).join('');
}

/** Segment speeds (pos units/s) back from a heat string; unknown characters count as still. */
export function decodeHeat(heat: string): number[] {
  return [...heat].map((c) => Math.max(0, HEAT_ALPHABET.indexOf(c)) * SPEED_STEP);
}

/** The heatmap colour of a speed (see COLOUR_STOPS); 0 = no motion = white. */
export function speedColour(speed: number): Rgb {
  if (!(speed > 0)) return STILL_COLOUR;
  for (let i = 1; i < COLOUR_STOPS.length; i++) {
    const [s1, c1] = COLOUR_STOPS[i]!;
    const [s0, c0] = COLOUR_STOPS[i - 1]!;
    if (speed <= s1) {
      const f = (speed - s0) / (s1 - s0);
      return [mix(c0[0], c1[0], f), mix(c0[1], c1[1], f), mix(c0[2], c1[2], f)];
    }
  }
  return COLOUR_STOPS[COLOUR_STOPS.length - 1]![1];
}

const mix = (a: number, b: number, f: number): number => Math.round(a + (b - a) * f);

/** One row of `width` RGB pixels: the strip, pixel x showing the segment under it. */
export function heatmapRow(heat: string, width: number): Uint8Array {
  const speeds = decodeHeat(heat);
  const row = new Uint8Array(width * 3);
  if (speeds.length === 0) return row;
  for (let x = 0; x < width; x++) {
    const c = speedColour(speeds[Math.min(speeds.length - 1, Math.floor((x * speeds.length) / width))]!);
    row.set(c, x * 3);
  }
  return row;
}
