// Realistic generated RD libraries for scale tests, benchmarks and the demo: VR scenes with the
// naming mess of real releases, flat movies and TV, singles and packs with junk. Deterministic per
// seed; a plain loop over small objects so 50,000 torrents build in well under a second.

import * as N from './names.ts';
import { alnumId, intBetween, mulberry32, pick } from './prng.ts';
import type { FakeFileSpec, FakeTorrentSpec } from './types.ts';

const TWO_YEARS = 2 * 365 * 24 * 3_600_000;
const GB = 1_000_000_000;
const MB = 1_000_000;

type Rand = () => number;

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 1..n words joined by `sep` (array join yields one flat string, cheap for the GC). */
function title(r: Rand, words: readonly string[], min: number, max: number, sep: string): string {
  const n = intBetween(r, min, max);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = pick(r, words);
  return out.join(sep);
}

/** One VR scene release name (with extension) in one of the common naming styles. */
function vrName(r: Rand, year: number): string {
  const studio = pick(r, N.STUDIOS);
  const first = pick(r, N.FIRST_NAMES);
  const last = pick(r, N.LAST_NAMES);
  const res = pick(r, N.VR_RESOLUTIONS);
  const proj = pick(r, N.VR_PROJECTIONS);
  const codec = pick(r, N.VR_CODECS);
  const ext = pick(r, N.VR_EXTS);
  const mm = two(intBetween(r, 1, 12));
  const dd = two(intBetween(r, 1, 28));
  switch (intBetween(r, 0, 5)) {
    case 0:
      return [studio, two(year % 100), mm, dd, first, last, title(r, N.TITLE_WORDS, 2, 4, '.'), res, proj, ext].join('.');
    case 1:
      return [`[${studio}]`, title(r, N.TITLE_WORDS, 2, 4, ' '), `(${year})`, res, proj.replace(/[._]/g, ' ') + '.' + ext].join(' ');
    case 2:
      return [studio, title(r, N.TITLE_WORDS, 2, 4, '_'), res, proj + '.' + ext].join('_');
    case 3:
      return [studio, title(r, N.TITLE_WORDS, 2, 4, ' '), `${first} ${last}`, `${res} ${proj}.${ext}`].join(' - ');
    case 4:
      return [studio, `${year}-${mm}-${dd}`, title(r, N.TITLE_WORDS, 2, 4, '.'), proj, codec ? `${res}.${codec}` : res, ext].join('.');
    default:
      return [title(r, N.TITLE_WORDS, 2, 4, '.'), year, res, proj, 'VR', ext].join('.');
  }
}

function vrBytes(r: Rand, name: string): number {
  const big = /8K|7K|5400p|4096p/.test(name);
  const mid = /6K|5K|2880p/.test(name);
  return big ? intBetween(r, 8 * GB, 20 * GB) : mid ? intBetween(r, 5 * GB, 12 * GB) : intBetween(r, 2 * GB, 8 * GB);
}

function movieBase(r: Rand): string {
  const y = intBetween(r, 1985, 2025);
  return [title(r, N.MOVIE_WORDS, 1, 3, '.'), y, pick(r, N.FLAT_RESOLUTIONS), pick(r, N.MOVIE_SOURCES), `${pick(r, N.FLAT_CODECS)}-${pick(r, N.GROUPS)}`].join('.');
}

function episodeBase(show: string, season: number, episode: number, tag: string): string {
  return `${show}.S${two(season)}E${two(episode)}.${tag}`;
}

function flatBytes(r: Rand, name: string): number {
  if (/2160p/.test(name)) return intBetween(r, 10 * GB, 40 * GB);
  if (/1080p/.test(name)) return intBetween(r, 2 * GB, 15 * GB);
  return intBetween(r, 300 * MB, 1_500 * MB);
}

function file(path: string, bytes: number, selected: boolean): FakeFileSpec {
  return { path, bytes, selected };
}

/** Selection habit of the tool that added the torrent: videos only (most), videos + subs, or all. */
function selector(r: Rand): (kind: 'video' | 'sub' | 'junk') => boolean {
  const roll = r();
  if (roll < 0.7) return (k) => k === 'video';
  if (roll < 0.9) return (k) => k !== 'junk';
  return () => true;
}

function single(r: Rand, year: number): { filename: string; files: FakeFileSpec[] } {
  const kind = r();
  let name: string;
  let bytes: number;
  if (kind < 0.6) {
    name = vrName(r, year);
    bytes = vrBytes(r, name);
  } else if (kind < 0.85) {
    name = `${movieBase(r)}.${pick(r, N.FLAT_EXTS)}`;
    bytes = flatBytes(r, name);
  } else {
    const tag = `${pick(r, N.FLAT_RESOLUTIONS)}.${pick(r, N.TV_SOURCES)}.${pick(r, N.FLAT_CODECS)}-${pick(r, N.GROUPS)}`;
    name = `${episodeBase(pick(r, N.SHOW_NAMES), intBetween(r, 1, 8), intBetween(r, 1, 12), tag)}.${pick(r, N.FLAT_EXTS)}`;
    bytes = flatBytes(r, name);
  }
  return { filename: name, files: [file(`/${name}`, bytes, true)] };
}

