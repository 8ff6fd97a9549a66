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
  | 'upstream'; // RD unreachable or failing

export class PlayError extends Error {
  override name = 'PlayError';
  constructor(
    readonly kind: PlayErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}
