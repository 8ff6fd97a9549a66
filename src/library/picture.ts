// What a frame looks like (issue 14 item 2): pure functions over the raw gray pixels of the frame
// the thumbnail is made of (the thumbnail job writes them next to the JPEG, media/thumbnail.ts),
// so no extra download is needed. The checks, in order:
//
// | check                                               | verdict                               |
// |-----------------------------------------------------|---------------------------------------|
// | almost no contrast (black intro, fade)              | none: the frame tells nothing         |
// | left and right halves nearly alike (small shifts    | stereo sbs                            |
// | allowed for parallax), top and bottom not            |                                       |
// | top and bottom halves nearly alike, left/right not   | stereo tb                             |
// | neither                                             | mono                                  |
// | both, or an eye alike to itself a quarter frame on  | none (bars, gradients, test patterns) |
// | dark outside the ellipse inscribed in each eye, the | shape fisheye                         |
// | ring just inside it lit all round                   |                                       |
// | an eye of 2:1 whose left and right edges continue   | shape 360                             |
// | into each other (and carry picture, not bars)       |                                       |
// | a stereo frame of 2:1 (SBS) or 1:2 (TB): square eyes| shape 180                             |
// | none of these                                       | shape flat                            |
//
// Thresholds are relative to the frame's own contrast, so dark and bright scenes judge alike.
import type { PictureVerdict, Stereo } from './model.ts';

/** The gray frame the thumbnail job writes: fixed size whatever the video's aspect. */
export const PICTURE_WIDTH = 128;
export const PICTURE_HEIGHT = 128;

export interface GrayFrame {
  width: number;
  height: number;
  /** One byte per pixel, row by row. */
  pixels: Uint8Array;
}

/** Below this standard deviation (0-255) the frame is too flat to judge. */
const MIN_CONTRAST = 10;
/** Halves whose difference is below this share of the frame's own spread are "alike". */
const ALIKE = 0.3;
/** ...and above this share "not alike" (between the two: unsure, no stereo verdict). */
const UNLIKE = 0.55;
/** A pixel darker than this is black (codec noise stays below it). */
const DARK = 24;

function at(f: GrayFrame, x: number, y: number): number {
  return f.pixels[y * f.width + x] ?? 0;
}

function spread(f: GrayFrame): number {
  let sum = 0;
  for (const p of f.pixels) sum += p;
  const mean = sum / f.pixels.length;
  let dev = 0;
  for (const p of f.pixels) dev += Math.abs(p - mean);
  return dev / f.pixels.length;
}

/**
 * Mean absolute difference of two equal regions (second moved by dx, dy), the best over small
 * shifts: the eyes of a stereo pair differ by parallax, a few pixels at this size.
 */
function halvesDifference(f: GrayFrame, w: number, h: number, ox: number, oy: number, maxDx: number, maxDy: number): number {
  let best = Infinity;
  for (let dy = -maxDy; dy <= maxDy; dy++) {
    for (let dx = -maxDx; dx <= maxDx; dx++) {
      let sum = 0;
      let n = 0;
      for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
        for (let x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) {
          sum += Math.abs(at(f, x, y) - at(f, ox + x + dx, oy + y + dy));
          n++;
        }
      }
      if (n > 0) best = Math.min(best, sum / n);
    }
  }
  return best;
}

/** sbs, tb, mono, or null when the frame cannot say. */
export function stereoOfFrame(f: GrayFrame): Stereo | null {
  const s = spread(f);
  if (s < MIN_CONTRAST * 0.8) return null;
  const hw = Math.floor(f.width / 2);
  const hh = Math.floor(f.height / 2);
  const lr = halvesDifference(f, hw, f.height, hw, 0, 3, 1) / s;
  const tb = halvesDifference(f, f.width, hh, 0, hh, 3, 1) / s;
  // Content that does not change along an axis (vertical bars, a gradient, test patterns) makes
  // any two halves across it alike: an eye must differ from itself moved by a quarter frame.
  const qw = Math.floor(hw / 2);
  const qh = Math.floor(hh / 2);
  const acrossX = halvesDifference(f, qw, f.height, qw, 0, 0, 0) / s;
  const acrossY = halvesDifference(f, f.width, qh, 0, qh, 0, 0) / s;
  const sbs = lr < ALIKE && tb > UNLIKE && acrossX > UNLIKE;
  const top = tb < ALIKE && lr > UNLIKE && acrossY > UNLIKE;
  if (sbs) return 'sbs';
  if (top) return 'tb';
  if (lr > UNLIKE && tb > UNLIKE) return 'mono';
  return null; // a repeating or uniform pattern, or unsure: no verdict
}

interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Dark outside the inscribed ellipse, lit on a ring just inside it: a fisheye circle. */
function isCircle(f: GrayFrame, r: Region): boolean {
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  let outside = 0;
  let outsideDark = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let x = r.x; x < r.x + r.w; x++) {
      const nx = (x + 0.5 - cx) / (r.w / 2);
      const ny = (y + 0.5 - cy) / (r.h / 2);
      if (nx * nx + ny * ny > 1.12) {
        outside++;
        if (at(f, x, y) < DARK) outsideDark++;
      }
    }
  }
  if (outside === 0 || outsideDark / outside < 0.95) return false;
  let lit = 0;
  const RAYS = 16;
  for (let i = 0; i < RAYS; i++) {
    const a = (2 * Math.PI * i) / RAYS;
    let best = 0;
    for (const k of [0.8, 0.86, 0.92]) {
      const x = Math.min(r.x + r.w - 1, Math.max(r.x, Math.floor(cx + Math.cos(a) * k * (r.w / 2))));
      const y = Math.min(r.y + r.h - 1, Math.max(r.y, Math.floor(cy + Math.sin(a) * k * (r.h / 2))));
      best = Math.max(best, at(f, x, y));
    }
    if (best >= DARK * 1.5) lit++;
  }
  return lit >= RAYS - 2;
}

/** The left and right edges of a region continue into each other (a full 360° turn). */
function edgesContinue(f: GrayFrame, r: Region, s: number): boolean {
  let edge = 0;
  let across = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    const left = at(f, r.x, y);
    const right = at(f, r.x + r.w - 1, y);
    edge += Math.abs(left - right);
    across += Math.abs(left - at(f, r.x + Math.floor(r.w / 2), y));
  }
  edge /= r.h;
  across /= r.h;
  // Plain edges (black bars, a studio wall) "continue" trivially: they must carry picture.
  let mean = 0;
  for (let y = r.y; y < r.y + r.h; y++) mean += at(f, r.x, y);
  mean /= r.h;
  let texture = 0;
  for (let y = r.y; y < r.y + r.h; y++) texture += Math.abs(at(f, r.x, y) - mean);
  texture /= r.h;
  return texture >= 0.4 * s && edge < 0.35 * s && edge < 0.5 * across;
}

/**
 * The verdict for a frame, given the video's real frame size (the gray frame is squeezed to a
 * fixed size); null when the frame is too flat to say anything.
 */
export function analyzePicture(f: GrayFrame, videoWidth: number, videoHeight: number): PictureVerdict | null {
  if (f.width < 16 || f.height < 16 || f.pixels.length < f.width * f.height || !(videoWidth > 0) || !(videoHeight > 0)) return null;
  const s = spread(f);
  if (s < MIN_CONTRAST) return null;
  const stereo = stereoOfFrame(f);
  if (stereo === null) return null;
  const eyes: Region[] =
    stereo === 'sbs'
      ? [{ x: 0, y: 0, w: f.width / 2, h: f.height }, { x: f.width / 2, y: 0, w: f.width / 2, h: f.height }]
      : stereo === 'tb'
        ? [{ x: 0, y: 0, w: f.width, h: f.height / 2 }, { x: 0, y: f.height / 2, w: f.width, h: f.height / 2 }]
        : [{ x: 0, y: 0, w: f.width, h: f.height }];
  const eyeAspect = (videoWidth / videoHeight) * (stereo === 'sbs' ? 0.5 : stereo === 'tb' ? 2 : 1);
  if (eyes.every((e) => isCircle(f, e))) return { stereo, shape: 'fisheye' };
  if (Math.abs(eyeAspect - 2) <= 0.1 && edgesContinue(f, eyes[0] as Region, s)) return { stereo, shape: '360' };
  if (stereo !== 'mono' && Math.abs(eyeAspect - 1) <= 0.05) return { stereo, shape: '180' };
  return { stereo, shape: 'flat' };
}
