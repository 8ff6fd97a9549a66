// What a file in a torrent is, judged from its name alone: the extension tables, sample
// detection, the "Part 2 before Part 10" order and the language of a sidecar subtitle.
// RD paths always use '/', so no node:path here (and no I/O at all).
import type { FileKind } from './model.ts';

export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.mp4', '.mkv', '.avi', '.mov', '.wmv', '.flv', '.webm', '.mpeg', '.mpg', '.m4v', '.ts',
  '.m2ts', '.vob', '.mts', '.3gp', '.rmvb', '.mxf', '.divx', '.f4v', '.ogv', '.qt', '.m2v',
  '.asf', '.rm', '.mk3d', '.ogm', '.mp4v', '.h264', '.hevc', '.wtv', '.dv',
]);

/** Text subtitles a player can load. `.sub` is left out: it needs its `.idx` twin (VobSub). */
export const SUBTITLE_EXTENSIONS: ReadonlySet<string> = new Set(['.srt', '.ass', '.ssa', '.vtt']);

export const SCRIPT_EXTENSIONS: ReadonlySet<string> = new Set(['.funscript']);

export const ARCHIVE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.rar', '.zip', '.7z', '.tar', '.gz', '.tgz', '.bz2', '.xz', '.zst', '.cab', '.iso',
]);

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg', '.jpeg', '.png', '.gif', '.webp', '.bmp', '.tif', '.tiff', '.heic', '.avif',
]);

/** Split-archive volumes: `.r00`..`.r99`, `.001`.., `.z01`... */
const SPLIT_ARCHIVE = /\.(?:r\d{2,3}|\d{3}|z\d{2})$/i;

const KIND_BY_EXTENSION: ReadonlyMap<string, FileKind> = new Map<string, FileKind>([
  ...[...VIDEO_EXTENSIONS].map((e) => [e, 'video'] as const),
  ...[...SUBTITLE_EXTENSIONS].map((e) => [e, 'subtitle'] as const),
  ...[...SCRIPT_EXTENSIONS].map((e) => [e, 'script'] as const),
  ...[...ARCHIVE_EXTENSIONS].map((e) => [e, 'archive'] as const),
  ...[...IMAGE_EXTENSIONS].map((e) => [e, 'image'] as const),
]);

/** Last path segment. RD paths always use '/'. */
export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Lower-cased extension with its dot (".mp4"), or "" when there is none. */
export function extension(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot <= slash + 1 ? '' : path.slice(dot).toLowerCase();
}

export function fileKind(path: string): FileKind {
  return kindOfExtension(extension(path), path);
}

/** fileKind when the caller already has the extension. */
export function kindOfExtension(ext: string, path: string): FileKind {
  const kind = KIND_BY_EXTENSION.get(ext);
  if (kind) return kind;
  return ext !== '' && SPLIT_ARCHIVE.test(path) ? 'archive' : 'other';
}

export function isVideoName(path: string): boolean {
  return VIDEO_EXTENSIONS.has(extension(path));
}

const SAMPLE_TOKEN = /(?:^|[^a-z0-9])samples?(?:[^a-z0-9]|$)/i;
/** A sample is at most this fraction of the largest video next to it. */
const SAMPLE_MAX_FRACTION = 0.2;

/**
 * A preview clip shipped with the release (scene rules put it in a `Sample/` folder; P2P packs
 * name it "movie-sample.mkv"): anything in a `Sample/` folder smaller than the largest video, or
 * "sample" as a word in the name of a much smaller file. A film called "The Sample" is never
 * dropped, nor is the only (largest) video of a torrent.
 */
export function isSample(path: string, bytes: number, siblingsMaxBytes: number): boolean {
  if (!(siblingsMaxBytes > 0) || !(bytes < siblingsMaxBytes)) return false;
  const p = path.startsWith('/') ? path.slice(1) : path;
  const slash = p.lastIndexOf('/');
  const folders = slash < 0 ? '' : p.slice(0, slash);
  if (/(?:^|\/)samples?(?:\/|$)/i.test(folders)) return true;
  const stem = basename(p).replace(/\.[^.]*$/, '');
  return bytes <= siblingsMaxBytes * SAMPLE_MAX_FRACTION && SAMPLE_TOKEN.test(stem);
}

const CHUNK = /(\d+)|(\D+)/g;

function chunks(s: string): string[] {
  return s.toLowerCase().match(CHUNK) ?? [];
}