function pack(r: Rand, year: number): { filename: string; files: FakeFileSpec[] } {
  const sel = selector(r);
  const files: FakeFileSpec[] = [];
  const kind = r();
  let folder: string;
  if (kind < 0.55) {
    const studio = pick(r, N.STUDIOS);
    folder = r() < 0.5 ? `${studio} VR Collection Pack Vol ${intBetween(r, 1, 20)}` : `${studio}.Collection.${year}-${pick(r, N.GROUPS)}`;
    const n = intBetween(r, 2, 6);
    for (let i = 0; i < n; i++) {
      const name = vrName(r, year);
      files.push(file(`/${folder}/${name}`, vrBytes(r, name), sel('video')));
      if (r() < 0.4) files.push(file(`/${folder}/${name.replace(/\.[^.]+$/, '.srt')}`, intBetween(r, 30_000, 120_000), sel('sub')));
    }
    files.push(file(`/${folder}/cover.jpg`, intBetween(r, 100_000, 3 * MB), sel('junk')));
  } else if (kind < 0.8) {
    folder = movieBase(r);
    const ext = pick(r, N.FLAT_EXTS);
    files.push(file(`/${folder}/${folder}.${ext}`, flatBytes(r, folder), sel('video')));
    files.push(file(`/${folder}/Subs/English.srt`, intBetween(r, 40_000, 110_000), sel('sub')));
    if (r() < 0.5) files.push(file(`/${folder}/Subs/French.srt`, intBetween(r, 40_000, 110_000), sel('sub')));
    files.push(file(`/${folder}/Sample/sample-${folder}.${ext}`, intBetween(r, 20 * MB, 80 * MB), sel('junk')));
  } else {
    const show = pick(r, N.SHOW_NAMES);
    const season = intBetween(r, 1, 8);
    const tag = `${pick(r, N.FLAT_RESOLUTIONS)}.${pick(r, N.TV_SOURCES)}.${pick(r, N.FLAT_CODECS)}-${pick(r, N.GROUPS)}`;
    folder = `${show}.S${two(season)}.${tag}`;
    const n = intBetween(r, 4, 10);
    for (let e = 1; e <= n; e++) {
      const ep = episodeBase(show, season, e, tag);
      files.push(file(`/${folder}/${ep}.mkv`, flatBytes(r, tag), sel('video')));
    }
  }
  files.push(file(`/${folder}/${folder.split(/[ .]/)[0] ?? 'readme'}.nfo`, intBetween(r, 1_000, 8_000), sel('junk')));
  if (!files.some((f) => f.selected)) (files[0] as FakeFileSpec).selected = true;
  return { filename: folder, files };
}

/**
 * n downloaded torrents, newest first, `added` spread over the two years before `now`.
 * About 70% single-file; the rest packs with subtitles/nfo/jpg/sample files.
 */
export function generateLibrary(n: number, opts: { seed?: number; now?: number } = {}): FakeTorrentSpec[] {
  const r = mulberry32(opts.seed ?? 42);
  const now = opts.now ?? Date.now();
  const hashes = randomBytes(r, n * 20); // hex slices of one buffer: far cheaper than string building
  const idChars = Buffer.allocUnsafe(n * 13);
  for (let i = 0; i < idChars.length; i++) idChars[i] = ALNUM_CODES[Math.floor(r() * 36)] as number;
  const out: FakeTorrentSpec[] = new Array(n);
  const ids = new Set<string>();
  for (let i = 0; i < n; i++) {
    const addedMs = now - Math.floor(((i + 0.05 + r() * 0.9) / Math.max(n, 1)) * TWO_YEARS);
    const year = new Date(addedMs).getUTCFullYear();
    const body = r() < 0.7 ? single(r, year) : pack(r, year);
    let id = idChars.toString('latin1', i * 13, i * 13 + 13);
    while (ids.has(id)) id = alnumId(r);
    ids.add(id);
    out[i] = {
      id,
      hash: hashes.toString('hex', i * 20, i * 20 + 20),
      filename: body.filename,
      status: 'downloaded',
      added: new Date(addedMs).toISOString(),
      files: body.files,
    };
  }
  return out;
}

const ALNUM_CODES = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 'latin1');

function randomBytes(r: Rand, len: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.ceil(len / 4) * 4);
  for (let i = 0; i < buf.length; i += 4) buf.writeUInt32LE(Math.floor(r() * 4_294_967_296), i);
  return buf;
}
