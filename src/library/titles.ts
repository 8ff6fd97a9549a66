// Human titles from release names: "Movie.2019.1080p.BluRay.x264-GRP.mkv" -> "Movie 2019"
// with the noise kept as release tags ["1080p", "BluRay", "H.264", "GRP"]. The ancestor only
// swapped dots for spaces and kept extensions and junk (debrid-scout.md §3.3, §10.1 item 13).
// One table of noise patterns, compiled once into a single regex (50,000 names at start-up).
// Years, episode codes (S02E05) and dates stay in the title.
import { extension, fileKind } from './files.ts';
import { PROJECTION_MARKERS } from './projection.ts';

interface NoiseRow {
  /** Regex source without capturing groups; matched as a whole token, case-insensitive. */
  re: string;
  /** Normalised release tag; '' = drop silently; a function gets the matched text. */
  tag: string | ((matched: string) => string);
  /** Keep it when it is the first word (a film called "360", "3D Printing"...). */
  keepFirst?: boolean;
  /** Noise only when written in capitals: "WEB" is a source, "Charlotte's Web" a title. */
  upperOnly?: boolean;
}

const CH = '(?:[ .]?[1-9][ .][0-2])?'; // audio channels after a codec: "DDP5.1", "DTS-HD.MA.5.1"
const upper = (s: string): string => s.toUpperCase();
const lower = (s: string): string => s.toLowerCase();

/** Order matters where two rows start at the same place: longer forms first. */
const NOISE: ReadonlyArray<NoiseRow> = [
  // VR markers and devices come from the projection table (one place for markers).
  ...PROJECTION_MARKERS.filter((r) => r.tag !== undefined).flatMap((r) =>
    r.tokens.map((t) => ({
      re: t.split('-').map(escapeRegex).join('[-. _]?'),
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
];

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NOISE_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${NOISE.map((r) => `(${r.re})`).join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);
const BRACKETS = /\[([^\]]*)\]|\{([^}]*)\}|\(([^)]*)\)/g;
const CRC = /^[0-9a-f]{8}$/i;
const GROUP_SUFFIX = /-([\p{L}\p{N}]{2,15})\s*$/u;
const DATE = /(?<!\d)(\d{4}|\d{2})[._ -](\d{2})[._ -](\d{2})(?!\d)|(?<!\d)(\d{2})[._ -](\d{2})[._ -](\d{4})(?!\d)/g;
const DOT = '\u0001';
const LEADING_JUNK = /^[\s\-–—:,+~|.]+/;
const TRAILING_JUNK = /[\s\-–—:,+~|.]+$/;
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
function stripNoise(text: string, c: Collected, isFirst: (offset: number) => boolean): string {
  return text.replace(NOISE_RE, (...args: unknown[]) => {
    const matched = args[0] as string;
    const offset = args[NOISE.length + 1] as number;
    let index = 1;
    while (index <= NOISE.length && args[index] === undefined) index++;
    const row = NOISE[index - 1] as NoiseRow;
    if (row.keepFirst && isFirst(offset)) return matched;
    if (row.upperOnly && matched !== matched.toUpperCase()) return matched;
    addTag(c, typeof row.tag === 'string' ? row.tag : row.tag(matched));
    return ' ';
  });
}

function onlySeparators(s: string): boolean {
  return /^[\s._\-+,|]*$/.test(s);
}

function tidy(s: string): string {
  return s
    .replace(/[._]+/g, ' ')
    .replaceAll(DOT, '.')
    .replace(/\(\s*\)|\[\s*\]|\{\s*\}/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/(?:\s[-–—])+\s/g, (m) => ` ${m.trim().charAt(0)} `)
    .replace(LEADING_JUNK, '')
    .replace(TRAILING_JUNK, '')
    .trim();
}

function stripExtension(name: string): string {
  const ext = extension(name);
  if (ext && (fileKind(name) !== 'other' || KNOWN_EXTRA_EXTENSIONS.has(ext))) return name.slice(0, -ext.length);
  return name;
}

export function cleanTitle(name: string): { title: string; releaseTags: string[] } {
  const raw = (typeof name === 'string' ? name : '').trim();
  const stem = stripExtension(raw);
  const c: Collected = { tags: [], seen: new Set() };

  // 1. Brackets: noise-only groups become tags, [Group]/[site] become a tag, CRCs vanish,
  //    parentheses with real words ("(2019)", "(Extended)") stay in the title.
  let s = stem.replace(BRACKETS, (whole: string, sq?: string, cu?: string, pa?: string) => {
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
    addTag(c, rest.replace(/\s+/g, ' ').replace(LEADING_JUNK, '').replace(TRAILING_JUNK, ''));
    return ' ';
  });

  // 2. Dates keep their dots through the separator swap.
  s = s.replace(DATE, (whole: string, y?: string, mo?: string, d?: string, d2?: string, mo2?: string, y2?: string) => {
    const [a, b, cc] = y !== undefined ? [y, mo, d] : [d2, mo2, y2];
    const month = Number(y !== undefined ? mo : mo2);
    const day = Number(y !== undefined ? d : d2);
    if (month < 1 || month > 12 || day < 1 || day > 31) return whole;
    return y !== undefined && y.length === 4 ? `${a}-${b}-${cc}` : `${a}${DOT}${b}${DOT}${cc}`;
  });

  // 3. Release noise anywhere, then the "-GROUP" suffix of scene names.
  const firstWord = /[\p{L}\p{N}]/u.exec(s)?.index ?? 0;
  s = stripNoise(s, c, (offset) => offset <= firstWord);
  // A group follows noise ("x264-GRP", now " -GRP") or a number ("Vol.3-GRP"), never a
  // word ("Spider-Man", "X-Men").
  const g = GROUP_SUFFIX.exec(s);
  if (g && g.index > 0 && /\p{L}/u.test(g[1] as string)) {
    const before = s.slice(0, g.index);
    const lastToken = /[\p{L}\p{N}]+$/u.exec(before)?.[0];
    if (lastToken === undefined || /^\d+$/.test(lastToken)) {
      addTag(c, g[1] as string);
      s = before;
    }
  }

  let title = tidy(s);
  if (title === '') title = tidy(stem) || raw || 'Untitled';
  return { title, releaseTags: c.tags };
}
