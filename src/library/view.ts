// The ONE rule that turns a library into "what the user is looking at": the view state (sort +
// filters, as the browser's URL holds it), its query-string form, and filter-then-sort. The
// browser bundles this module (esbuild) for its instant re-sorts, and the server runs the very
// same code for saved views shown as HereSphere sections and DeoVR scenes (saved-views.ts), so a
// saved view lists the same videos in the same order everywhere. Pure: no DOM, no Node, no I/O.
// Keys are precomputed once per library so a 10,000-video re-sort compares numbers only (the
// collator runs once, in buildIndex).
import type { Video } from './model.ts';
import { INTENSITY_LEVELS } from './funscript.ts';

export type SortKey = 'name' | 'added' | 'size' | 'duration' | 'rating' | 'played' | 'intensity';
export type SortDir = 'asc' | 'desc';
export type KindFilter = 'all' | '180' | '360' | 'fisheye' | 'flat';
export type StereoFilter = 'all' | '3d' | '2d';
/** Funscripts (issue 17): any, with or without one, or at least that intensity (funscript.ts levels). */
export type ScriptFilter = 'all' | 'scripted' | 'unscripted' | 'medium' | 'high' | 'extreme';

export interface ViewState {
  sort: SortKey;
  dir: SortDir;
  q: string;
  kind: KindFilter;
  /** 3D = one picture per eye (side by side or top-bottom), 2D = mono. */
  stereo: StereoFilter;
  fav: boolean;
  unwatched: boolean;
  /** 0 = any; else 1..5 (at least that many stars). */
  minRating: number;
  script: ScriptFilter;
}

/** What the rule reads of a video: the browser's CompactVideo and viewItemOf(Video) both fit. */
export interface ViewItem {
  id: string;
  title: string;
  added: string;
  bytes: number;
  durationMs: number;
  kind: string;
  stereo: string;
  favorite: boolean;
  rating: number;
  watched: boolean;
  lastPlayedAt: string | null;
  /** Has a funscript file. */
  scripted: boolean;
  /** Average speed of its funscript (pos units/s), 0 while unread, broken or absent. */
  scriptSpeed: number;
}

/** The fields of a Video the rule reads (the browser's library JSON carries the same, see api/web.ts). */
export function viewItemOf(v: Video): ViewItem {
  return {
    id: v.id,
    title: v.title,
    added: v.addedAt,
    bytes: v.bytes,
    durationMs: v.durationMs,
    kind: v.projection.kind,
    stereo: v.projection.stereo,
    favorite: v.user.favorite,
    rating: v.user.rating,
    watched: v.user.watched,
    lastPlayedAt: v.user.lastPlayedAt,
    scripted: v.scripts.length > 0,
    scriptSpeed: v.script?.ok ? v.script.avgSpeed : 0,
  };
}

export const SORTS: ReadonlyArray<{ key: SortKey; label: string; defaultDir: SortDir }> = [
  { key: 'added', label: 'Date added', defaultDir: 'desc' },
  { key: 'name', label: 'Name', defaultDir: 'asc' },
  { key: 'size', label: 'Size', defaultDir: 'desc' },
  { key: 'duration', label: 'Duration', defaultDir: 'desc' },
  { key: 'rating', label: 'Rating', defaultDir: 'desc' },
  { key: 'played', label: 'Last played', defaultDir: 'desc' },
  { key: 'intensity', label: 'Script intensity', defaultDir: 'desc' },
];

export const KINDS: ReadonlyArray<{ key: KindFilter; label: string }> = [
  { key: 'all', label: 'All projections' },
  { key: '180', label: '180°' },
  { key: '360', label: '360°' },
  { key: 'fisheye', label: 'Fisheye' },
  { key: 'flat', label: 'Flat' },
];

export const STEREOS: ReadonlyArray<{ key: StereoFilter; label: string }> = [
  { key: 'all', label: '3D & 2D' },
  { key: '3d', label: '3D (stereo)' },
  { key: '2d', label: '2D (mono)' },
];

