// Human titles from release names: "Movie.2019.1080p.BluRay.x264-GRP.mkv" -> "Movie 2019"
// with the noise kept as release tags ["1080p", "BluRay", "H.264", "GRP"]. The ancestor only
// swapped dots for spaces and kept extensions and junk (debrid-scout.md §3.3, §10.1 item 13).
// One table of noise patterns, compiled once into a single regex (50,000 names at start-up).
// Years, episode codes (S02E05) and dates stay in the title.
import { extension, kindOfExtension } from './files.ts';
import { FLAT_EVIDENCE, PROJECTION_MARKERS, guessProjection, rowsOfToken, tokenize } from './projection.ts';

interface NoiseRow {
  /** Regex source without capturing groups; matched as a whole token, case-insensitive. */
  re: string;
  /** Normalised release tag(s); '' = drop silently; a function gets the matched text (null: not noise after all). */
  tag: string | ((matched: string) => string | readonly string[] | null);
  /** Keep it as a title word where the projection reader does (first word, before the year: "360 (2011)", "Piranha 3D 2010"). */
  keepFirst?: boolean;
  /** Noise only when written in capitals: "WEB" is a source, "Charlotte's Web" a title. */
  upperOnly?: boolean;
}

const CH = '(?:[ .]?[1-9][ .][0-2])?'; // audio channels after a codec: "DDP5.1", "DTS-HD.MA.5.1"
const upper = (s: string): string => s.toUpperCase();
const lower = (s: string): string => s.toLowerCase();

/** Tags of the projection rows a (possibly glued) marker token stands for; null when none. */
function markerTags(matched: string): string[] | null {
  const rows = rowsOfToken(matched.toLowerCase().replace(/[ ._-]/g, ''));
  const tags = rows.flatMap((r) => (r.tag === undefined ? [] : [r.tag]));
  return tags.length > 0 ? tags : null;
}

/** Every single marker token, longest first, for the glued-markers row ("180mono", "VR180LR"). */
const MARKER_WORDS = [...new Set(PROJECTION_MARKERS.flatMap((r) => r.tokens.filter((t) => !t.includes('-'))))]
  .sort((a, b) => b.length - a.length)
  .map(escapeRegex)
  .concat('fisheye\\d{3}', 'f\\d{3}', '\\d{3}f');
const MARKER_WORD = `(?:${MARKER_WORDS.join('|')})`;

