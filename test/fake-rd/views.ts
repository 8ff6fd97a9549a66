// The JSON shapes RD sends (realdebrid.md §1.4, §5.2), built from the fake's state: which
// fields appear in which status is decided here and nowhere else.

import { posix } from 'node:path';
import { hashString } from './prng.ts';
import { LINK_PREFIX, hasLinks, type DownloadRec, type TorrentRec } from './state.ts';

const SPEED_STATUSES = new Set(['downloading', 'compressing', 'uploading']);
const SEEDER_STATUSES = new Set(['downloading', 'magnet_conversion']);
const FULL_PROGRESS = new Set(['downloaded', 'dead', 'compressing', 'uploading']);
export const ACTIVE_STATUSES = new Set([
  'magnet_conversion',
  'waiting_files_selection',
  'queued',
  'downloading',
  'compressing',
  'uploading',
]);

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function selectedBytes(rec: TorrentRec): number {
  const { status, files } = rec.spec;
  if (status === 'magnet_conversion') return 0;
  // before selection RD shows the whole torrent's size
  const counted = status === 'waiting_files_selection' ? files : files.filter((f) => f.selected !== false);
  return counted.reduce((s, f) => s + (f.bytes as number), 0);
}

function progressOf(rec: TorrentRec): number {
  const status = rec.spec.status;
  if (FULL_PROGRESS.has(status)) return 100;
  if (status === 'downloading') return 1 + (hashString(rec.spec.id) % 98);
  return 0;
}

/** Fields shared by the list item and the info body, in RD's key order up to `added`. */
function head(rec: TorrentRec): Record<string, unknown> {
  return {
    id: rec.spec.id,
    filename: rec.spec.filename,
    hash: rec.spec.hash,
    bytes: selectedBytes(rec),
    host: 'real-debrid.com',
    split: 2000,
    progress: progressOf(rec),
    status: rec.spec.status,
    added: rec.spec.added,
  };
}

function tail(rec: TorrentRec, out: Record<string, unknown>): Record<string, unknown> {
  const status = rec.spec.status;
  out.links = hasLinks(status) ? rec.links.map((l) => LINK_PREFIX + l.id) : [];
  if (status === 'downloaded' || status === 'dead') out.ended = iso(rec.endedMs);
  if (SPEED_STATUSES.has(status)) out.speed = 1_000_000 + (hashString(rec.spec.hash) % 90_000_000);
  if (SEEDER_STATUSES.has(status)) out.seeders = 1 + (hashString(rec.spec.hash) % 60);
  return out;
}

/** One item of GET /torrents (no files). */
export function torrentListItem(rec: TorrentRec): Record<string, unknown> {
  return tail(rec, head(rec));
}

/** GET /torrents/info/{id}. */
export function torrentInfo(rec: TorrentRec): Record<string, unknown> {
  const out = head(rec);
  const files = rec.spec.status === 'magnet_conversion' ? [] : rec.spec.files;
  const withOriginal: Record<string, unknown> = {
    id: out.id,
    filename: out.filename,
    original_filename: rec.spec.originalFilename ?? rec.spec.filename,
    hash: out.hash,
    bytes: out.bytes,
    original_bytes: files.reduce((s, f) => s + (f.bytes as number), 0),
    host: out.host,
    split: out.split,
    progress: out.progress,
    status: out.status,
    added: out.added,
    files: files.map((f, i) => ({ id: i + 1, path: f.path, bytes: f.bytes, selected: f.selected === false ? 0 : 1 })),
  };
  return tail(rec, withOriginal);
}

/** POST /unrestrict/link success body. */
export function unrestrictBody(dl: DownloadRec, download: string, streamable: 0 | 1): Record<string, unknown> {
  return {
    id: dl.id,
    filename: dl.filename,
    mimeType: dl.mimeType,
    filesize: dl.filesize,
    link: dl.link,
    host: 'real-debrid.com',
    chunks: 16,
    crc: 1,
    download,
    streamable,
  };
}

/** One item of GET /downloads. */
export function downloadItem(dl: DownloadRec, download: string, streamable: 0 | 1): Record<string, unknown> {
  return {
    id: dl.id,
    filename: dl.filename,
    mimeType: dl.mimeType,
    filesize: dl.filesize,
    link: dl.link,
    host: 'real-debrid.com',
    chunks: 16,
    download,
    streamable,
    generated: iso(dl.generatedMs),
  };
}

const RESOLUTIONS: Array<[RegExp, number, number]> = [
  [/\b8K\b|7680|8192/i, 8192, 4096],
  [/\b6K\b|5760/i, 5760, 2880],
  [/\b5K\b|5120/i, 5120, 2560],
  [/\b4K\b|2160p|3840/i, 3840, 1920],
  [/1080p/i, 1920, 1080],
  [/720p/i, 1280, 720],
];

/** GET /streaming/mediaInfos/{downloadId}: a plausible answer derived from the name and size. */
export function mediaInfos(dl: DownloadRec): Record<string, unknown> {
  const [, width, height] = RESOLUTIONS.find(([re]) => re.test(dl.filename)) ?? [/x/, 1920, 1080];
  const bitrate = width >= 5000 ? 40_000_000 : width >= 3000 ? 20_000_000 : 8_000_000;
  const base = posix.basename(dl.filename, posix.extname(dl.filename));
  return {
    filename: base.replace(/[._]+/g, ' ').trim(),
    hoster: 'rd',
    link: dl.link,
    type: 'movie',
    season: null,
    episode: null,
    year: null,
    duration: Math.round((dl.filesize * 8 * 100) / bitrate) / 100,
    bitrate,
    size: dl.filesize,
    details: {
      video: {
        und1: { stream: '0:0', lang: 'Unknown', lang_iso: 'und', codec: 'hevc', colorspace: 'yuv420p', width, height },
      },
      audio: { eng1: { stream: '0:1', lang: 'English', lang_iso: 'eng', codec: 'aac', sampling: 48000, channels: 2 } },
      subtitles: [],
    },
    poster_path: '',
    audio_image: '',
    backdrop_path: '',
  };
}

/** GET /streaming/transcode/{downloadId} (URL shapes invented; only the structure is documented). */
export function transcode(baseUrl: string, id: string): Record<string, unknown> {
  const t = `${baseUrl}/t/${id}/full`;
  return {
    apple: { full: `${t}.m3u8` },
    dash: { full: `${t}.mpd` },
    liveMP4: { full: `${t}.mp4` },
    h264WebM: { full: `${t}.webm` },
  };
}
