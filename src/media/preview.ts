// The hover preview command: a short, muted H.264 MP4 stitched from a few moments across the video
// (one eye of a stereo video). Each moment is its own input with its own `-ss ... -t ...` so ffmpeg
// fetches just those ranges, never the whole file; the concat filter joins them. Pure: tested
// without ffmpeg.
import type { Stereo } from '../library/model.ts';
import { eyeScaleFilter, seconds } from './args.ts';

export const PREVIEW_WIDTH = 480;
export const PREVIEW_MOMENTS = 5;
export const PREVIEW_CLIP_MS = 1500;
export const PREVIEW_FPS = 24;

export interface Moment {
  startMs: number;
  lengthMs: number;
}

/**
 * `count` moments spread evenly between 10% and 90% of the video. A video too short for them not to
 * overlap gives one clip from the start, at most `count * clipMs` long. Unknown duration: one clip from 0.
 */
export function previewMoments(durationMs: number, count = PREVIEW_MOMENTS, clipMs = PREVIEW_CLIP_MS): Moment[] {
  if (!(durationMs > 0)) return [{ startMs: 0, lengthMs: count * clipMs }];
  if (durationMs * 0.8 < (count + 1) * clipMs) return [{ startMs: 0, lengthMs: Math.min(durationMs, count * clipMs) }];
  const from = durationMs * 0.1;
  const to = durationMs * 0.9 - clipMs;
  return Array.from({ length: count }, (_, i) => ({
    startMs: Math.round(from + ((to - from) * i) / Math.max(1, count - 1)),
    lengthMs: clipMs,
  }));
}

export interface PreviewArgs {
  /** One URL per moment (the relay wants one input URL per ffmpeg input). */
  inputs: readonly string[];
  net: readonly string[];
  moments: readonly Moment[];
  stereo: Stereo;
  out: string;
  width?: number;
}

export function previewArgs(a: PreviewArgs): string[] {
  if (a.inputs.length !== a.moments.length) throw new Error('previewArgs: one input per moment');
  const inputs = a.moments.flatMap((m, i) => [...a.net, '-ss', seconds(m.startMs), '-t', seconds(m.lengthMs), '-i', a.inputs[i]!]);
  const chain = `${eyeScaleFilter(a.stereo, a.width ?? PREVIEW_WIDTH)},fps=${PREVIEW_FPS},setsar=1,format=yuv420p,setpts=PTS-STARTPTS`;
  const legs = a.moments.map((_, i) => `[${i}:V:0]${chain}[v${i}]`);
  const joined = `${a.moments.map((_, i) => `[v${i}]`).join('')}concat=n=${a.moments.length}:v=1:a=0[out]`;
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    ...inputs,
    '-filter_complex', `${legs.join(';')};${joined}`,
    '-map', '[out]', '-an', '-sn', '-dn',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-pix_fmt', 'yuv420p',
    '-movflags', '+faststart',
    '-f', 'mp4', a.out,
  ];
}
