// The browser view's only door to the server: typed fetch wrappers over the JSON contract
// (src/contract/web-api.ts, shared with src/api/web.ts). Same-origin cookies carry auth; any 401 sends the user to the login page.

export type {
  TokenState,
  RdState,
  Kind,
  Stereo,
  LibraryStatus,
  CompactVideo,
  LibraryResponse,
  DetailFile,
  VideoDetail,
  UserPatch,
  PlaybackEvent,
  ThumbState,
  MediaStatus,
  LibraryProgress,
  ChangesResponse,
  SavedView,
  ProjectionAnswer,
  ProjectionDetail,
  ProjectionFacts,
  ProjectionOverride,
} from '../contract/web-api.ts';
import type { ChangesResponse, CompactVideo, LibraryResponse, MediaStatus, PlaybackEvent, PlaybackReport, ProjectionAnswer, ProjectionOverride, SavedView, UserPatch, VideoDetail } from '../contract/web-api.ts';

/** Error carrying the server's `{ error }` text (or a network failure) in words for a toast. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** `background`: a request the user did not ask for (the saved-view chips at start); a 401 fails it without leaving the page (the library's own request handles the login). */
async function request<T>(path: string, init?: RequestInit, background = false): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError('The server could not be reached.', 0);
  }
  if (res.status === 401) {
    if (!background) window.location.assign('/login');
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
  if (res.status === 204) return null as T; // nothing to parse (a delete)
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

/** The user's projection override, or `{ automatic: true }` to go back to the automatic decision. */
export function setProjection(id: string, body: ProjectionOverride | { automatic: true }): Promise<ProjectionAnswer> {
  return request<ProjectionAnswer>(`/api/videos/${encodeURIComponent(id)}/projection`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A playback event of the browser's VR viewer; `keepalive` lets the last one outlive the page. */
export function sendPlayback(id: string, event: PlaybackEvent, timeMs: number, keepalive = false): Promise<CompactVideo> {
  return request<CompactVideo>(`/api/videos/${encodeURIComponent(id)}/playback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ event, timeMs: Math.max(0, Math.round(timeMs)) } satisfies PlaybackReport),
    keepalive,
  });
}

// ---- saved views (issue 17; src/api/views.ts) ---------------------------------------------

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

export function listViews(): Promise<{ views: SavedView[] }> {
  return request<{ views: SavedView[] }>('/api/views', { headers: { Accept: 'application/json' } }, true);
}

export function createView(name: string, query: string): Promise<SavedView> {
  return request<SavedView>('/api/views', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ name, query }) });
}

export function updateView(id: number, fields: { name?: string; query?: string }): Promise<SavedView> {
  return request<SavedView>(`/api/views/${id}`, { method: 'PATCH', headers: JSON_HEADERS, body: JSON.stringify(fields) });
}

export async function deleteView(id: number): Promise<void> {
  await request<null>(`/api/views/${id}`, { method: 'DELETE' });
}

export function reorderViews(ids: readonly number[]): Promise<{ views: SavedView[] }> {
  return request<{ views: SavedView[] }>('/api/views/order', { method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify({ ids }) });
}
