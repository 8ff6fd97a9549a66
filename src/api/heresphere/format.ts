// Formats the one `Video` model as HereSphere JSON (heresphere-protocol.md §1.4-1.9). Only
// formatting lives here: projection, titles, tags and sections are decided in src/library.
import type { Section, Video, VideoFile } from '../../library/model.ts';
import { buildTags } from '../../library/tags.ts';
import { formatBytes } from '../../library/format.ts';
import { paths, thumbPath } from '../urls.ts';

export interface HsIndex {
  access: number;
  library: Array<{ name: string; list: string[] }>;
}

export function formatIndex(sections: readonly Section[], base: string, access = 1): HsIndex {
  return {
    access,
    library: sections.map((s) => ({ name: s.name, list: s.videoIds.map((id) => base + paths.heresphereVideo(id)) })),
  };
}

/** A library-shaped answer carrying one message as its only section (no token, login required...). */
export function messageIndex(message: string, access = 1): HsIndex {
  return { access, library: [{ name: message, list: [] }] };
}

function common(v: Video) {
  return {
    title: v.title,
    dateAdded: v.addedDate,
    ...(v.dateReleased ? { dateReleased: v.dateReleased } : {}),
    duration: v.durationMs,
    rating: v.user.rating,
    favorites: v.user.favorite ? 1 : 0,
    comments: v.user.playCount,
    isFavorite: v.user.favorite,
    tags: buildTags(v),
  };
}

/** How a formatter makes URLs: `base` for API links, `asset` for files players fetch without headers (signed when auth is on). */
export interface UrlContext {
  base: string;
  asset: (path: string) => string;
  /** THUMB_HEATMAP: thumbnails of read funscripts carry the heatmap (issue 17). */
  heatThumbs?: boolean;
}

export function formatScanEntry(v: Video, base: string) {
  return { link: base + paths.heresphereVideo(v.id), ...common(v) };
}

function describe(v: Video): string {
  const parts: string[] = [];
  const n = v.videos.filter((f) => f.playable).length; // what is offered, not what the torrent holds
  if (n > 1) parts.push(`${n} videos`);
  if (v.bytes > 0) parts.push(formatBytes(v.bytes));
  if (v.width > 0) parts.push(`${v.width}×${v.height}`);
  parts.push(v.projection.label);
  if (!v.playable && v.unplayableReason) parts.push(`Not playable: ${v.unplayableReason}`);
  return parts.join(' · ');
}

function mediaEntry(v: Video, f: VideoFile, u: UrlContext) {
  const height = f.probe?.height ?? 0;
  return {
    name: f.name,
    sources: [
      {
        resolution: height,
        height,
        width: f.probe?.width ?? 0,
        size: f.bytes,
        url: u.asset(paths.play(v.id, f.fileId)),
      },
    ],
  };
}

export function formatVideo(v: Video, u: UrlContext, opts: { needsMediaSource: boolean }) {
  const p = v.projection;
  return {
    access: 1,
    ...common(v),
    description: describe(v),
    thumbnailImage: u.asset(thumbPath(v, u.heatThumbs === true)),
    thumbnailVideo: u.asset(paths.preview(v.id)),
    projection: p.projection,
    stereo: p.stereo,
    isEyeSwapped: p.eyeSwapped,
    fov: p.fov,
    lens: p.lens,
    ...(v.user.hasHsp ? { hsp: u.asset(paths.hsp(v.id)) } : {}),
    eventServer: u.asset(paths.heresphereEvent(v.id)),
    scripts: v.scripts.map((f) => ({ name: f.name, url: u.asset(paths.play(v.id, f.fileId)), rating: 1 })),
    subtitles: v.subtitles.map((f) => ({ name: f.name, language: f.language ?? 'und', url: u.asset(paths.play(v.id, f.fileId)) })),
    media: opts.needsMediaSource ? v.videos.filter((f) => f.playable).map((f) => mediaEntry(v, f, u)) : [],
    ...(p.alpha ? { alphaPackedSettings: { defaultSettings: true } } : {}),
    writeFavorite: true,
    writeRating: true,
    writeTags: true,
    writeHSP: true,
  };
}
