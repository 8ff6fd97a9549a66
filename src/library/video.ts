// The one builder: RD data (summary, info when known), media probes and user data in, one
// `Video` out. Every adapter formats this result and decides nothing itself, so HereSphere,
// DeoVR and the browser always agree on title, projection, files and playability.
import type {
  FileKind,
  LinkState,
  MediaProbe,
  TorrentInfo,
  TorrentSummary,
  UserData,
  Video,
  VideoFile,
} from './model.ts';
import { EMPTY_USER_DATA } from './model.ts';
import { basename, fileKind, isSample, isVideoName, naturalCompare, subtitleLanguage } from './files.ts';
import { normalizeLink } from './links.ts';
import { mapFilesToLinks } from './mapping.ts';
import { guessProjection } from './projection.ts';
import { applyOverride, refineByProbe } from './projection-sources.ts';
import { cleanTitle } from './titles.ts';
import { isoDate } from './format.ts';
import type { ScriptFacts } from './funscript.ts';
import { videoIdFromHash } from './ids.ts';

export interface VideoInput {
  summary: TorrentSummary;
  /** GET /torrents/info when stored; null -> files inferred from the summary. */
  info: TorrentInfo | null;
  user: UserData | null;
  /** Stored ffprobe facts; `path` is `VideoFile.path` (RD path without the leading "/"). */
  probe: (hash: string, path: string, bytes: number) => MediaProbe | null;
  /** Stored funscript facts, same key as probes (absent: none known). */
  script?: (hash: string, path: string, bytes: number) => ScriptFacts | null;
  /** Links Real-Debrid said are dead or blocked (store bad_links): their files are not offered. */
  badLink?: (link: string) => 'dead' | 'blocked' | null;
  /** fileId -> link learned by name matching (mapping.ts matchUnrestricted), if any. */
  matched?: ReadonlyMap<number, string>;
  /** ms since the epoch. */
  now: number;
  /** The hash's small stable number (store video_numbers); 0 when not numbered yet. */
  number?: number;
}

/** Shared by every video without user data; frozen (tags too) so nobody edits it in place. */
const NO_USER_DATA: UserData = Object.freeze({ ...EMPTY_USER_DATA, tags: Object.freeze([]) as unknown as UserData['tags'] });

/** Torrent states whose files can be tried; `dead` too: playback tries once (realdebrid.md §4.5). */
const READY_STATUSES: ReadonlySet<string> = new Set(['downloaded', 'dead']);

const STATUS_REASONS: Readonly<Record<string, string>> = {
  magnet_conversion: 'Real-Debrid is still converting the magnet',
  waiting_files_selection: 'Real-Debrid is waiting for files to be selected',
  queued: 'Queued on Real-Debrid',
  downloading: 'Still downloading on Real-Debrid',
  compressing: 'Real-Debrid is still processing this torrent',
  uploading: 'Real-Debrid is still processing this torrent',
  magnet_error: 'Real-Debrid could not read the magnet',
  error: 'Real-Debrid reports an error for this torrent',
  virus: 'Real-Debrid flagged this torrent as infected',
};

function statusReason(status: string, progress: number): string {
  const base = STATUS_REASONS[status] ?? `Real-Debrid status: ${status || 'unknown'}`;
  return status === 'downloading' && Number.isFinite(progress) ? `${base} (${Math.floor(progress)}%)` : base;
}

const STATE_REASONS: Readonly<Record<LinkState, string | null>> = {
  positional: null,
  matched: null,
  archive: 'Real-Debrid packed the selected files into one archive (.rar), which cannot be streamed',
  missing: 'Real-Debrid has no link for this file',
  // Offered for playback: /play matches links to files by name and size on first use.
  unmatched: null,
};

/** Why a file whose link RD refused is not offered (the resolver marks the link, resolver.ts). */
const BAD_LINK_REASONS: Readonly<Record<'dead' | 'blocked', string>> = {
  dead: 'Real-Debrid lost this file', // unrestrict answered hoster_unavailable / file_unavailable
  blocked: 'Real-Debrid blocks this file', // infringing_file (error 35)
};

/** Kinds a Video carries; everything else (nfo, images, archives inside packs) is left out. */
const KEPT_KINDS: ReadonlySet<FileKind> = new Set(['video', 'subtitle', 'script']);
/** Enough names to find a marker in a big pack without reading all of them. */
const MAX_PROJECTION_NAMES = 8;

