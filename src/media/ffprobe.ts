// ffprobe a source once: duration, frame size, codec and frame rate become a `MediaProbe` that is
// stored forever per (hash, path, bytes). Argument building and JSON parsing are pure.
import type { MediaProbe } from '../library/model.ts';
import { spatialOf, type SideDataStream } from './spatial.ts';

/**
 * Entries asked for: the format duration and, per stream, what a MediaProbe needs, including the
 * stereo/spherical side data and Matroska's stereo_mode tag (spatial.ts).
 */
const ENTRIES =
  'format=duration:stream=index,codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,duration:' +
  'stream_disposition=attached_pic:stream_tags=stereo_mode:stream_side_data';

export function probeArgs(input: string, net: readonly string[]): string[] {
  return ['-hide_banner', '-v', 'error', ...net, '-show_entries', ENTRIES, '-of', 'json', input];
}

interface ProbeStream extends SideDataStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
}

/** "30000/1001" -> 29.97; "0/0" or junk -> 0. */
export function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [n, d] = rate.split('/').map(Number);
  const v = d === undefined ? n! : d === 0 ? 0 : n! / d;
  return Number.isFinite(v) && v > 0 ? Math.round(v * 1000) / 1000 : 0;
}

/** Parses ffprobe's JSON; throws an Error whose message is a reason a human can read. */
export function parseProbe(json: string): MediaProbe {
  let data: { format?: { duration?: string }; streams?: ProbeStream[] };
  try {
    data = JSON.parse(json) as typeof data;
  } catch {
    throw new Error('ffprobe printed no readable answer');
  }
  const video = (data.streams ?? []).find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video) throw new Error('no video stream found');
  const seconds = Number(data.format?.duration ?? video.duration ?? NaN);
  const durationMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (durationMs === 0) throw new Error('duration unknown (not a seekable video?)');
  if (width <= 0 || height <= 0) throw new Error('frame size unknown');
  const fps = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  return { durationMs, width, height, codec: video.codec_name ?? 'unknown', fps, spatial: spatialOf(video) };
}