const levelFrom = (key: string): number => INTENSITY_LEVELS.find((l) => l.key === key)?.from ?? 0;

export const SCRIPTS: ReadonlyArray<{ key: ScriptFilter; label: string }> = [
  { key: 'all', label: 'Scripted or not' },
  { key: 'scripted', label: 'Scripted' },
  { key: 'unscripted', label: 'No script' },
  { key: 'medium', label: `Script ≥ medium` },
  { key: 'high', label: `Script ≥ high` },
  { key: 'extreme', label: `Script: extreme` },
];

const SCRIPT_MATCH: Record<ScriptFilter, (v: ViewItem) => boolean> = {
  all: () => true,
  scripted: (v) => v.scripted,
  unscripted: (v) => !v.scripted,
  medium: (v) => v.scriptSpeed > 0 && v.scriptSpeed >= levelFrom('medium'),
  high: (v) => v.scriptSpeed > 0 && v.scriptSpeed >= levelFrom('high'),
  extreme: (v) => v.scriptSpeed > 0 && v.scriptSpeed >= levelFrom('extreme'),
};

const STEREO_MATCH: Record<StereoFilter, (stereo: string) => boolean> = {
  all: () => true,
  '3d': (s) => s !== 'mono',
  '2d': (s) => s === 'mono',
};

/** Which model kinds each filter choice admits (cubemaps are 360° content). */
const KIND_MATCH: Record<KindFilter, ReadonlySet<string> | null> = {
  all: null,
  '180': new Set(['180']),
  '360': new Set(['360', 'cubemap']),
  fisheye: new Set(['fisheye']),
  flat: new Set(['flat']),
};

export const DEFAULT_VIEW: Readonly<ViewState> = Object.freeze({
  sort: 'added',
  dir: 'desc',
  q: '',
  kind: 'all',
  stereo: 'all',
  fav: false,
  unwatched: false,
  minRating: 0,
  script: 'all',
});

/** Longest search text a view keeps. */
export const MAX_QUERY_TEXT = 200;

export const isSort = (s: string | null): s is SortKey => SORTS.some((x) => x.key === s);
export const isDir = (s: string | null): s is SortDir => s === 'asc' || s === 'desc';
const isKind = (s: string | null): s is KindFilter => KINDS.some((x) => x.key === s);
const isStereo = (s: string | null): s is StereoFilter => STEREOS.some((x) => x.key === s);
const isScript = (s: string | null): s is ScriptFilter => SCRIPTS.some((x) => x.key === s);

export function defaultDir(sort: SortKey): SortDir {
  return SORTS.find((s) => s.key === sort)?.defaultDir ?? 'desc';
}

export type SortPref = Pick<ViewState, 'sort' | 'dir'>;

/**
 * The view from a query string, lenient (a hand-edited URL never breaks the page). Per key the
 * URL wins over the stored sort, which wins over the default; filters live only in the URL.
 */
export function parseView(search: string, stored: SortPref | null): ViewState {
  const p = new URLSearchParams(search);
  const sortQ = p.get('sort');
  const sort: SortKey = isSort(sortQ) ? sortQ : (stored?.sort ?? DEFAULT_VIEW.sort);
  const dirQ = p.get('dir');
  const dir: SortDir = isDir(dirQ)
    ? dirQ
    : !isSort(sortQ) && stored
      ? stored.dir
      : defaultDir(sort);
  const kindQ = p.get('kind');
  const stereoQ = p.get('stereo');
  const scriptQ = p.get('script');
  const minQ = Number(p.get('minRating'));
  return {
    sort,
    dir,
    q: (p.get('q') ?? '').slice(0, MAX_QUERY_TEXT),
    kind: isKind(kindQ) ? kindQ : 'all',
    stereo: isStereo(stereoQ) ? stereoQ : 'all',
    fav: p.get('fav') === '1',
    unwatched: p.get('unwatched') === '1',
    minRating: Number.isFinite(minQ) ? Math.max(0, Math.min(5, Math.round(minQ))) : 0,
    script: isScript(scriptQ) ? scriptQ : 'all',
  };
}

