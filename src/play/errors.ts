// Why a file cannot be played right now, as a value with a kind. The routes turn kinds into
// HTTP statuses (api/play.ts); nothing branches on message text.
export type PlayErrorKind =
  | 'not-found' // unknown video or file
  | 'not-ready' // the torrent's file list could not be fetched
  | 'archive' // RD packed the files into one archive
  | 'missing-link' // RD has no link for this file
  | 'dead' // RD says the file is gone
  | 'blocked' // RD blocks this file (infringing)
  | 'cooldown' // RD is throttling us; retry later
  | 'token' // the RD token is missing or rejected
  | 'fair-use' // traffic limit reached
  | 'upstream-busy' // RD timed out, could not be reached or failed for a passing reason; retry soon
  | 'upstream'; // RD refused in a way retrying will not fix (account, permissions, bad request)

export class PlayError extends Error {
  override name = 'PlayError';
  /** Stable per kind, e.g. PLAY_MISSING_LINK. */
  readonly code: string;
  constructor(
    readonly kind: PlayErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.code = `PLAY_${kind.toUpperCase().replaceAll('-', '_')}`;
  }
}
