// Thumbnails with the funscript heatmap drawn in (issue 17, THUMB_HEATMAP): XBVR shows the strip on
// its thumbnails (/imghm/), and in a headset the thumbnail is all a library tab shows. Made from the
// plain thumbnail the pipeline already has plus the heatmap row of library/funscript.ts (the same
// colours as the browser's strip), composited by ffmpeg once per (video, heat, plain thumbnail) and
// kept next to the media cache. Never makes a request wait: get() answers what exists and queues
// the rest, one ffmpeg at a time. The plain thumbnail stays available at its own URL.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { heatmapRow, HEATMAP_SEGMENTS } from '../library/funscript.ts';
import { locateBinaries } from './binaries.ts';
import { runProcess } from './run.ts';

/** Strip height as a fraction of the thumbnail's height (at least 4 px). */
const STRIP_FRACTION = 1 / 20;
/** Pixels per segment of the raw row handed to ffmpeg (scaled to the thumbnail's width, nearest neighbour). */
const PX_PER_SEGMENT = 4;
const RUN_TIMEOUT_MS = 20_000;

export interface HeatThumbFile {
  file: string;
  etag: string;
  size: number;
}

export interface HeatThumbsOptions {
  dir: string;
  ffmpegPath: string | null;
  logger?: Logger;
}

/** ffmpeg arguments: the plain JPEG, the raw RGB row as a second input, the row stretched over the bottom edge. */
export function heatThumbArgs(plain: string, raw: string, rowWidth: number, out: string): string[] {
  const h = `max(4\\,ih*${STRIP_FRACTION})`;
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-i', plain,
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${rowWidth}x1`, '-i', raw,
    '-filter_complex', `[1][0]scale2ref=w=iw:h=${h}:flags=neighbor[strip][base];[base][strip]overlay=0:main_h-overlay_h`,
    '-frames:v', '1', '-q:v', '3', '-f', 'mjpeg', out,
  ];
}

export class HeatThumbs {
  private readonly pending = new Map<string, Promise<void>>();
  private chain: Promise<void> = Promise.resolve();
  private ffmpeg: Promise<string | null> | null = null;

  constructor(private readonly opts: HeatThumbsOptions) {}

  /** The composite when made; else null, and it is queued. `plainEtag` names the plain thumbnail it is made from. */
  get(videoId: string, heat: string, plainFile: string, plainEtag: string): HeatThumbFile | null {
    const name = `${videoId}-${createHash('sha1').update(`${heat}\u0000${plainEtag}`).digest('hex').slice(0, 16)}.jpg`;
    const file = join(this.opts.dir, name);
    try {
      const st = statSync(file);
      return { file, etag: `"h${name.slice(17, 33)}"`, size: st.size };
    } catch {
      if (!this.pending.has(file)) {
        const job = (this.chain = this.chain.then(() => this.make(heat, plainFile, file)).finally(() => this.pending.delete(file)));
        this.pending.set(file, job);
      }
      return null;
    }
  }

  /** Resolves when every queued composite is made (tests). */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()]);
  }

  private async make(heat: string, plain: string, out: string): Promise<void> {
    this.ffmpeg ??= locateBinaries({ ffmpegPath: this.opts.ffmpegPath, ffprobePath: null }).then((b) => b.ffmpeg?.path ?? null);
    const bin = await this.ffmpeg;
    if (!bin) return; // no ffmpeg: players keep the plain thumbnail
    mkdirSync(this.opts.dir, { recursive: true });
    const width = HEATMAP_SEGMENTS * PX_PER_SEGMENT;
    const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const raw = `${out}.${tag}.rgb`;
    const tmp = `${out}.${tag}.tmp`;
    try {
      writeFileSync(raw, heatmapRow(heat, width));
      const r = await runProcess(bin, heatThumbArgs(plain, raw, width, tmp), { timeoutMs: RUN_TIMEOUT_MS });
      if (r.code === 0) renameSync(tmp, out);
      else this.opts.logger?.warn({ code: r.code, stderr: r.stderrTail.slice(-300) }, 'could not draw the heatmap into a thumbnail');
    } finally {
      rmSync(raw, { force: true });
      rmSync(tmp, { force: true });
    }
  }
}