/** Order matters where two rows start at the same place: longer forms first. */
const NOISE: ReadonlyArray<NoiseRow> = [
  // Colour standards first: "BT.2020" is not the BT (bottom-top) marker.
  { re: '(?:bt|rec)[ .]?(?:601|709|2020|2100)', tag: (m) => `${/^rec/i.test(m) ? 'Rec' : 'BT'}.${m.replace(/\D/g, '')}` },
  // A lens word with its FOV ("FISHEYE_200", "Fisheye 220") is one marker.
  { re: 'fisheye[-. _]?\\d{3}', tag: (m) => markerTags(m) },
  // VR markers and devices come from the projection table (one place for markers).
  ...PROJECTION_MARKERS.filter((r) => r.tag !== undefined).flatMap((r) =>
    r.tokens.map((t) => ({
      re: t.split('-').map(escapeRegex).join('[-. _/]?'),
      tag: r.tag as string,
      keepFirst: r.bare === true || t === '3d',
    })),
  ),
  { re: '(?:2160|4320)[pi]', tag: (m) => (m.startsWith('4320') ? '8K' : '4K') },
  { re: '4k(?:uhd)?|uhd', tag: '4K' },
  { re: '[5-8]k', tag: upper },
  { re: '1080[pi]|fhd', tag: '1080p' },
  { re: '720p', tag: '720p' },
  { re: '(?:360|480|540|576|1440|1600|1920|2048|2160|2700|2880|3072|3456|3840|4096|5760|6144|7680|8192)p', tag: lower },
  { re: '\\d{3,4}x\\d{3,4}', tag: lower },
  { re: 'x\\.?265|h\\.?265|hevc', tag: 'HEVC' },
  { re: 'x\\.?264|h\\.?264|avc', tag: 'H.264' },
  { re: 'av1', tag: 'AV1' },
  { re: 'vp9', tag: 'VP9' },
  { re: 'xvid', tag: 'XviD' },
  { re: 'divx', tag: 'DivX' },
  { re: 'blu-?ray|bd-?rip|br-?rip', tag: 'BluRay' },
  { re: 'bd-?remux|remux', tag: 'REMUX' },
  { re: 'web-?dl', tag: 'WEB-DL' },
  { re: 'web-?rip', tag: 'WEBRip' },
  { re: 'web', tag: 'WEB', upperOnly: true },
  { re: 'hdtv|pdtv', tag: 'HDTV' },
  { re: 'dvd-?rip', tag: 'DVDRip' },
  { re: 'dvd(?:scr|r|9|5)?', tag: 'DVD' },
  { re: 'hd-?rip', tag: 'HDRip' },
  { re: 'amzn|dsnp|hmax|atvp|pcok', tag: upper },
  { re: 'nf|hulu', tag: upper, upperOnly: true },
  { re: `dts-?hd(?:[ .]?ma)?${CH}`, tag: 'DTS-HD' },
  { re: `dts-?x${CH}`, tag: 'DTS-X' },
  { re: `dts${CH}`, tag: 'DTS' },
  { re: `true-?hd${CH}`, tag: 'TrueHD' },
  { re: `atmos${CH}`, tag: 'Atmos' },
  { re: `(?:ddp|dd\\+|e-?ac-?3)${CH}`, tag: 'DDP' },
  { re: `(?:dd|ac-?3)${CH}`, tag: 'DD' },
  { re: `aac${CH}`, tag: 'AAC' },
  { re: 'flac|mp3|opus|lpcm', tag: upper },
  { re: 'hdr10(?:\\+|plus)', tag: 'HDR10+' },
  { re: 'hdr10|hdr', tag: upper },
  { re: 'dovi|dolby[ .]?vision', tag: 'DV' },
  { re: 'dv', tag: 'DV', upperOnly: true },
  { re: 'hlg', tag: 'HLG' },
  { re: '(?:8|10|12)[ .-]?bits?|hi10p?', tag: (m) => (m.includes('12') ? '12bit' : m.startsWith('8') ? '8bit' : '10bit') },
  { re: '\\d{2,3}fps', tag: lower },
  { re: 'repack|rerip|readnfo|nfofix', tag: upper },
  { re: 'proper|internal|limited|dubbed|subbed|multi(?:subs?)?', tag: upper, upperOnly: true },
  { re: 'dual[-. ]?audio', tag: 'DUAL' },
  { re: 'xxx', tag: 'XXX' },
  { re: 'mp4|mkv|avi', tag: '' },
  // Site names outside brackets: only www-prefixed or .com/.net/.org ("I.Am.Legend" is no site).
  { re: 'www\\.[a-z0-9-]+\\.[a-z]{2,6}|[a-z0-9-]{3,}\\.(?:com|net|org)', tag: (m) => m },
  // Last: lens words with their FOV, and markers glued together, read by the projection table.
  { re: `fisheye[ ._-]?\\d{3}|f\\d{3}|\\d{3}f|${MARKER_WORD}{2,3}`, tag: markerTags, keepFirst: true },
];

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const WORD_CHAR = '0-9A-Za-z\\u00C0-\\uFFFF';
/** All rows in one pass; which row matched is looked up afterwards (see rowOf). */
const NOISE_RE = new RegExp(`(?<![${WORD_CHAR}])(?:${NOISE.map((r) => r.re).join('|')})(?![${WORD_CHAR}])`, 'gi');
const ROW_TESTS = NOISE.map((r) => new RegExp(`^(?:${r.re})$`, 'i'));
/** matched text (lower-case) -> row index; the same few hundred tokens recur across a library. */
const rowMemo = new Map<string, number>();
const ROW_MEMO_LIMIT = 10_000;
/** Index of the silent container row ("mp4"): the fallback if no row claims a match. */
const SILENT_ROW = NOISE.findIndex((r) => r.tag === '');

/** The first row that matches the whole text is the alternative the combined regex took. */
function rowOf(matched: string): NoiseRow {
  const key = matched.toLowerCase();
  let i = rowMemo.get(key);
  if (i === undefined) {
    i = ROW_TESTS.findIndex((re) => re.test(matched));
    if (i < 0) i = SILENT_ROW;
    if (rowMemo.size >= ROW_MEMO_LIMIT) rowMemo.clear();
    rowMemo.set(key, i);
  }
  return NOISE[i] as NoiseRow;
}
const BRACKETS = /\[([^\]]*)\]|\{([^}]*)\}|\(([^)]*)\)/g;
const CRC = /^[0-9a-f]{8}$/i;
const GROUP_SUFFIX = /^-([\p{L}\p{N}]{2,15})\s*$/u;
const DATE = /(?<!\d)(\d{4}|\d{2})[._ -](\d{2})[._ -](\d{2})(?!\d)|(?<!\d)(\d{2})[._ -](\d{2})[._ -](\d{4})(?!\d)/g;
const DOT = '\u0001';
const KNOWN_EXTRA_EXTENSIONS: ReadonlySet<string> = new Set(['.nfo', '.txt', '.torrent', '.part']);

