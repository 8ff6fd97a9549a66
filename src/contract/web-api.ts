// The JSON contract between the server's browser API (src/api/web.ts) and the browser view
// (src/web/api.ts): types only, so both sides are checked against one statement of it and the
// browser bundle gains no server code. Labels (resolution, projection) are facts computed by the
// server; the browser shows them as they are.

export type TokenState = 'ok' | 'missing' | 'rejected';
export type RdState = 'ok' | 'unreachable' | 'throttled' | 'unknown';
export type Kind = 'flat' | '180' | '360' | 'fisheye' | 'cubemap';
export type Stereo = 'sbs' | 'tb' | 'mono';

export interface LibraryStatus {
  token: TokenState;
  rd: RdState;
  message: string | null;
  lastSyncAt: string | null;
  syncing: boolean;
  syncProgress: { done: number; total: number } | null;
  cooldownSeconds: number;
  /** The account brake and the daily cap on background unrestricts (realdebrid/brake.ts); also in /healthz. */
  backgroundUnrestricts: BackgroundUnrestrictsStatus;
}

export interface BackgroundUnrestrictsStatus {
  /** Background Real-Debrid work (probes, thumbnails, previews, warm) waits: braked or the day's cap used up. */
  paused: boolean;
  braked: boolean;
  /** ISO times; null when not braked / not waiting. */
  brakeUntil: string | null;
  brakeReason: string | null;
  brakeCode: number | null;
  today: number;
  dailyCap: number;
  capReached: boolean;
  resumesAt: string | null;
  /** One sentence for a status panel, null when nothing waits. */
  message: string | null;
}

export interface CompactVideo {
  id: string;
  title: string;
  added: string;
  bytes: number;
  durationMs: number;
  width: number;
  height: number;
  kind: Kind;
  stereo: Stereo;
  projectionLabel: string;
  /** "8K", "6K" (VR, by width), "1080p" (flat, by height); '' while unknown. The same label as HereSphere's tag. */
  resolution: string;
  favorite: boolean;
  rating: number;
  watched: boolean;
  playCount: number;
  lastPlayedAt: string | null;
  thumbUrl: string;
  previewUrl: string;
  thumbReady: boolean;
  files: number;
  playable: boolean;
  /** Has a funscript (issue 17). */
  scripted: boolean;
  /** Its average speed in pos units/s; 0 while unread, broken or absent. */
  scriptSpeed: number;
  /** Heatmap levels (library/funscript.ts encodeHeat), null without a readable script. */
  heat: string | null;
}

export interface LibraryResponse {
  status: LibraryStatus;
  connect: { heresphere: string[]; deovr: string[] };
  /**
   * When HereSphere and DeoVR last loaded the library from this server (ISO time), null when not
   * since it started: once one has, the page folds its "On the headset" panel.
   */
  players: { heresphere: string | null; deovr: string | null };
  /** Login is on (HERESPHERE_AUTH_TOKEN): the page offers a logout button. */
  auth?: boolean;
  total: number;
  /** Token for GET /api/changes: what this answer shows. */
  changes: string;
  videos: CompactVideo[];
}

/** The library's own media work (same figures as /healthz `progress`). */
export interface LibraryProgress {
  videoFiles: number;
  probed: number;
  probeFailed: number;
  thumbnails: number;
  probing: number;
  waitingForRd: number;
  /** ISO time when work waiting for Real-Debrid goes on, or null. */
  rdContinuesAt: string | null;
  /** Why background Real-Debrid work is paused (account brake, daily cap) and until when; null when it is not. */
  accountPaused: string | null;
}

/** GET /api/changes: the videos changed since a token (src/api/progress.ts). */
export interface ChangesResponse {
  token: string;
  /** The list itself changed (or too much to tell): load the library again. */
  reload: boolean;
  videos: CompactVideo[];
  progress: LibraryProgress;
}

export interface DetailFile {
  fileId: number;
  name: string;
  bytes: number;
  durationMs: number;
  width: number;
  height: number;
  playUrl: string;
  playable: boolean;
  reason: string | null;
}

export type VideoDetail = Omit<CompactVideo, 'files'> & {
  files: DetailFile[];
  subtitles: Array<{ name: string; language: string | null; url: string }>;
  /** `problem`: why this funscript gives no heatmap (issue 17), null when fine or not read yet. */
  scripts: Array<{ name: string; url: string; problem: string | null }>;
  /** Figures of the main funscript once read; the heatmap itself is `heat`. */
  script: { actions: number; lengthMs: number; avgSpeed: number; maxSpeed: number; intensity: string } | null;
  tags: string[];
  projection: ProjectionDetail;
  resumeMs: number;
  unplayableReason: string | null;
  /** Why no thumbnail can be made (generation failed, ffmpeg missing); null when fine or pending. */
  thumbProblem: string | null;
};

/** How a video is shown: the values and where they came from (in the server's words). */
export interface ProjectionFacts {
  projection: string;
  stereo: Stereo;
  fov: number;
  lens: string;
  eyeSwapped: boolean;
  label: string;
  source: 'name' | 'metadata' | 'picture' | 'frame' | 'user' | 'default';
  sourceLabel: string;
}
/** The user's word (PUT /api/videos/:id/projection); fields left out follow the automatic decision. */
export interface ProjectionOverride {
  projection?: string;
  stereo?: Stereo;
  fov?: number;
  lens?: string;
  eyeSwapped?: boolean;
}
/** What is shown, the automatic decision ("back to automatic" restores it) and the stored override. */
export type ProjectionDetail = ProjectionFacts & { auto: ProjectionFacts; override: ProjectionOverride | null };
/** The answer to a projection change: what the card shows, and the detail block. */
export interface ProjectionAnswer {
  id: string;
  kind: Kind;
  stereo: Stereo;
  projectionLabel: string;
  projection: ProjectionDetail;
}

/** What the browser's VR viewer reports (POST /api/videos/:id/playback), like a player's events. */
export type PlaybackEvent = 'open' | 'play' | 'pause' | 'close';
export interface PlaybackReport {
  event: PlaybackEvent;
  timeMs: number;
}

export interface UserPatch {
  favorite?: boolean;
  rating?: number;
  watched?: boolean;
}

export type ThumbState = 'ready' | 'pending' | 'failed';
export type MediaStatus = Record<string, { thumb: ThumbState; reason?: string }>;

/** A saved view (issue 17; src/api/views.ts): the browser's view query under a name. */
export interface SavedView {
  id: number;
  name: string;
  /** The view's query string as the URL holds it ("?sort=…"). */
  query: string;
}
