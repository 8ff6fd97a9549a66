// HereSphere tags for a video: the generated, read-only "Feature:"/"Release:" tags users
// filter large libraries with (heresphere-protocol.md §1.8), then the user's own tags
// unchanged. Generated tags are recomputed on every request, so a HereSphere write-back
// that echoes them must not store them as user tags (userTagsFromWrite drops them).
import { INTENSITY_LEVELS, intensityOf, type IntensityLevel } from './funscript.ts';
import type { ProjectionGuess, Tag, UserTag, Video } from './model.ts';
import { SOURCE_LABELS } from './projection-sources.ts';

export const GENERATED_TAG_PREFIXES: readonly string[] = ['Feature:', 'Release:'];

const GIB = 1024 ** 3;
const SIZE_BUCKETS: ReadonlyArray<readonly [number, string]> = [
  [15 * GIB, '15 GB+'],
  [5 * GIB, '5-15 GB'],
  [1 * GIB, '1-5 GB'],
  [1, 'Under 1 GB'],
];

/** [minimum width, label]; VR is named by width (5760x2880 is sold as "6K"), flat by height. */
const RESOLUTIONS: ReadonlyArray<readonly [number, string]> = [
  [7600, '8K'],
  [6100, '7K'],
  [5700, '6K'],
  [5000, '5K'],
  [3800, '4K'],
  [2500, '1440p'],
  [1900, '1080p'],
  [1260, '720p'],
  [800, '480p'],
  [1, 'SD'],
];
/**
 * VR by the long side (SBS 5760x2880 and TB 2880x5760 are both "6K"); flat by the long side
 * or the height as if 16:9, whichever is larger (1440x1080 and 1920x800 are both "1080p").
 */
export function resolutionLabel(width: number, height: number, flat: boolean): string | null {
  if (!(width > 0) || !(height > 0)) return null;
  const long = Math.max(width, height);
  const effective = flat ? Math.max(long, (Math.min(width, height) * 16) / 9) : long;
  return RESOLUTIONS.find(([min]) => effective >= min)?.[1] ?? null;
}

const STEREO_NAMES = { sbs: 'SBS', tb: 'Top-Bottom', mono: 'Mono' } as const;
const KIND_NAMES = { flat: 'Flat', '180': '180°', '360': '360°', fisheye: 'Fisheye', cubemap: 'Cubemap' } as const;

function projectionTags(p: ProjectionGuess): string[] {
  // Where the decision came from (issue 14): a user who sees a wrong picture knows what to fix.
  const out = [`Feature:Projection: ${KIND_NAMES[p.kind]}`, `Feature:Projection from: ${SOURCE_LABELS[p.source]}`];
  if (p.kind === 'flat') {
    if (p.stereo !== 'mono') out.push(`Feature:3D: ${STEREO_NAMES[p.stereo]}`);
    return out;
  }
  out.push(`Feature:FOV: ${p.fov}°`, `Feature:Stereo: ${STEREO_NAMES[p.stereo]}`);
  if (p.lens !== 'Linear') out.push(`Feature:Lens: ${p.lens}`);
  if (p.rf52) out.push('Feature:Lens: Canon RF5.2');
  if (p.eyeSwapped) out.push('Feature:Eyes swapped');
  if (p.alpha) out.push('Feature:Alpha passthrough');
  return out;
}

/** Generated tags first (stable order), then the user's own tags as stored. */
const INTENSITY_LABELS = Object.fromEntries(INTENSITY_LEVELS.map((l) => [l.key, l.label])) as Record<IntensityLevel, string>;

export function buildTags(video: Video): Tag[] {
  const names: string[] = projectionTags(video.projection);
  const res = resolutionLabel(video.width, video.height, video.projection.kind === 'flat');
  if (res) names.push(`Feature:Resolution: ${res}`);
  const size = SIZE_BUCKETS.find(([min]) => video.bytes >= min);
  if (size) names.push(`Feature:Size: ${size[1]}`);
  if (video.videos.length > 1) names.push(`Feature:Parts: ${video.videos.length}`);
  if (video.scripts.length > 0) names.push('Feature:Scripted');
  // Intensity of the read funscript (issue 17; levels by average speed, library/funscript.ts).
  if (video.script?.ok) names.push(`Feature:Script intensity: ${INTENSITY_LABELS[intensityOf(video.script.avgSpeed)]}`);
  if (video.subtitles.length > 0) names.push('Feature:Subtitles');
  if (!video.playable) names.push('Feature:Unplayable');
  if (/^\d{4}-\d{2}/.test(video.addedDate) && !video.addedDate.startsWith('1970')) {
    names.push(`Feature:Year: ${video.addedDate.slice(0, 4)}`, `Feature:Month: ${video.addedDate.slice(0, 7)}`);
  }
  names.push(video.user.watched || video.user.playCount > 0 ? 'Feature:Watched' : 'Feature:Unwatched');
  if (video.user.favorite) names.push('Feature:Favorite');
  for (const r of video.releaseTags) names.push(`Release:${r}`);
  const tags: Tag[] = names.map((name) => ({ name }));
  for (const t of video.user.tags) tags.push({ ...t });
  return tags;
}

export const MAX_USER_TAGS = 500;
export const MAX_TAG_NAME = 200;

function isGenerated(name: string): boolean {
  const lower = name.toLowerCase();
  return GENERATED_TAG_PREFIXES.some((p) => lower.startsWith(p.toLowerCase()));
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * A tag's time span in ms, or null for a whole-video tag. HereSphere sends whole-video tags as
 * start 0 / end 0 (or without times, or null): they stay whole-video tags, not a zero-length tag
 * (and a DeoVR chapter) at 0 s. A span given backwards (start > end) is swapped, never stored as
 * sent; a missing or negative bound becomes the video's start, a missing end the start.
 */
export function timeSpan(start: number | undefined, end: number | undefined): [number, number] | null {
  const a = start !== undefined && start > 0 ? start : 0;
  const b = end !== undefined && end > 0 ? end : 0;
  if (a === 0 && b === 0) return null;
  if (end === undefined || b === 0) return [a, a]; // a point in time (a marker)
  return a <= b ? [a, b] : [b, a];
}

/**
 * The user's tags from a HereSphere write-back (`tags` as sent). Keeps well-formed
 * `{name, start?, end?, track?, rating?}` objects whose name is not generated; trims and caps
 * names, drops duplicates (same name, start, end, track) and stops at MAX_USER_TAGS.
 */
export function userTagsFromWrite(tags: unknown): UserTag[] {
  if (!Array.isArray(tags)) return [];
  const out: UserTag[] = [];
  const seen = new Set<string>();
  for (const item of tags) {
    if (out.length >= MAX_USER_TAGS) break;
    if (item === null || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    if (typeof o.name !== 'string') continue;
    const name = o.name.trim().slice(0, MAX_TAG_NAME).trim();
    if (name === '' || isGenerated(name)) continue;
    const tag: UserTag = { name };
    const start = finite(o.start);
    const end = finite(o.end);
    const track = finite(o.track);
    const rating = finite(o.rating);
    const span = timeSpan(start, end);
    if (span) {
      tag.start = span[0];
      tag.end = span[1];
    }
    if (track !== undefined && track >= 0) tag.track = Math.floor(track);
    if (rating !== undefined) tag.rating = rating;
    const key = `${name}\u0000${tag.start ?? ''}\u0000${tag.end ?? ''}\u0000${tag.track ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}