/** Natural order: "Part 2" < "Part 10", case-insensitive; deterministic tie-break. */
export function naturalCompare(a: string, b: string): number {
  const ca = chunks(a);
  const cb = chunks(b);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    if (x === y) continue;
    const xd = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yd = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (xd && yd) {
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      if (x.length !== y.length) return x.length - y.length; // "1" before "01"
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- subtitle languages -------------------------------------------------------------------

/** [code returned, names and codes that mean it]. Ambiguous short words are left out. */
const LANGUAGES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['en', ['en', 'eng', 'english']],
  ['fr', ['fr', 'fre', 'fra', 'french', 'francais', 'français']],
  ['de', ['de', 'ger', 'deu', 'german', 'deutsch']],
  ['es', ['es', 'spa', 'spanish', 'espanol', 'español', 'castellano', 'castilian']],
  ['es-419', ['latino', 'latam']],
  ['it', ['it', 'ita', 'italian', 'italiano']],
  ['pt', ['pt', 'por', 'portuguese', 'portugues', 'português']],
  ['pt-BR', ['pob', 'brazilian', 'brazil', 'ptbr']],
  ['nl', ['nl', 'dut', 'nld', 'dutch', 'nederlands']],
  ['sv', ['sv', 'swe', 'swedish', 'svenska']],
  ['no', ['no', 'nor', 'nob', 'norwegian', 'norsk']],
  ['da', ['da', 'dan', 'danish', 'dansk']],
  ['fi', ['fi', 'fin', 'finnish', 'suomi']],
  ['pl', ['pl', 'pol', 'polish', 'polski']],
  ['cs', ['cs', 'cze', 'ces', 'czech']],
  ['sk', ['sk', 'slk', 'slo', 'slovak']],
  ['hu', ['hu', 'hun', 'hungarian', 'magyar']],
  ['ro', ['ro', 'rum', 'ron', 'romanian']],
  ['bg', ['bg', 'bul', 'bulgarian']],
  ['hr', ['hr', 'hrv', 'croatian']],
  ['sr', ['sr', 'srp', 'serbian']],
  ['sl', ['sl', 'slv', 'slovenian', 'slovene']],
  ['el', ['el', 'gre', 'ell', 'greek']],
  ['tr', ['tr', 'tur', 'turkish']],
  ['ru', ['ru', 'rus', 'russian']],
  ['uk', ['uk', 'ukr', 'ukrainian']],
  ['et', ['et', 'est', 'estonian']],
  ['lv', ['lv', 'lav', 'latvian']],
  ['lt', ['lt', 'lit', 'lithuanian']],
  ['ar', ['ar', 'ara', 'arabic']],
  ['he', ['he', 'heb', 'hebrew']],
  ['fa', ['fa', 'persian', 'farsi']],
  ['hi', ['hin', 'hindi']],
  ['bn', ['bn', 'ben', 'bengali']],
  ['ta', ['ta', 'tamil']],
  ['th', ['th', 'tha', 'thai']],
  ['vi', ['vi', 'vie', 'vietnamese']],
  ['id', ['id', 'ind', 'indonesian']],
  ['ms', ['ms', 'malay']],
  ['ja', ['ja', 'jp', 'jpn', 'japanese']],
  ['ko', ['ko', 'kor', 'korean']],
  ['zh', ['zh', 'chi', 'zho', 'chinese', 'mandarin']],
  ['zh-Hans', ['chs', 'sc', 'simplified']],
  ['zh-Hant', ['cht', 'tc', 'traditional']],
  ['ca', ['catalan']],
  ['eu', ['basque']],
  ['gl', ['galician']],
  ['is', ['icelandic']],
  ['tl', ['tagalog', 'filipino']],
];

const LANGUAGE_BY_TOKEN: ReadonlyMap<string, string> = new Map(
  LANGUAGES.flatMap(([code, names]) => names.map((n) => [n, code] as const)),
);
/** Codes allowed before a region ("pt-BR", "es-419", "zh-Hant"). */
const REGION_BASES: ReadonlySet<string> = new Set(
  LANGUAGES.map(([code]) => code).filter((c) => !c.includes('-')),
);
/** Flags after the language: "Movie.en.forced.srt", "Movie.English.SDH.srt". */
const SUBTITLE_FLAGS: ReadonlySet<string> = new Set([
  'forced', 'sdh', 'cc', 'hi', 'full', 'default', 'signs', 'songs', 'dialogue', 'commentary',
]);
const REGION_CODE = /^([a-z]{2,3})[-_]([a-z]{2}|[a-z]{4}|\d{3})$/i;
const SUBTITLE_SEPARATORS = /[.\s[\]()]+/;
const PART_SEPARATORS = /[-_]+/;

function languageOf(token: string): string | null {
  const direct = LANGUAGE_BY_TOKEN.get(token.toLowerCase());
  if (direct) return direct;
  const m = REGION_CODE.exec(token);
  if (!m) return null;
  const base = LANGUAGE_BY_TOKEN.get((m[1] as string).toLowerCase());
  if (!base || !REGION_BASES.has(base)) return null;
  const region = m[2] as string;
  const r = region.length === 4 ? region.charAt(0).toUpperCase() + region.slice(1).toLowerCase() : region.toUpperCase();
  return `${base}-${r}`;
}

/** A token such as "en", "pt-BR", "2_English" or "English-SDH": its last non-flag part. */
function languageOfToken(token: string): string | null {
  const whole = languageOf(token);
  if (whole) return whole;
  const parts = token.split(PART_SEPARATORS);
  for (let j = parts.length - 1; j >= 0; j--) {
    const p = parts[j] as string;
    if (p === '' || SUBTITLE_FLAGS.has(p.toLowerCase())) continue;
    return languageOf(p);
  }
  return null;
}

/**
 * Language code of a sidecar subtitle from the end of its name: "Movie.en.srt" -> "en",
 * "Movie.English.srt" -> "en", "movie.pt-BR.srt" -> "pt-BR", "2_English.srt" -> "en",
 * "Movie.en.forced.srt" -> "en", "movie.srt" -> null. Only the last token counts (after
 * skipping flags like "forced"/"SDH"), so a title word such as "It" in "It.2017.srt" never
 * becomes Italian. "hi" after a language is "hearing impaired"; alone it is Hindi.
 */
export function subtitleLanguage(fileName: string): string | null {
  const stem = basename(fileName).replace(/\.[^.]*$/, '');
  const tokens = stem.split(SUBTITLE_SEPARATORS).filter((t) => t.length > 0);
  let sawHi = false;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i] as string;
    const lower = token.toLowerCase();
    if (SUBTITLE_FLAGS.has(lower)) {
      if (lower === 'hi') sawHi = true;
      continue;
    }
    return languageOfToken(token) ?? (sawHi ? 'hi' : null);
  }
  return null;
}
