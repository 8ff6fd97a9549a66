// Where on the video frame a viewing direction lands, for every projection the library knows
// (src/library/projection.ts decides the projection; this file only draws it). Pure numbers, no
// DOM and no WebGL, so the rules are unit-tested against known points (test/web.vr.math.test.ts)
// and the renderer (mesh.ts) only bakes them into texture coordinates once per video.
//
// Conventions: WebGL/WebXR space, right-handed, looking down -z, +y up, +x right. Texture
// coordinates are image coordinates of the whole frame: (0,0) the top-left pixel, (1,1) the
// bottom-right (the renderer uploads frames unflipped, so t=0 is the first row).
//
// Two steps: `eyeUv` maps a direction into one eye's picture ([0,1]² of that eye, or null when
// the direction is outside what was filmed), `eyeRect` says where that eye's picture sits in
// the frame (side-by-side, top-bottom, swapped). `texCoord` chains them.

export type Mapping = 'equirect180' | 'equirect360' | 'fisheye' | 'screen';
export type Layout = 'mono' | 'sbs' | 'tb';
export type Eye = 'left' | 'right';
export type LensName = 'Linear' | 'MKX200' | 'MKX220' | 'VRCA220';

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}
export interface Uv {
  u: number;
  v: number;
}
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The projection fields of the browser JSON (`VideoDetail.projection`, model.ts ProjectionGuess). */
export interface ProjectionFacts {
  projection: string;
  stereo: string;
  fov: number;
  lens: string;
  eyeSwapped: boolean;
}

/** How to draw one video: derived from the model's facts plus the frame size. */
export interface ViewSpec {
  mapping: Mapping;
  layout: Layout;
  eyeSwapped: boolean;
  /** Degrees of the fisheye circle (180..220) or of the equirectangular span (180/360). */
  fov: number;
  lens: LensName;
  /** Virtual screen only: width / height of what one eye should see. */
  screenAspect: number;
}

/**
 * Fisheye lens curves: image radius as a function of the angle off the lens axis, both
 * normalised (radius 1 = the circle's edge, angle 1 = half the FOV). One row per lens.
 * - Linear: the ideal equidistant ("f-theta", equiangular) fisheye r = k·θ (P. Corke, Robotics,
 *   Vision & Control, §13.3.1; machinevisiontoolbox FishEyeCamera 'equiangular'). HereSphere
 *   calls the ideal lens "Linear" and uses it with fov 190 for Canon RF5.2 (heresphere-protocol.md
 *   §1.7); Paul Bourke measured the RF5.2 circle as "rated as 190 degrees at that circle"
 *   (paulbourke.net/stereographics/Canon_RF_dual_fisheye, 2021), so edge = FOV edge holds.
 * - MKX200 (iZugar MKX200, 200°), MKX220 (iZugar MKX22, 220°), VRCA220 (220°): neither the lens
 *   makers nor HereSphere/DeoVR publish their curves (HereSphere's lens profiles are built in,
 *   DeoVR's docs name only the screenType "mkx200"; searched 2026-12). Both are sold as
 *   equidistant fisheyes, so the rows use the f-theta curve with the lens's own FOV: the circle
 *   edge lands on the FOV edge exactly, the centre exactly, and in between within the lens's
 *   deviation from f-theta. A measured curve replaces `radius` in its row and nothing else.
 */
export const LENSES: Readonly<Record<LensName, { radius: (t: number) => number }>> = {
  Linear: { radius: (t) => t },
  MKX200: { radius: (t) => t },
  MKX220: { radius: (t) => t },
  VRCA220: { radius: (t) => t },
};

/** Distance of the virtual screen for flat (3D) films, metres; the screen is 2.6 m wide. */
export const SCREEN_DISTANCE = 3;
export const SCREEN_WIDTH = 2.6;

const DEG = Math.PI / 180;

/** Where one eye's picture sits in the frame. The left eye gets the left/top half unless swapped
 *  (`_RL` / `_BT` releases put the right eye first). Mono: both eyes see the whole frame. */
export function eyeRect(layout: Layout, eye: Eye, swapped: boolean): Rect {
  if (layout === 'mono') return { x: 0, y: 0, w: 1, h: 1 };
  const first = (eye === 'left') !== swapped;
  if (layout === 'sbs') return { x: first ? 0 : 0.5, y: 0, w: 0.5, h: 1 };
  return { x: 0, y: first ? 0 : 0.5, w: 1, h: 0.5 };
}

function normalise(d: Vec3): Vec3 {
  const n = Math.hypot(d.x, d.y, d.z) || 1;
  return { x: d.x / n, y: d.y / n, z: d.z / n };
}

