// Formats the one `Video` model as DeoVR JSON (heresphere-protocol.md §5): the selection-scene
// library (short form: list items point at per-video JSON) and the per-video object. Only
// formatting lives here; projection, titles and sections are decided in src/library.
//
// Projection mapping (§5.6), ONE table keyed by the model's projection facts, first row wins.
// stereoMode comes from the model's stereo (mono → off, sbs → sbs, tb → tb) unless the row says
// otherwise, and is3d is true exactly when the video is stereo (DEO-DOC: false forces mono).
//
// | model facts                          | screenType  | stereoMode | why                              |
// |--------------------------------------|-------------|------------|----------------------------------|
// | perspective (flat, flat 3D)          | flat        | (stereo)   | DEO-DOC                          |
// | equirectangular (180°)               | dome        | (stereo)   | DEO-DOC                          |
// | equirectangular360                   | sphere      | (stereo)   | DEO-DOC                          |
// | fisheye + rf52 (Canon RF5.2, 190°)   | rf52        | cuv        | DEO-DOC: cuv is "Canon RF52      |
// |                                      |             |            | only"; SVR agrees (XBVR: sbs)    |
// | fisheye + lens MKX200                | mkx200      | (stereo)   | DEO-DOC                          |
// | fisheye + lens MKX220                | mkx220      | (stereo)   | XBVR; its own lens, NOT mkx200   |
// |                                      |             |            | (the ancestor's bug, §3.2)       |
// | fisheye + lens VRCA220               | vrca220     | (stereo)   | XBVR                             |
// | fisheye, 190° (fisheye190, not RF52) | fisheye190  | (stereo)   | XBVR/SVR send it and DeoVR's own |
// |                                      |             |            | file naming knows `_fisheye190`; |
// |                                      |             |            | `fisheye` would bend a 190° lens |
// | fisheye (180°)                       | fisheye     | (stereo)   | DEO-DOC                          |
// | equiangularCubemap / cubemap         | flat        | (stereo)   | DeoVR has no cubemap mode: a flat|
// |                                      |             |            | screen shows the frame as it is, |
// |                                      |             |            | a sphere would scramble it       |
//
// Not sent: subtitles (no DeoVR field in any source read), eye swap (no DeoVR field).
import type { Lens, Projection, ProjectionGuess, Section, Stereo, Video, VideoFile } from '../../library/model.ts';
import { deovrNumericId } from '../../library/ids.ts';
import { paths } from '../urls.ts';
import type { CachedBody, GzipJsonLists } from '../cached-json.ts';

export type ScreenType = 'flat' | 'dome' | 'sphere' | 'fisheye' | 'fisheye190' | 'mkx200' | 'mkx220' | 'vrca220' | 'rf52';
export type StereoMode = 'off' | 'sbs' | 'tb' | 'cuv';

export interface ScreenRow {
  projection: Projection;
  lens?: Lens;
  fov?: number;
  rf52?: boolean;
  screenType: ScreenType;
  /** Replaces the stereo layout for stereo videos (RF52's custom UV). */
  stereoMode?: StereoMode;
}

export const SCREEN_TABLE: ReadonlyArray<ScreenRow> = [
  { projection: 'perspective', screenType: 'flat' },
  { projection: 'equirectangular', screenType: 'dome' },
  { projection: 'equirectangular360', screenType: 'sphere' },
  { projection: 'fisheye', rf52: true, screenType: 'rf52', stereoMode: 'cuv' },
  { projection: 'fisheye', lens: 'MKX200', screenType: 'mkx200' },
  { projection: 'fisheye', lens: 'MKX220', screenType: 'mkx220' },
  { projection: 'fisheye', lens: 'VRCA220', screenType: 'vrca220' },
  { projection: 'fisheye', fov: 190, screenType: 'fisheye190' },
  { projection: 'fisheye', screenType: 'fisheye' },
  { projection: 'equiangularCubemap', screenType: 'flat' },
  { projection: 'cubemap', screenType: 'flat' },
];

const STEREO_MODE: Record<Stereo, StereoMode> = { mono: 'off', sbs: 'sbs', tb: 'tb' };

export interface DeoScreen {
  screenType: ScreenType;
  stereoMode: StereoMode;
  is3d: boolean;
}

export function deovrScreen(p: Pick<ProjectionGuess, 'projection' | 'stereo' | 'fov' | 'lens' | 'rf52'>): DeoScreen {
  const row: Pick<ScreenRow, 'screenType' | 'stereoMode'> =
    SCREEN_TABLE.find(
      (r) =>
        r.projection === p.projection &&
        (r.lens === undefined || r.lens === p.lens) &&
        (r.fov === undefined || r.fov === p.fov) &&
        (r.rf52 === undefined || r.rf52 === p.rf52),
    ) ?? { screenType: 'flat' };
  const is3d = p.stereo !== 'mono';
  return { screenType: row.screenType, stereoMode: is3d ? (row.stereoMode ?? STEREO_MODE[p.stereo]) : 'off', is3d };
}

