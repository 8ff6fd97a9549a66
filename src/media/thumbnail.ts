// The thumbnail command: one JPEG frame, ~640 px wide, one eye of a stereo video, taken 15% into
// the video (past black intros and logos). `-ss` before `-i` with `-noaccurate_seek` makes ffmpeg
// jump to the keyframe before that point and decode just it, so only the index and one keyframe
// are read from the CDN. Pure: tested without ffmpeg.
import type { Stereo } from '../library/model.ts';
import { eyeScaleFilter, seconds } from './args.ts';

export const THUMB_WIDTH = 640;
/** Where the frame is taken, as a share of the duration. */
export const THUMB_AT = 0.15;

/** Milliseconds to seek to; 0 when the duration is unknown or the video is very short. */
export function thumbSeekMs(durationMs: number): number {
  if (!(durationMs > 2000)) return 0;
  return Math.round(Math.min(durationMs * THUMB_AT, durationMs - 1000));
}

export interface ThumbArgs {
  input: string;
  net: readonly string[];
  durationMs: number;
  stereo: Stereo;
  out: string;
  width?: number;
}

export function thumbArgs(a: ThumbArgs): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    ...a.net,
    // One decoding thread: frame threads would read several frames ahead for nothing.
    '-threads', '1',
    '-ss', seconds(thumbSeekMs(a.durationMs)), '-noaccurate_seek',
    '-i', a.input,
    '-map', '0:V:0', '-an', '-sn', '-dn',
    '-frames:v', '1',
    '-vf', eyeScaleFilter(a.stereo, a.width ?? THUMB_WIDTH),
    '-q:v', '3',
    '-f', 'mjpeg', a.out,
  ];
}
