// The browser view's only door to the server: typed fetch wrappers over the JSON contract of
// src/api/web.ts. Same-origin cookies carry auth; any 401 sends the user to the login page.

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
}

export interface LibraryResponse {
  status: LibraryStatus;
  connect: { heresphere: string[]; deovr: string[] };
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
}

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
  scripts: Array<{ name: string; url: string }>;
  tags: string[];
  projection: { projection: string; stereo: string; fov: number; lens: string; eyeSwapped: boolean };
  resumeMs: number;
  unplayableReason: string | null;
  /** Why no thumbnail can be made (generation failed, ffmpeg missing); null when fine or pending. */
  thumbProblem: string | null;
};

export interface UserPatch {
  favorite?: boolean;
  rating?: number;
  watched?: boolean;
}

export type ThumbState = 'ready' | 'pending' | 'failed';
export type MediaStatus = Record<string, { thumb: ThumbState; reason?: string }>;

/** Error carrying the server's `{ error }` text (or a network failure) in words for a toast. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError('The server could not be reached.', 0);
  }
  if (res.status === 401) {
    window.location.assign('/login');
    throw new ApiError('Please log in.', 401);
  }
  if (!res.ok) {
    let msg = `The server answered ${res.status}.`;
    try {
      const body = (await res.json()) as { error?: unknown };
      if (typeof body.error === 'string' && body.error) msg = body.error;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(msg, res.status);
  }
  return (await res.json()) as T;
}

export function getLibrary(): Promise<LibraryResponse> {
  return request<LibraryResponse>('/api/library', { headers: { Accept: 'application/json' } });
}

export function getVideo(id: string): Promise<VideoDetail> {
  return request<VideoDetail>(`/api/videos/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } });
}

export function updateVideo(id: string, patch: UserPatch): Promise<CompactVideo> {
  return request<CompactVideo>(`/api/videos/${encodeURIComponent(id)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(patch),
  });
}

export function getChanges(since: string): Promise<ChangesResponse> {
  return request<ChangesResponse>(`/api/changes?since=${encodeURIComponent(since)}`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
}

/** At most 200 ids per call (the server's limit); callers batch. */
export function getMediaStatus(ids: readonly string[]): Promise<MediaStatus> {
  const q = ids.slice(0, 200).map(encodeURIComponent).join(',');
  return request<MediaStatus>(`/api/media-status?ids=${q}`, { headers: { Accept: 'application/json' } });
}
