// Wire types of the Real-Debrid REST API 1.0, as RD sends them (see shared realdebrid.md §1.4).
// Only the fields debridsphere reads are listed; everything else is ignored.

export type RdTorrentStatus =
  | 'magnet_error'
  | 'magnet_conversion'
  | 'waiting_files_selection'
  | 'queued'
  | 'downloading'
  | 'downloaded'
  | 'error'
  | 'virus'
  | 'compressing'
  | 'uploading'
  | 'dead';

/** One item of GET /torrents. */
export interface RdTorrent {
  id: string;
  filename: string;
  hash: string;
  bytes: number;
  host?: string;
  split?: number;
  progress: number;
  status: RdTorrentStatus | string;
  added: string;
  links: string[];
  ended?: string;
  speed?: number;
  seeders?: number;
}

export interface RdTorrentFile {
  id: number;
  path: string;
  bytes: number;
  selected: 0 | 1;
}

/** GET /torrents/info/{id}. */
export interface RdTorrentInfo extends RdTorrent {
  original_filename?: string;
  original_bytes?: number;
  files: RdTorrentFile[];
}

/** POST /unrestrict/link. `download` is the direct CDN URL; `link` echoes the restricted link. */
export interface RdUnrestrict {
  id: string;
  filename: string;
  mimeType?: string;
  filesize: number;
  link: string;
  host?: string;
  chunks?: number;
  crc?: number;
  download: string;
  streamable?: number;
}

export interface RdUser {
  id: number;
  username: string;
  email?: string;
  points?: number;
  type: 'premium' | 'free' | string;
  premium?: number;
  expiration?: string;
}

/** RD's error body: `{ "error": "bad_token", "error_code": 8 }`, sometimes with details. */
export interface RdErrorBody {
  error?: string;
  error_code?: number;
  error_details?: string;
}
