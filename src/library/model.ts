// The one domain model. RD data (summaries, infos), media facts and user data go in; a `Video`
// comes out. Every player adapter (HereSphere, DeoVR, browser) only formats a `Video`.
// Pure types: no I/O anywhere in src/library except sync.

/** HereSphere's projection vocabulary (heresphere-protocol.md §1.7). */
export type Projection =
  | 'perspective'
  | 'equirectangular'
  | 'equirectangular360'
  | 'fisheye'
  | 'cubemap'
  | 'equiangularCubemap';
export type Stereo = 'mono' | 'sbs' | 'tb';
export type Lens = 'Linear' | 'MKX200' | 'MKX220' | 'VRCA220';
/** Coarse family used by filters and badges. */
export type ProjectionKind = 'flat' | '180' | '360' | 'fisheye' | 'cubemap';

export type ProjectionSource = 'name' | 'metadata' | 'picture' | 'frame' | 'user' | 'default';
/** Projection families as the name reader, the file metadata and the picture speak of them. */
export type ProjectionFamily = 'flat' | '180' | '360' | 'fisheye' | 'eac' | 'cubemap';

/** What a file's container says (ffprobe side data); absent fields: the file says nothing. */
export interface SpatialMeta {
  stereo?: Stereo;
  eyeSwapped?: boolean;
  family?: ProjectionFamily;
  fov?: number;
}

/** What the thumbnail frame looks like (media/picture.ts): a layout and a shape, each only when clear. */
export interface PictureVerdict {
  stereo: Stereo;
  shape: 'fisheye' | '360' | '180' | 'flat';
}

export interface ProjectionGuess {
  projection: Projection;
  stereo: Stereo;
  /** Degrees: 180, 190, 200, 220, 360; 90 for flat. */
  fov: number;
  lens: Lens;
  /** Right-left / bottom-top layouts (`_RL`, `_BT`). */
  eyeSwapped: boolean;
  /** Alpha-packed passthrough video (`_alpha`). */
  alpha: boolean;
  /** Canon RF5.2 dual fisheye (DeoVR `rf52`). */
  rf52: boolean;
  kind: ProjectionKind;
  /**
   * Where the guess came from: a marker in a name, the file's own metadata (st3d/sv3d, Matroska
   * StereoMode), the picture (thumbnail frame analysis), the frame size, the user's word, or
   * nothing (flat).
   */
  source: ProjectionSource;
  /** Human badge, e.g. "180° SBS", "Fisheye 200° SBS", "360° TB", "Flat". */
  label: string;
  /**
   * True when only a weak hint in a name ("VR", "Oculus", "8K") made this a VR guess, so the
   * frame size may still overrule it (a 16:9 frame means flat). Absent otherwise.
   */
  hinted?: boolean;
}

/** A torrent as listed by GET /torrents, normalised (hash lower-case). */
export interface TorrentSummary {
  id: string;
  hash: string;
  filename: string;
  bytes: number;
  status: string;
  progress: number;
  /** ISO timestamp from RD. */
  added: string;
  ended: string | null;
  links: string[];
}

export interface TorrentFile {
  /** RD's 1-based file id; stable for a given hash. */
  id: number;
  /** As RD gives it, starting with "/". */
  path: string;
  bytes: number;
  selected: boolean;
}

/** GET /torrents/info: immutable once `downloaded`, so stored forever. */
export interface TorrentInfo extends TorrentSummary {
  originalFilename: string | null;
  files: TorrentFile[];
}

import type { ScriptFacts } from './funscript.ts';

export type FileKind = 'video' | 'subtitle' | 'script' | 'archive' | 'image' | 'other';

/** How a selected file got its restricted link (realdebrid.md §4.5). */
export type LinkState =
  | 'positional' // |links| == |selected|: links[i] belongs to selected[i]
  | 'matched' // found by name/size from unrestrict results
  | 'unmatched' // counts differ; must be matched by unrestricting (name-matching mode)
  | 'archive' // one link for several selected files: RD packed them into a .rar
  | 'missing'; // no link at all

/** Facts ffprobe learned about one file, keyed by (hash, path, bytes). */
export interface MediaProbe {
  durationMs: number;
  width: number;
  height: number;
  codec: string;
  fps: number;
  /** Stereo/spherical side data of the video stream; absent for probes made before it was read. */
  spatial?: SpatialMeta | null;
  /** Verdict of the picture analysis of the thumbnail frame, once a thumbnail was made. */
  picture?: PictureVerdict | null;
}

