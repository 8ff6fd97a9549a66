// Why a media job did not produce its file, as a code with one short sentence a user can read.
// The sentence is what gets stored and served (/preview, /api/media-status, /healthz); the raw
// detail (ffmpeg's stderr, file-system errors with their paths, RD's words) only goes to the log.
// Also the one table saying which source errors are worth another try soon (RD busy, network
// trouble) and which are a property of the file (dead link, blocked, archive) that the retry
// ladder should remember.
import { PlayError, type PlayErrorKind } from '../play/errors.ts';
import { RdError } from '../realdebrid/errors.ts';
import { rdPolicy, type RdFault } from '../realdebrid/policy.ts';

export type ReasonCode =
  | 'dead-link'
  | 'blocked'
  | 'no-link'
  | 'archive'
  | 'gone'
  | 'token'
  | 'rd-busy'
  | 'rd-refused'
  | 'cdn-refused'
  | 'cdn-busy'
  | 'timeout'
  | 'unreadable'
  | 'no-frame'
  | 'bad-output'
  | 'cache-write'
  | 'ffmpeg-start'
  | 'ffmpeg-missing'
  | 'ffprobe-missing'
  | 'cache-unusable'
  | 'internal';

export const REASONS: Readonly<Record<ReasonCode, string>> = {
  'dead-link': 'Real-Debrid reports this file as unavailable.',
  blocked: 'Real-Debrid blocks this file.',
  'no-link': 'Real-Debrid has no download link for this file.',
  archive: 'Real-Debrid packed this torrent into an archive, which cannot be read.',
  gone: 'This video is no longer in the Real-Debrid library.',
  token: 'The Real-Debrid token is missing or was rejected.',
  'rd-busy': 'Real-Debrid is busy or unreachable right now; trying again later.',
  'rd-refused': 'Real-Debrid refused the request for this account (permissions, premium or IP); see the server log.',
  'cdn-refused': 'The download server refused this file.',
  'cdn-busy': 'The download server is not answering right now; trying again later.',
  timeout: 'Reading this video took too long.',
  unreadable: 'This video could not be read (damaged or an unsupported format).',
  'no-frame': 'No picture could be taken from this video.',
  'bad-output': 'ffmpeg made no usable file from this video.',
  'cache-write': 'The media cache folder cannot be written.',
  'ffmpeg-start': 'ffmpeg could not be started on this server.',
  'ffmpeg-missing': 'ffmpeg is unavailable on this server, so thumbnails and previews show a placeholder.',
  'ffprobe-missing': 'ffprobe is unavailable on this server, so durations and resolutions stay unknown.',
  'cache-unusable': 'The media cache folder cannot be used, so thumbnails and previews show a placeholder.',
  internal: 'Something went wrong making this file; the server log has the details.',
};

const SENTENCES: ReadonlySet<string> = new Set(Object.values(REASONS));

/** A stored reason as it may be shown: known sentences as they are, anything else (older versions stored raw text) generic. */
export function publicReason(stored: string): string {
  return SENTENCES.has(stored) ? stored : REASONS.internal;
}

/** transient: try again soon and do not remember it as the file's failure; final: the retry ladder. */
export interface SourceFailure {
  code: ReasonCode;
  transient: boolean;
  /** How long the source asked us to wait, when it said. */
  retryAfterMs: number | null;
}

const PLAY_KINDS: Readonly<Record<PlayErrorKind, [ReasonCode, boolean]>> = {
  'not-found': ['gone', false],
  'not-ready': ['rd-busy', true],
  archive: ['archive', false],
  'missing-link': ['no-link', false],
  dead: ['dead-link', false],
  blocked: ['blocked', false],
  cooldown: ['rd-busy', true],
  token: ['token', false],
  'fair-use': ['rd-busy', true],
  'upstream-busy': ['rd-busy', true],
  upstream: ['rd-refused', false],
};

/** The reason shown for each kind of RD fault (realdebrid/policy.ts decides the fault and whether a retry helps). */
const RD_REASONS: Readonly<Record<RdFault, ReasonCode>> = {
  token: 'token',
  account: 'rd-refused',
  file: 'dead-link',
  blocked: 'blocked',
  gone: 'gone',
  pacing: 'rd-busy',
  traffic: 'rd-busy',
  busy: 'rd-busy',
  ours: 'no-link',
};

/** Classifies an error thrown while getting a download URL, by its kind (never by its text). */
export function sourceFailure(err: unknown): SourceFailure {
  if (err instanceof PlayError) {
    const [code, transient] = PLAY_KINDS[err.kind];
    return { code, transient, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof RdError) {
    const policy = rdPolicy(err);
    return { code: RD_REASONS[policy.fault], transient: policy.retry !== 'never', retryAfterMs: err.retryAfterMs };
  }
  // Not one of ours: nothing says a retry would help, so the ladder keeps it from being hammered.
  return { code: 'no-link', transient: false, retryAfterMs: null };
}