interface Collected {
  tags: string[];
  seen: Set<string>;
}

function addTag(c: Collected, tag: string): void {
  const t = tag.trim();
  if (t === '' || c.seen.has(t.toLowerCase())) return;
  c.seen.add(t.toLowerCase());
  c.tags.push(t);
}

/** Removes noise tokens, collecting their tags. Returns the text with noise blanked out. */
function stripNoise(text: string, c: Collected, isFirst: (offset: number, matched: string) => boolean): string {
  let out = '';
  let last = 0;
  NOISE_RE.lastIndex = 0;
  for (let m = NOISE_RE.exec(text); m !== null; m = NOISE_RE.exec(text)) {
    const matched = m[0];
    const row = rowOf(matched);
    if ((row.keepFirst && isFirst(m.index, matched)) || (row.upperOnly && matched !== matched.toUpperCase())) continue;
    const tag = typeof row.tag === 'string' ? row.tag : row.tag(matched);
    if (tag === null) continue;
    for (const t of typeof tag === 'string' ? [tag] : tag) addTag(c, t);
    out += `${text.slice(last, m.index)} `;
    last = m.index + matched.length;
  }
  return last === 0 ? text : out + text.slice(last);
}

function onlySeparators(s: string): boolean {
  return /^[\s._\-+,|]*$/.test(s);
}

const JUNK = new Set([...' -–—:,+~|.\t'].map((ch) => ch.charCodeAt(0)));

