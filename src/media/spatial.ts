// What the file itself says about its picture (issue 14 item 1): ffprobe's stream side data,
// "Stereo 3D" (MP4 st3d, Matroska StereoMode) and "Spherical Mapping" (MP4 sv3d from VR180
// cameras, Insta360/GoPro exports and Google's spatial-media injector; Matroska Projection), and
// the Matroska `stereo_mode` tag when no side data was made of it. Pure: ffprobe's JSON in, the
// library's SpatialMeta out. Tables, one row per value ffprobe prints (libavutil stereo3d.c and
// spherical.c names; Matroska StereoMode names from libavformat/matroska.c).
import type { SpatialMeta, Stereo } from '../library/model.ts';

/** Stereo 3D side data `type` -> layout. Packings no player shows (frame sequence, checkerboard...) read as one view. */
const STEREO_TYPES: Readonly<Record<string, { stereo: Stereo } | undefined>> = {
  '2D': { stereo: 'mono' },
  'side by side': { stereo: 'sbs' },
  'side by side (quincunx subsampling)': { stereo: 'sbs' },
  'top and bottom': { stereo: 'tb' },
  'frame alternate': { stereo: 'mono' },
  'frame sequence': { stereo: 'mono' },
  checkerboard: { stereo: 'mono' },
  'interleaved lines': { stereo: 'mono' },
  'interleaved columns': { stereo: 'mono' },
  // ffmpeg 7: MV-HEVC (Apple spatial video) decodes one view unless asked for both.
  unspecified: undefined,
};

/** Matroska StereoMode tag (when present without side data). block_* is MVC: one decoded view. */
const MKV_STEREO: Readonly<Record<string, { stereo: Stereo; eyeSwapped: boolean }>> = {
  mono: { stereo: 'mono', eyeSwapped: false },
  left_right: { stereo: 'sbs', eyeSwapped: false },
  right_left: { stereo: 'sbs', eyeSwapped: true },
  top_bottom: { stereo: 'tb', eyeSwapped: false },
  bottom_top: { stereo: 'tb', eyeSwapped: true },
  block_lr: { stereo: 'mono', eyeSwapped: false },
  block_rl: { stereo: 'mono', eyeSwapped: false },
};

export interface SideDataStream {
  width?: number;
  height?: number;
  tags?: Record<string, string | undefined>;
  side_data_list?: Array<Record<string, unknown>>;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * Field of view of an equirectangular picture from its pixel bounds (ffprobe prints the tile
 * bounds against the full sphere frame): the visible share of 360° wide. VR180 = 180.
 */
function equirectFov(d: Record<string, unknown>, width: number): number {
  const l = num(d.bound_left);
  const r = num(d.bound_right);
  if (!(width > 0) || l + r <= 0) return 360;
  return Math.round((360 * width) / (width + l + r));
}

/** Spherical Mapping `projection` -> family (ffmpeg 6 and 7 names). */
function sphericalFamily(d: Record<string, unknown>, width: number): Pick<SpatialMeta, 'family' | 'fov'> | null {
  switch (d.projection) {
    case 'equirectangular':
      return { family: '360', fov: 360 };
    case 'tiled equirectangular': {
      const fov = equirectFov(d, width);
      return fov >= 300 ? { family: '360', fov: 360 } : { family: '180', fov: fov >= 170 && fov <= 190 ? 180 : fov };
    }
    case 'half equirectangular':
      return { family: '180', fov: 180 };
    case 'cubemap':
      return { family: 'cubemap', fov: 360 };
    case 'fisheye':
      return { family: 'fisheye', fov: 180 };
    case 'rectilinear':
      return { family: 'flat' };
    default:
      return null; // mesh and unknown mappings: the file does not say anything we can show
  }
}

/** The file's own statement about stereo layout and projection; null when it makes none. */
export function spatialOf(stream: SideDataStream): SpatialMeta | null {
  const out: SpatialMeta = {};
  for (const d of stream.side_data_list ?? []) {
    if (d.side_data_type === 'Stereo 3D' && typeof d.type === 'string') {
      const row = STEREO_TYPES[d.type];
      if (row) {
        out.stereo = row.stereo;
        if (row.stereo !== 'mono' && num(d.inverted) === 1) out.eyeSwapped = true;
      }
    } else if (d.side_data_type === 'Spherical Mapping') {
      const fam = sphericalFamily(d, stream.width ?? 0);
      if (fam) Object.assign(out, fam);
    }
  }
  const tag = stream.tags?.stereo_mode ?? stream.tags?.STEREO_MODE;
  const mkv = typeof tag === 'string' ? MKV_STEREO[tag.toLowerCase()] : undefined;
  if (out.stereo === undefined && mkv) {
    out.stereo = mkv.stereo;
    if (mkv.eyeSwapped) out.eyeSwapped = true;
  }
  return out.stereo === undefined && out.family === undefined ? null : out;
}
