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
  videos: CompactVideo[];
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
  projection: ProjectionDetail;
  resumeMs: number;
  unplayableReason: string | null;
  /** Why no thumbnail can be made (generation failed, ffmpeg missing); null when fine or pending. */
  thumbProblem: string | null;
};

/** How a video is shown: the values, where they came from (server words), and what can be undone. */
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
export interface ProjectionOverride {
  projection?: string;
  stereo?: Stereo;
  fov?: number;
  lens?: string;
  eyeSwapped?: boolean;
}
export type ProjectionDetail = ProjectionFacts & { auto: ProjectionFacts; override: ProjectionOverride | null };
export interface ProjectionAnswer {
  id: string;
  kind: Kind;
  stereo: Stereo;
  projectionLabel: string;
  projection: ProjectionDetail;
}

/** The user's projection override, or `{ automatic: true }` to go back to the automatic decision. */
export function setProjection(id: string, body: ProjectionOverride | { automatic: true }): Promise<ProjectionAnswer> {
  return request<ProjectionAnswer>(`/api/videos/${encodeURIComponent(id)}/projection`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

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

/** At most 200 ids per call (the server's limit); callers batch. */
export function getMediaStatus(ids: readonly string[]): Promise<MediaStatus> {
  const q = ids.slice(0, 200).map(encodeURIComponent).join(',');
  return request<MediaStatus>(`/api/media-status?ids=${q}`, { headers: { Accept: 'application/json' } });
}