/** Stable codes of a view query refused by parseViewStrict (what a saved view must not hold). */
export type ViewQueryProblem = 'unknown-key' | 'bad-value' | 'repeated-key' | 'too-long';

/** Each key a view query may hold and the values it accepts (the toolbar's choices, nothing else). */
const STRICT_KEYS: Record<string, (v: string) => boolean> = {
  sort: isSort,
  dir: isDir,
  q: (v) => v.length <= MAX_QUERY_TEXT,
  kind: isKind,
  stereo: isStereo,
  fav: (v) => v === '0' || v === '1',
  unwatched: (v) => v === '0' || v === '1',
  minRating: (v) => /^[0-5]$/.test(v),
  script: isScript,
};

/**
 * A view query as something to keep (a saved view): every key known, every value one of the
 * toolbar's choices, else a problem naming the key, so a saved view never silently means
 * something other than what the user saw. Missing keys take the defaults.
 */
export function parseViewStrict(search: string): { view: ViewState } | { problem: ViewQueryProblem; key: string; message: string } {
  if (search.length > 2000) return { problem: 'too-long', key: '', message: 'The view is too long to save.' };
  const p = new URLSearchParams(search);
  const seen = new Set<string>();
  for (const [key, value] of p) {
    const ok = STRICT_KEYS[key];
    if (!ok) return { problem: 'unknown-key', key, message: `Unknown view setting "${key.slice(0, 40)}".` };
    if (seen.has(key)) return { problem: 'repeated-key', key, message: `The view setting "${key}" appears twice.` };
    seen.add(key);
    if (!ok(value)) return { problem: 'bad-value', key, message: `"${value.slice(0, 40)}" is not a valid value for the view setting "${key}".` };
  }
  return { view: parseView(search, null) };
}

/** Query string (with "?") reproducing the view; sort is always written so a link is exact. */
export function viewToQuery(v: ViewState): string {
  const p = new URLSearchParams();
  p.set('sort', v.sort);
  p.set('dir', v.dir);
  if (v.q.trim()) p.set('q', v.q.trim());
  if (v.kind !== 'all') p.set('kind', v.kind);
  if (v.stereo !== 'all') p.set('stereo', v.stereo);
  if (v.fav) p.set('fav', '1');
  if (v.unwatched) p.set('unwatched', '1');
  if (v.minRating > 0) p.set('minRating', String(v.minRating));
  if (v.script !== 'all') p.set('script', v.script);
  return `?${p.toString()}`;
}

export function isFiltered(v: ViewState): boolean {
  return v.q.trim() !== '' || v.kind !== 'all' || v.stereo !== 'all' || v.fav || v.unwatched || v.minRating > 0 || v.script !== 'all';
}

/** Lower-case, accents and separators folded, so "Café_Beach" matches "cafe beach". */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[._\-\s]+/g, ' ')
    .trim();
}

/** Precomputed per-library keys; rebuild when the video list itself changes. */
export interface LibraryIndex<T extends ViewItem = ViewItem> {
  videos: T[];
  nameRank: Int32Array;
  /** Inverse of nameRank: the video index at each name rank. */
  byName: Int32Array;
  addedMs: Float64Array;
  haystack: string[];
}