interface Draft {
  fileId: number;
  path: string;
  bytes: number;
  kind: FileKind;
  state: LinkState;
  link: string | null;
}

function draftsFromInfo(info: TorrentInfo, matched: ReadonlyMap<number, string> | undefined, now: number): Draft[] {
  const mapping = new Map(mapFilesToLinks(info, now).map((m) => [m.fileId, m] as const));
  const anyMatched = matched !== undefined && info.files.some((f) => f.selected && matched.has(f.id));
  const drafts: Draft[] = [];
  for (const f of info.files) {
    if (!f.selected) continue;
    const kind = fileKind(f.path);
    if (!KEPT_KINDS.has(kind)) continue;
    const m = mapping.get(f.id);
    let state: LinkState = m?.state ?? 'missing';
    let link: string | null = state === 'positional' ? (m?.link ?? null) : null;
    const found = matched?.get(f.id);
    if (found !== undefined) {
      state = 'matched';
      link = normalizeLink(found);
    } else if ((state === 'archive' || state === 'unmatched') && anyMatched) {
      // Name matching unrestricted every link of the torrent: a file left over has no link.
      // (For an archive: the one link turned out to be a single file, matched elsewhere.)
      state = 'missing';
    }
    const path = f.path.startsWith('/') ? f.path.slice(1) : f.path;
    drafts.push({ fileId: f.id, path, bytes: f.bytes, kind, state, link });
  }
  return drafts;
}

/** No info yet: a single-link torrent named like a video is that one video (realdebrid.md §4.4). */
function draftsFromSummary(s: TorrentSummary): Draft[] {
  if (s.links.length > 1 || !isVideoName(s.filename)) return [];
  const first = s.links[0];
  const link = typeof first === 'string' && first.trim() !== '' ? first : undefined;
  return [
    {
      fileId: 1,
      path: s.filename,
      bytes: s.bytes,
      kind: 'video',
      state: link === undefined ? 'missing' : 'positional',
      link: link === undefined ? null : normalizeLink(link),
    },
  ];
}

function byPath(a: { path: string; fileId: number }, b: { path: string; fileId: number }): number {
  return naturalCompare(a.path, b.path) || a.fileId - b.fileId;
}

/**
 * The same text as `link` from `pool` when there is one: the catalog keeps every Video, and the
 * summary's link string is kept anyway, so the file's link need not be a second copy (memory).
 */
function shared(link: string | null, pool: readonly string[]): string | null {
  if (link !== null) for (const p of pool) if (p === link) return p;
  return link;
}

function toFile(d: Draft, hash: string, notReadyReason: string | null, input: VideoInput, links: readonly string[]): VideoFile {
  const probe = input.probe;
  const bad = d.link !== null ? (input.badLink?.(d.link) ?? null) : null;
  const stateReason = bad ? BAD_LINK_REASONS[bad] : STATE_REASONS[d.state];
  const playable = notReadyReason === null && stateReason === null && (d.link !== null || d.state === 'unmatched');
  const name = basename(d.path);
  return {
    fileId: d.fileId,
    path: d.path,
    name,
    bytes: d.bytes,
    kind: d.kind,
    linkState: d.state,
    link: d.state === 'positional' || d.state === 'matched' ? shared(d.link, links) : null,
    playable,
    unplayableReason: playable ? null : (notReadyReason ?? stateReason ?? 'No link for this file'),
    probe: d.kind === 'video' ? probe(hash, d.path, d.bytes) : null,
    language: d.kind === 'subtitle' ? subtitleLanguage(name) : null,
    script: d.kind === 'script' ? (input.script?.(hash, d.path, d.bytes) ?? null) : null,
  };
}

function isKeptDraft(this: number, d: Draft): boolean {
  return d.kind !== 'video' || !isSample(d.path, d.bytes, this);
}