/** Longitude (0 straight ahead, +π/2 to the right) and latitude (+π/2 up) of a direction. */
export function lonLat(dir: Vec3): { lon: number; lat: number } {
  const d = normalise(dir);
  // At the poles longitude means nothing; 0 keeps "straight up" in the middle column.
  const lon = Math.hypot(d.x, d.z) < 1e-12 ? 0 : Math.atan2(d.x, -d.z);
  return { lon, lat: Math.asin(Math.max(-1, Math.min(1, d.y))) };
}

/** The direction of a longitude/latitude pair (inverse of lonLat). */
export function fromLonLat(lon: number, lat: number): Vec3 {
  return { x: Math.cos(lat) * Math.sin(lon), y: Math.sin(lat), z: -Math.cos(lat) * Math.cos(lon) };
}

/** Screen height for a width / height aspect. */
export function screenHeight(aspect: number): number {
  return SCREEN_WIDTH / (aspect > 0 ? aspect : 16 / 9);
}

/** A direction inside one eye's picture ([0,1]², v down), or null when nothing was filmed there. */
export function eyeUv(spec: ViewSpec, dir: Vec3): Uv | null {
  const d = normalise(dir);
  switch (spec.mapping) {
    case 'equirect360': {
      const { lon, lat } = lonLat(d);
      return { u: 0.5 + lon / (2 * Math.PI), v: 0.5 - lat / Math.PI };
    }
    case 'equirect180': {
      const { lon, lat } = lonLat(d);
      if (Math.abs(lon) > Math.PI / 2 + 1e-9) return null;
      return { u: 0.5 + lon / Math.PI, v: 0.5 - lat / Math.PI };
    }
    case 'fisheye': {
      const half = (spec.fov / 2) * DEG;
      const theta = Math.acos(Math.max(-1, Math.min(1, -d.z)));
      if (theta > half + 1e-9) return null;
      const r = 0.5 * LENSES[spec.lens].radius(theta / half);
      const rho = Math.hypot(d.x, d.y);
      if (rho < 1e-12) return { u: 0.5, v: 0.5 };
      return { u: 0.5 + (r * d.x) / rho, v: 0.5 - (r * d.y) / rho };
    }
    case 'screen': {
      if (d.z >= -1e-9) return null;
      const t = SCREEN_DISTANCE / -d.z;
      const u = 0.5 + (d.x * t) / SCREEN_WIDTH;
      const v = 0.5 - (d.y * t) / screenHeight(spec.screenAspect);
      return u < 0 || u > 1 || v < 0 || v > 1 ? null : { u, v };
    }
  }
}

/** Frame texture coordinate seen by `eye` looking along `dir`; null outside the picture. */
export function texCoord(spec: ViewSpec, eye: Eye, dir: Vec3): Uv | null {
  const p = eyeUv(spec, dir);
  if (!p) return null;
  const r = eyeRect(spec.layout, eye, spec.eyeSwapped);
  return { u: r.x + p.u * r.w, v: r.y + p.v * r.h };
}

const LENS_NAMES: ReadonlySet<string> = new Set(Object.keys(LENSES));

/** Stereo layouts where each eye is a half of the frame; else the frame is one picture. */
function layoutOf(stereo: string): Layout {
  return stereo === 'sbs' || stereo === 'tb' ? stereo : 'mono';
}

/**
 * The drawing recipe for a video, or null when the browser's ordinary player is the right one
 * (flat 2D) or the projection has no renderer here yet (cubemaps). Frame size (0 until probed)
 * only matters for flat 3D films: half-width SBS / half-height TB packs ("HSBS", "HOU") are shown
 * at the frame's aspect, full-size packs at one eye's.
 */
export function viewSpec(p: ProjectionFacts, width = 0, height = 0): ViewSpec | null {
  const layout = layoutOf(p.stereo);
  const lens = (LENS_NAMES.has(p.lens) ? p.lens : 'Linear') as LensName;
  const base = { layout, eyeSwapped: p.eyeSwapped && layout !== 'mono', lens, screenAspect: 16 / 9 };
  switch (p.projection) {
    case 'equirectangular':
      return { ...base, mapping: p.fov >= 360 ? 'equirect360' : 'equirect180', fov: p.fov >= 360 ? 360 : 180 };
    case 'equirectangular360':
      return { ...base, mapping: 'equirect360', fov: 360 };
    case 'fisheye':
      return { ...base, mapping: 'fisheye', fov: p.fov > 0 ? p.fov : 180 };
    case 'perspective': {
      if (layout === 'mono') return null;
      return { ...base, mapping: 'screen', fov: 90, screenAspect: screenAspectOf(layout, width, height) };
    }
    default:
      return null;
  }
}

function screenAspectOf(layout: Layout, width: number, height: number): number {
  if (!(width > 0 && height > 0)) return 16 / 9;
  const frame = width / height;
  const eye = layout === 'sbs' ? frame / 2 : layout === 'tb' ? frame * 2 : frame;
  // A film-shaped eye (1.2..2.5) is a full-size pack; a squeezed one is a half pack.
  return eye >= 1.2 && eye <= 2.5 ? eye : frame;
}
