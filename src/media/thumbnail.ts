// The thumbnail command: one JPEG frame, ~640 px wide, one eye of a stereo video, taken 15% into
// the video (past black intros and logos). `-ss` before `-i` with `-noaccurate_seek` makes ffmpeg
// jump to the keyframe before that point and decode just it, so only the index and one keyframe
// are read from the CDN. The same decoded frame, whole and gray, can go to a second output for the
// picture analysis. Pure: tested without ffmpeg.
import type { Stereo } from '../library/model.ts';
import { PICTURE_HEIGHT, PICTURE_WIDTH } from '../library/picture.ts';
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
  /**
   * Also write the whole frame (both eyes) as raw gray pixels, PICTURE_WIDTH x PICTURE_HEIGHT, to
   * this file for the picture analysis (library/picture.ts): same decode, no extra download.
   */
  pictureOut?: string;
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
    ...(a.pictureOut === undefined ? [] : [
      '-map', '0:V:0', '-an', '-sn', '-dn', '-frames:v', '1',
      '-vf', `scale=${PICTURE_WIDTH}:${PICTURE_HEIGHT},format=gray`,
      '-f', 'rawvideo', a.pictureOut,
    ]),
  ];
}