export function buildVideo(input: VideoInput): Video {
  const { summary, info, now } = input;
  const hash = summary.hash.toLowerCase();
  const status = info?.status ?? summary.status;
  const progress = info?.progress ?? summary.progress;
  const ready = READY_STATUSES.has(status);
  const notReadyReason = ready ? null : statusReason(status, progress);

  let drafts = info ? draftsFromInfo(info, input.matched, now) : draftsFromSummary(summary);
  let maxVideoBytes = 0;
  for (const d of drafts) if (d.kind === 'video' && d.bytes > maxVideoBytes) maxVideoBytes = d.bytes;
  if (drafts.length > 1) {
    drafts = drafts.filter(isKeptDraft, maxVideoBytes);
    drafts.sort(byPath);
  }

  const videos: VideoFile[] = [];
  const subtitles: VideoFile[] = [];
  const scripts: VideoFile[] = [];
  for (const d of drafts) {
    const f = toFile(d, hash, notReadyReason, input, summary.links);
    if (d.kind === 'video') videos.push(f);
    else if (d.kind === 'subtitle') subtitles.push(f);
    else scripts.push(f);
  }

  const main = videos[0];
  const torrentName = summary.filename || info?.filename || info?.originalFilename || main?.name || summary.hash;
  const torrentIsFileName = fileKind(torrentName) !== 'other';
  const titleSource = torrentIsFileName && videos.length === 1 && main ? main.name : torrentName;
  const cleaned = cleanTitle(titleSource);
  let releaseTags = cleaned.releaseTags;
  if (main && main.name !== titleSource) {
    const extra = cleanTitle(main.name).releaseTags.filter((t) => !releaseTags.includes(t));
    if (extra.length > 0) releaseTags = [...releaseTags, ...extra];
  }

  const names: string[] = [];
  if (main) names.push(main.name);
  names.push(torrentName);
  if (info?.originalFilename && info.originalFilename !== torrentName) names.push(info.originalFilename);
  for (let i = 1; i < videos.length && names.length < MAX_PROJECTION_NAMES; i++) names.push((videos[i] as VideoFile).name);
  let projection = guessProjection(names);
  if (main?.probe) projection = refineByProbe(projection, main.probe);
  const projectionAuto = projection;
  projection = applyOverride(projectionAuto, input.user?.projection);

  const filesKnown = info !== null;
  let videoBytes = 0;
  let playable = false;
  for (const v of videos) {
    videoBytes += v.bytes;
    playable ||= v.playable;
  }
  let unplayableReason: string | null = null;
  if (!playable) {
    if (notReadyReason) unplayableReason = notReadyReason;
    else if (main) unplayableReason = main.unplayableReason;
    else unplayableReason = filesKnown ? 'No video files in this torrent' : 'File list not loaded yet';
  }

  return {
    id: videoIdFromHash(hash),
    number: input.number ?? 0,
    hash,
    torrentId: summary.id,
    title: cleaned.title,
    releaseTags,
    addedAt: summary.added,
    addedDate: isoDate(summary.added),
    dateReleased: cleaned.dateReleased ?? (main && main.name !== titleSource ? cleanTitle(main.name).dateReleased : null),
    bytes: filesKnown || videos.length > 0 ? videoBytes : summary.bytes,
    projection,
    projectionAuto,
    videos,
    subtitles,
    scripts,
    filesKnown,
    durationMs: main?.probe?.durationMs ?? 0,
    width: main?.probe?.width ?? 0,
    height: main?.probe?.height ?? 0,
    playable,
    unplayableReason,
    user: input.user ?? NO_USER_DATA,
    // The first script that reads well; else the first one's reason.
    script: scripts.find((f) => f.script?.ok)?.script ?? scripts.find((f) => f.script)?.script ?? null,
  };
}

const DOWNLOADED = 'downloaded';

function better(a: TorrentSummary, b: TorrentSummary): boolean {
  const ad = a.status === DOWNLOADED;
  const bd = b.status === DOWNLOADED;
  if (ad !== bd) return ad;
  if (a.links.length !== b.links.length) return a.links.length > b.links.length;
  const at = Date.parse(a.added);
  const bt = Date.parse(b.added);
  return (Number.isNaN(at) ? -Infinity : at) > (Number.isNaN(bt) ? -Infinity : bt);
}

/**
 * One torrent per hash (realdebrid.md §4.4): prefer downloaded, then more links, then the
 * newest added. The winner takes the place of the first occurrence, so list order holds.
 */
export function dedupeByHash(summaries: readonly TorrentSummary[]): TorrentSummary[] {
  const slot = new Map<string, number>();
  const out: TorrentSummary[] = [];
  for (const s of summaries) {
    const key = s.hash.toLowerCase();
    const i = slot.get(key);
    if (i === undefined) {
      slot.set(key, out.length);
      out.push(s);
    } else if (better(s, out[i] as TorrentSummary)) out[i] = s;
  }
  return out;
}

/** The file thumbnails, previews and the probe are made from: the first playable video file, else the first. */
export function mediaFile(video: Video): VideoFile | null {
  return video.videos.find((x) => x.playable) ?? video.videos[0] ?? null;
}