// A fixed locale, not the runtime's default: the server (saved views in the players) and the
// browser must order names identically whatever language either is set to.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function buildIndex<T extends ViewItem>(videos: T[]): LibraryIndex<T> {
  const n = videos.length;
  const byName = Array.from({ length: n }, (_, i) => i);
  const titles = videos.map((v) => v.title);
  byName.sort((a, b) => collator.compare(titles[a]!, titles[b]!) || (videos[a]!.id < videos[b]!.id ? -1 : 1));
  const nameRank = new Int32Array(n);
  byName.forEach((vi, rank) => (nameRank[vi] = rank));
  const addedMs = new Float64Array(n);
  videos.forEach((v, i) => (addedMs[i] = Date.parse(v.added) || 0));
  return { videos, nameRank, byName: Int32Array.from(byName), addedMs, haystack: titles.map(normalizeText) };
}

/** Primary key per video; NaN = unknown/none, which sorts last in both directions. */
const KEY: Record<SortKey, (ix: LibraryIndex, i: number) => number> = {
  name: (ix, i) => ix.nameRank[i]!,
  added: (ix, i) => ix.addedMs[i]!,
  size: (ix, i) => ix.videos[i]!.bytes,
  duration: (ix, i) => ix.videos[i]!.durationMs || NaN,
  rating: (ix, i) => ix.videos[i]!.rating || NaN,
  played: (ix, i) => {
    const p = ix.videos[i]!.lastPlayedAt;
    return p ? Date.parse(p) || NaN : NaN;
  },
  intensity: (ix, i) => ix.videos[i]!.scriptSpeed || NaN,
};

export function matches(ix: LibraryIndex, i: number, v: ViewState, words: readonly string[]): boolean {
  const video = ix.videos[i]!;
  const kinds = KIND_MATCH[v.kind];
  if (kinds && !kinds.has(video.kind)) return false;
  if (!STEREO_MATCH[v.stereo](video.stereo)) return false;
  if (v.fav && !video.favorite) return false;
  if (v.unwatched && video.watched) return false;
  if (v.minRating > 0 && video.rating < v.minRating) return false;
  if (!SCRIPT_MATCH[v.script](video)) return false;
  const hay = ix.haystack[i]!;
  for (const w of words) if (!hay.includes(w)) return false;
  return true;
}

/**
 * The visible list: filter then sort, ties broken by name so the order is total. No comparator
 * callbacks: each video gets one integer (dense rank of its key × N + its name rank) and a
 * native typed-array sort orders them, a few ms for 10,000 videos.
 */
export function applyView<T extends ViewItem>(ix: LibraryIndex<T>, v: ViewState): T[] {
  const words = normalizeText(v.q).split(' ').filter(Boolean);
  const keyOf = KEY[v.sort];
  const known: number[] = [];
  const knownKeys: number[] = [];
  const unknownRanks: number[] = [];
  for (let i = 0; i < ix.videos.length; i++) {
    if (!matches(ix, i, v, words)) continue;
    const k = keyOf(ix, i);
    if (k !== k) unknownRanks.push(ix.nameRank[i]!);
    else {
      known.push(i);
      knownKeys.push(k);
    }
  }
  const distinct = Float64Array.from(knownKeys).sort();
  let d = 0;
  for (let j = 0; j < distinct.length; j++) if (j === 0 || distinct[j] !== distinct[d - 1]) distinct[d++] = distinct[j]!;
  const n = ix.videos.length;
  const asc = v.dir === 'asc';
  const composite = new Float64Array(known.length);
  for (let j = 0; j < known.length; j++) {
    const r = denseRank(distinct, d, knownKeys[j]!);
    composite[j] = (asc ? r : d - 1 - r) * n + ix.nameRank[known[j]!]!;
  }
  composite.sort();
  const out: T[] = new Array(known.length + unknownRanks.length);
  let o = 0;
  for (const c of composite) out[o++] = ix.videos[ix.byName[c % n]!]!;
  for (const r of Int32Array.from(unknownRanks).sort()) out[o++] = ix.videos[ix.byName[r]!]!;
  return out;
}

/** Position of `k` among the first `d` (sorted, distinct) values. */
function denseRank(sorted: Float64Array, d: number, k: number): number {
  let lo = 0;
  let hi = d - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