/** ffprobe codec names → DeoVR encoding names (DEO-DOC uses h264/h265). */
const CODEC_NAMES: Record<string, string> = { h264: 'h264', avc: 'h264', avc1: 'h264', hevc: 'h265', h265: 'h265', vp9: 'vp9', av1: 'av1', vp8: 'vp8' };

export function encodingName(codec: string | undefined): string {
  const c = (codec ?? '').toLowerCase();
  return CODEC_NAMES[c] ?? (/^[a-z0-9_-]{1,20}$/.test(c) ? c : 'h264');
}

/** DeoVR wants whole seconds (DEO-DOC); 0 until probed. */
export function seconds(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0;
}

/** Absolute URL of a path players fetch without headers (signed when auth is on). */
export interface DeoUrls {
  asset: (path: string) => string;
}

export interface DeoListItem {
  title: string;
  videoLength: number;
  thumbnailUrl: string;
  video_url: string;
}

export interface DeoLibrary {
  scenes: Array<{ name: string; list: DeoListItem[] }>;
  authorized: string;
}

export function formatListItem(v: Video, u: DeoUrls): DeoListItem {
  return {
    title: v.title,
    videoLength: seconds(v.durationMs),
    thumbnailUrl: u.asset(paths.thumb(v.id)),
    // Signed like an asset when auth is on: newer DeoVR versions do not reliably re-send the
    // login form (§5.4), so the video JSON must open from its URL alone.
    video_url: u.asset(paths.deovrVideo(v.id)),
  };
}

/**
 * Short-form library (§5.2), `{"scenes":[{"name","list"}…],"authorized":"1"}`: one scene (tab) per
 * section, unknown ids skipped. Built as compressed chunks (GzipJsonLists) so that a probe or a
 * rating re-formats the few entries it touched, not all 50,000.
 */
export function buildLibraryBody(
  lists: GzipJsonLists<Video>,
  sections: readonly Section[],
  lookup: (id: string) => Video | null,
  u: DeoUrls,
): CachedBody {
  const scenes = sections.map((s) => ({
    key: s.name,
    head: `{"name":${JSON.stringify(s.name)},"list":`,
    items: s.videoIds.flatMap((id) => lookup(id) ?? []),
    tail: '}',
  }));
  return lists.build('{"scenes":[', scenes, '],"authorized":"1"}', (v) => formatListItem(v, u));
}

/** A library-shaped answer with one message as its only (empty) scene: DeoVR needs ≥ 1 scene. */
export function messageLibrary(message: string, authorized = '1'): DeoLibrary {
  return { scenes: [{ name: message, list: [] }], authorized };
}

function encoding(v: Video, f: VideoFile, index: number, count: number, u: DeoUrls) {
  const codec = encodingName(f.probe?.codec);
  const height = f.probe?.height ?? 0;
  return {
    // One encoding per file: DeoVR treats several sources of one encoding as qualities of the
    // same video, which would turn a multi-part torrent into a confusing quality picker.
    name: count > 1 ? `Part ${index + 1}/${count} (${codec})` : codec,
    videoSources: [{ resolution: height, height, width: f.probe?.width ?? 0, size: f.bytes, url: u.asset(paths.play(v.id, f.fileId)) }],
  };
}

function timeStamps(v: Video, videoLength: number): Array<{ ts: number; name: string }> {
  return v.user.tags
    // Whole-video tags (no start; start 0 / end 0 as stored by older versions) are not chapters.
    .filter((t) => typeof t.start === 'number' && Number.isFinite(t.start) && t.start >= 0 && !(t.start === 0 && !t.end) && t.name.trim() !== '')
    .map((t) => ({ ts: Math.floor((t.start as number) / 1000), name: t.name }))
    .filter((t) => t.ts <= videoLength)
    .sort((a, b) => a.ts - b.ts);
}

/** The per-video object (§5.3). Media URLs go through /play: nothing is unrestricted here. */
export function formatVideo(v: Video, u: DeoUrls) {
  const videoLength = seconds(v.durationMs);
  const playable = v.videos.filter((f) => f.playable);
  // timeStamps only work with videoLength (DEO-DOC), so they wait for the probe.
  const stamps = videoLength > 0 ? timeStamps(v, videoLength) : [];
  return {
    // Small and stable (store video_numbers); the hash prefix only until the store numbered it.
    id: v.number > 0 ? v.number : deovrNumericId(v.hash),
    title: v.title,
    authorized: '1',
    fullAccess: true,
    fullVideoReady: true,
    videoLength,
    ...deovrScreen(v.projection),
    thumbnailUrl: u.asset(paths.thumb(v.id)),
    videoPreview: u.asset(paths.preview(v.id)),
    isFavorite: v.user.favorite,
    encodings: playable.map((f, i) => encoding(v, f, i, playable.length, u)),
    ...(stamps.length > 0 ? { timeStamps: stamps } : {}),
    // SVR's passthrough flag (unverified against a headset; ignored by DeoVR when unknown).
    ...(v.projection.alpha ? { chromaKey: { hasAlpha: true } } : {}),
  };
}

/** A per-video answer for a request without (valid) credentials: the flag and no data (§5.4). */
export function unauthorizedVideo(authorized: string) {
  return { authorized };
}