/** Separators to single spaces, empty brackets and doubled dashes out, junk off both ends. */
function tidy(text: string): string {
  let s = text;
  if (s.includes('(') || s.includes('[') || s.includes('{')) s = s.replace(/\(\s*\)|\[\s*\]|\{\s*\}/g, ' ');
  // A "°" left behind by a stripped "180°" is no title text.
  if (s.includes('°')) s = s.replace(/(?<!\d)°/g, ' ');
  s = s.replace(/[\s._]+/g, ' ');
  if (s.includes(DOT)) s = s.replaceAll(DOT, '.');
  if (s.includes(' -') || s.includes(' –') || s.includes(' —')) s = s.replace(/(?: [-–—])+ /g, (m) => ` ${m.charAt(1)} `);
  let start = 0;
  let end = s.length;
  while (start < end && JUNK.has(s.charCodeAt(start))) start++;
  while (end > start && JUNK.has(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Bracket text kept as a tag: spaces collapsed, junk trimmed, dots kept ("YTS.MX"). */
function tidyTag(text: string): string {
  return tidy(text.replace(/\./g, DOT));
}

function stripExtension(name: string): string {
  const ext = extension(name);
  if (ext && (kindOfExtension(ext, name) !== 'other' || KNOWN_EXTRA_EXTENSIONS.has(ext))) return name.slice(0, -ext.length);
  return name;
}

/**
 * Brackets: noise-only groups become their tags, [Group]/[site] become a tag, CRCs vanish,
 * parentheses with real words ("(2019)", "(Extended)") stay in the title.
 */
function extractBrackets(stem: string, c: Collected): string {
  if (!/[[({]/.test(stem)) return stem;
  return stem.replace(BRACKETS, (whole: string, sq?: string, cu?: string, pa?: string) => {
    const content = (sq ?? cu ?? pa ?? '').trim();
    if (content === '') return ' ';
    const local: Collected = { tags: [], seen: new Set() };
    const rest = stripNoise(content, local, () => false);
    if (onlySeparators(rest)) {
      for (const t of local.tags) addTag(c, t);
      return ' ';
    }
    if (pa !== undefined) return whole;
    if (CRC.test(content)) return ' ';
    for (const t of local.tags) addTag(c, t);
    addTag(c, tidyTag(rest));
    return ' ';
  });
}

/** 2-digit scene years: 00-69 are 20xx, 70-99 are 19xx (no VR scene release predates 2000). */
function fullYear(y: string): string {
  return y.length === 4 ? y : `${Number(y) < 70 ? '20' : '19'}${y}`;
}

/**
 * Dates: the first valid one becomes the release date (always YYYY-MM-DD). A scene date right
 * after the studio word ("Studio.YY.MM.DD.Title", "Studio.YYYY.MM.DD.Title", the scene naming
 * rule for dated releases) leaves the title; other dates stay in it as YYYY-MM-DD, YY.MM.DD or
 * DD.MM.YYYY with their dots protected from the separator swap.
 */
function takeDates(s: string): { text: string; date: string | null } {
  if (!/\d\d[._ -]\d\d[._ -]\d\d/.test(s)) return { text: s, date: null };
  let date: string | null = null;
  const text = s.replace(DATE, (whole: string, y: string | undefined, mo: string | undefined, d: string | undefined, d2: string | undefined, mo2: string | undefined, y2: string | undefined, offset: number) => {
    const ymd = y !== undefined;
    const month = Number(ymd ? mo : mo2);
    const day = Number(ymd ? d : d2);
    if (month < 1 || month > 12 || day < 1 || day > 31) return whole;
    const first = date === null;
    if (first) date = ymd ? `${fullYear(y)}-${mo}-${d}` : `${y2}-${mo2}-${d2}`;
    if (first && ymd && /^[\p{L}\p{N}]+[._ -]$/u.test(s.slice(0, offset))) return ' ';
    if (ymd) return y.length === 4 ? `${y}-${mo}-${d}` : `${y}${DOT}${mo}${DOT}${d}`;
    return `${d2}${DOT}${mo2}${DOT}${y2}`;
  });
  return { text, date };
}

const YEAR_AT = /(?<![0-9A-Za-z])(?:19|20)\d\d(?![0-9A-Za-z])/g;
const MODIFIERS = /(?<![0-9A-Za-z])(mono|alpha|stereo)(?![0-9A-Za-z])/gi;
const HAS_MODIFIER = /(?<![0-9A-Za-z])(?:mono|alpha|stereo)(?![0-9A-Za-z])/i;

/**
 * Where a marker-looking word is a title word (the projection reader's rule): the first word, or
 * before the year when it stands right before it or the name is a film release (BluRay, WEB...).
 */
function titleRegion(s: string, firstWord: number): (offset: number, matched: string) => boolean {
  // Worked out on first use: most names have no marker-looking word at all.
  let yearAt: number | undefined;
  let film = false;
  return (offset, matched) => {
    if (offset <= firstWord) return true;
    if (yearAt === undefined) {
      yearAt = -1;
      YEAR_AT.lastIndex = 0;
      for (let m = YEAR_AT.exec(s); m !== null; m = YEAR_AT.exec(s)) {
        if (m.index > firstWord) {
          yearAt = m.index;
          break;
        }
      }
      film = yearAt > 0 && tokenize(s).some((t) => FLAT_EVIDENCE.has(t));
    }
    return yearAt > offset && (film || /^[\s._()[\]-]*$/.test(s.slice(offset + matched.length, yearAt)));
  };
}

/**
 * The "-GROUP" suffix of scene names. A group follows noise ("x264-GRP", by now " -GRP") or
 * a number ("Vol.3-GRP"), never a word ("Spider-Man", "X-Men").
 */
function extractGroup(s: string, c: Collected): string {
  const dash = s.lastIndexOf('-');
  const g = dash > 0 ? GROUP_SUFFIX.exec(s.slice(dash)) : null;
  if (!g || !/\p{L}/u.test(g[1] as string)) return s;
  const before = s.slice(0, dash);
  const lastToken = /[\p{L}\p{N}]+$/u.exec(before)?.[0];
  if (lastToken !== undefined && !/^\d+$/.test(lastToken)) return s;
  addTag(c, g[1] as string);
  return before;
}

export interface CleanTitle {
  title: string;
  releaseTags: string[];
  /** A date in the name (scene "Studio.YY.MM.DD", daily shows), as YYYY-MM-DD; null when none. */
  dateReleased: string | null;
}

export function cleanTitle(name: string): CleanTitle {
  const raw = (typeof name === 'string' ? name : '').trim();
  const stem = stripExtension(raw);
  const c: Collected = { tags: [], seen: new Set() };
  const dated = takeDates(extractBrackets(stem, c));
  let s = dated.text;
  const firstWord = /[\p{L}\p{N}]/u.exec(s)?.index ?? 0;
  s = stripNoise(s, c, titleRegion(s, firstWord));
  // In a VR name, "mono"/"alpha"/"stereo" are markers, not words ("Scene_180_MONO", "..._alpha").
  if (HAS_MODIFIER.test(s) && guessProjection([raw]).kind !== 'flat') {
    s = s.replace(MODIFIERS, (word: string, _w: string, offset: number) => {
      if (offset <= firstWord) return word;
      addTag(c, word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
      return ' ';
    });
  }
  s = extractGroup(s, c);
  const title = tidy(s) || tidy(stem.replace(/[[\]{}()]/g, ' ')) || raw || 'Untitled';
  return { title, releaseTags: c.tags, dateReleased: dated.date };
}
