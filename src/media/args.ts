// Pieces shared by every ffmpeg/ffprobe command line: network options for reading a source over
// HTTP, and the one-eye crop for stereo frames. Pure data and functions, tested without ffmpeg.
import type { Stereo } from '../library/model.ts';

/**
 * Input options for an HTTP source. Both bundled binaries (ffmpeg 2018 N-47683, ffprobe 2023)
 * accept these: `-rw_timeout` (µs) ends a stalled read, `-reconnect` resumes a dropped or short
 * body at the current offset (the relay relies on it: it answers every request with one bounded
 * range), `-reconnect_delay_max` caps the back-off between reconnects.
 */
export function netInputOptions(rwTimeoutMs = 30_000): string[] {
  return ['-reconnect', '1', '-reconnect_delay_max', '4', '-rw_timeout', String(Math.round(rwTimeoutMs * 1000))];
}

/** One eye of a stereo frame: left half for side-by-side, top half for top-bottom. */
export const EYE_CROP: Readonly<Record<Stereo, string | null>> = {
  mono: null,
  sbs: 'crop=iw/2:ih:0:0',
  tb: 'crop=iw:ih/2:0:0',
};

/** Crop to one eye (stereo), then scale to at most `width` px wide keeping the aspect (even height). */
export function eyeScaleFilter(stereo: Stereo, width: number): string {
  const scale = `scale=w='min(${width},iw)':h=-2`;
  const crop = EYE_CROP[stereo];
  return crop ? `${crop},${scale}` : scale;
}

/** Seconds with millisecond precision, as ffmpeg wants them on the command line. */
export function seconds(ms: number): string {
  return (Math.max(0, Math.round(ms)) / 1000).toFixed(3);
}