export interface UserTag {
  name: string;
  start?: number;
  end?: number;
  track?: number;
  rating?: number;
}

/**
 * The user's word on how to show a video (issue 14): any of these fields; those left out follow
 * the automatic guess. Read by every adapter through `Video.projection` (HereSphere, DeoVR,
 * browser, the WebXR viewer).
 */
export interface ProjectionOverride {
  projection?: Projection;
  stereo?: Stereo;
  fov?: number;
  lens?: Lens;
  eyeSwapped?: boolean;
}

/** The user's own data about a video, keyed by torrent hash (survives re-adding). */
export interface UserData {
  favorite: boolean;
  /** 0 = unrated; otherwise 0.5..5 in half steps. */
  rating: number;
  tags: UserTag[];
  hasHsp: boolean;
  playCount: number;
  resumeMs: number;
  watched: boolean;
  lastPlayedAt: string | null;
  /** The user's projection override; null = automatic. */
  projection: ProjectionOverride | null;
}

export const EMPTY_USER_DATA: Readonly<UserData> = Object.freeze({
  favorite: false,
  rating: 0,
  tags: [],
  hasHsp: false,
  playCount: 0,
  resumeMs: 0,
  watched: false,
  lastPlayedAt: null,
  projection: null,
});

export interface VideoFile {
  /** RD file id (1-based). */
  fileId: number;
  /** Path inside the torrent without the leading "/". */
  path: string;
  /** Basename, shown to the user. */
  name: string;
  bytes: number;
  kind: FileKind;
  linkState: LinkState;
  /** Restricted link when known (positional or matched), else null. */
  link: string | null;
  playable: boolean;
  /** Why not playable, in words a user understands (archive, missing link...). */
  unplayableReason: string | null;
  probe: MediaProbe | null;
  /** Subtitles only: language code guessed from the name (`en` from `.en.srt`), else null. */
  language: string | null;
  /** Scripts only: what the funscript says once read (library/funscript.ts), else null. */
  script: ScriptFacts | null;
}

/** The one model every adapter formats. */
export interface Video {
  /** Public id: derived from the torrent hash, URL-safe, stable forever. */
  id: string;
  /**
   * Small stable number (1, 2, 3… in the order videos first appeared; store video_numbers), for
   * players that want a small integer id (DeoVR). 0 until the store has numbered the hash.
   */
  number: number;
  hash: string;
  torrentId: string;
  title: string;
  /** Release noise removed from the title (resolution, codec, group...), kept as tags. */
  releaseTags: string[];
  addedAt: string;
  /** `YYYY-MM-DD`. */
  addedDate: string;
  /** Release date read from the name (scene `Studio.YY.MM.DD.Title`), `YYYY-MM-DD`; null when none. */
  dateReleased: string | null;
  /** Total bytes of the video files (torrent bytes until the file list is known). */
  bytes: number;
  /** How to show it: the user's override when there is one (source 'user'), else `projectionAuto`. */
  projection: ProjectionGuess;
  /** The automatic decision (name, file metadata, picture, frame size), what "back to automatic" restores. */
  projectionAuto: ProjectionGuess;
  /** Video files in natural order (part 2 before part 10); samples excluded. */
  videos: VideoFile[];
  subtitles: VideoFile[];
  scripts: VideoFile[];
  /** True once the file list came from /torrents/info (else inferred from the summary). */
  filesKnown: boolean;
  /** Duration of the main (first) video in ms, 0 until probed. */
  durationMs: number;
  /** Frame size of the main video, 0 until probed. */
  width: number;
  height: number;
  /** Playable at all? False for archives and torrents with no usable link. */
  playable: boolean;
  unplayableReason: string | null;
  user: UserData;
  /** Facts of the main script (the first one read), null when unscripted or not read yet. */
  script: ScriptFacts | null;
}

/** A generated or user tag in HereSphere's `Category:Value` style. */
export interface Tag {
  name: string;
  start?: number;
  end?: number;
  track?: number;
  rating?: number;
}

export interface Section {
  name: string;
  videoIds: string[];
}
