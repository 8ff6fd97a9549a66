// Turns RD wire objects into the domain model's torrent types: lower-case hashes (RD mixes
// cases across endpoints), NFC names (so the same title compares equal everywhere), and
// defaults for fields RD leaves out, so nothing downstream has to be defensive again.
import type { TorrentFile, TorrentInfo, TorrentSummary } from '../library/model.ts';
import type { RdTorrent, RdTorrentFile, RdTorrentInfo } from './types.ts';

const nfc = (s: unknown): string => (typeof s === 'string' ? s.normalize('NFC') : '');
const num = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

export function toSummary(t: RdTorrent): TorrentSummary {
  return {
    id: String(t.id),
    hash: typeof t.hash === 'string' ? t.hash.toLowerCase() : '',
    filename: nfc(t.filename),
    bytes: num(t.bytes),
    status: typeof t.status === 'string' ? t.status : 'unknown',
    progress: num(t.progress),
    added: typeof t.added === 'string' ? t.added : '',
    ended: typeof t.ended === 'string' && t.ended !== '' ? t.ended : null,
    links: Array.isArray(t.links) ? t.links.filter((l): l is string => typeof l === 'string') : [],
  };
}

export function toFile(f: RdTorrentFile): TorrentFile {
  const selected = f.selected as unknown;
  return {
    id: num(f.id),
    path: nfc(f.path),
    bytes: num(f.bytes),
    selected: selected === 1 || selected === true || selected === '1',
  };
}

/** Files keep RD's order: links[i] belongs to the i-th selected file in exactly this order. */
export function toInfo(t: RdTorrentInfo): TorrentInfo {
  return {
    ...toSummary(t),
    originalFilename: typeof t.original_filename === 'string' ? nfc(t.original_filename) : null,
    files: Array.isArray(t.files) ? t.files.map(toFile) : [],
  };
}
