// Real, short sample videos made with the bundled ffmpeg, for tests, benchmarks and the demo: the
// fake CDN serves them so ffprobe/ffmpeg read actual media over HTTP. Stereo samples have different
// content per eye (left: test pattern, right: a solid colour) so a test can tell one eye from two.
// Cached in os.tmpdir()/debridsphere-samples and only regenerated when missing; every file is
// written under a temporary name and renamed, so parallel test processes never see half a file.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateBinaries } from '../../src/media/binaries.ts';
import { describeFailure, runProcess, succeeded } from '../../src/media/run.ts';

export interface Sample {
  name: string;
  path: string;
  width: number;
  height: number;
  durationMs: number;
  stereo: 'mono' | 'sbs' | 'tb';
}

export interface Samples {
  flat: Sample;
  sbs180: Sample;
  tb360: Sample;
  fisheye: Sample;
  part1: Sample;
  part2: Sample;
  /** Path to an .srt subtitle file. */
  subtitleSrt: string;
  /** Path to a .funscript file. */
  funscript: string;
}

/** Bump when the recipes change so stale caches are not reused. */
const VERSION = 'v1';
export const SAMPLES_DIR = join(tmpdir(), 'debridsphere-samples', VERSION);

/** Colour of the right (sbs) / bottom (tb) eye: tests look for it to detect a doubled frame. */
export const OTHER_EYE_RGB: Readonly<[number, number, number]> = [32, 80, 192];
const OTHER_EYE_HEX = '0x2050c0';

interface Recipe {
  sample: Omit<Sample, 'path'>;
  audio: boolean;
  /** -filter_complex building [v] from lavfi sources (d = duration in seconds). */
  video: (d: number) => string;
}

const FPS = 24;
const eyeLeft = (w: number, h: number, d: number, src = 'testsrc2'): string => `${src}=s=${w}x${h}:r=${FPS}:d=${d}`;
const solid = (w: number, h: number, d: number): string => `color=c=${OTHER_EYE_HEX}:s=${w}x${h}:r=${FPS}:d=${d}`;

const RECIPES: Record<Exclude<keyof Samples, 'subtitleSrt' | 'funscript'>, Recipe> = {
  flat: { sample: { name: 'flat_movie.mp4', width: 640, height: 360, durationMs: 20_000, stereo: 'mono' }, audio: true, video: (d) => `${eyeLeft(640, 360, d)}[v]` },
  sbs180: {
    sample: { name: 'scene_180_sbs.mp4', width: 1280, height: 640, durationMs: 20_000, stereo: 'sbs' },
    audio: true,
    video: (d) => `${eyeLeft(640, 640, d)}[l];${solid(640, 640, d)}[r];[l][r]hstack=inputs=2[v]`,
  },
  tb360: {
    sample: { name: 'scene_360_tb.mp4', width: 640, height: 640, durationMs: 20_000, stereo: 'tb' },
    audio: true,
    video: (d) => `${eyeLeft(640, 320, d)}[t];${solid(640, 320, d)}[b];[t][b]vstack=inputs=2[v]`,
  },
  // No audio track (the one exception).
  fisheye: {
    sample: { name: 'scene_fisheye190_sbs.mp4', width: 1280, height: 640, durationMs: 10_000, stereo: 'sbs' },
    audio: false,
    video: (d) => `${eyeLeft(640, 640, d, 'testsrc')}[l];${solid(640, 640, d)}[r];[l][r]hstack=inputs=2[v]`,
  },
  part1: { sample: { name: 'movie.part1.mp4', width: 640, height: 360, durationMs: 10_000, stereo: 'mono' }, audio: true, video: (d) => `${eyeLeft(640, 360, d)}[v]` },
  part2: { sample: { name: 'movie.part2.mp4', width: 640, height: 360, durationMs: 10_000, stereo: 'mono' }, audio: true, video: (d) => `smptebars=s=640x360:r=${FPS}:d=${d}[v]` },
};

const SRT = `1
00:00:01,000 --> 00:00:04,000
Hello from the sample subtitle.

2
00:00:05,000 --> 00:00:08,000
Second line.
`;

const FUNSCRIPT = JSON.stringify({
  version: '1.0',
  inverted: false,
  range: 100,
  actions: Array.from({ length: 40 }, (_, i) => ({ at: i * 500, pos: i % 2 === 0 ? 10 : 90 })),
});

let ffmpegPath: Promise<string> | undefined;

async function ffmpeg(): Promise<string> {
  ffmpegPath ??= locateBinaries({ ffmpegPath: null, ffprobePath: null }).then((b) => {
    if (!b.ffmpeg) throw new Error(b.message ?? 'ffmpeg unavailable');
    return b.ffmpeg.path;
  });
  return ffmpegPath;
}

function tempName(path: string): string {
  return `${path}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`;
}

/** Runs ffmpeg writing to a temp file, renames it to `path` on success. */
async function encode(path: string, args: (out: string) => string[], timeoutMs = 120_000): Promise<void> {
  const tmp = tempName(path);
  try {
    const r = await runProcess(await ffmpeg(), args(tmp), { timeoutMs });
    if (!succeeded(r)) throw new Error(`sample ${path}: ffmpeg failed: ${describeFailure(r, timeoutMs)}`);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function makeSample(recipe: Recipe): Promise<Sample> {
  const path = join(SAMPLES_DIR, recipe.sample.name);
  const sample: Sample = { ...recipe.sample, path };
  if (existsSync(path)) return sample;
  const d = recipe.sample.durationMs / 1000;
  await encode(path, (out) => [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-filter_complex', `${recipe.video(d)}${recipe.audio ? `;sine=f=440:sample_rate=44100:d=${d}[a]` : ''}`,
    '-map', '[v]', ...(recipe.audio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '48k'] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-g', String(FPS * 2), '-pix_fmt', 'yuv420p',
    '-t', String(d), '-movflags', '+faststart', '-f', 'mp4', out,
  ]);
  return sample;
}

/**
 * A 3840x1920 side-by-side video whose name carries no VR marker ("clip_0042.mp4"): only its frame
 * size says it is 180° SBS (projection.ts refineByFrame: 2:1 and at least 3840 px wide). Made on
 * first use only (a few seconds), not with the standard set.
 */
export function ensureUnmarkedSbsSample(): Promise<Sample> {
  unmarked ??= (async () => {
    mkdirSync(SAMPLES_DIR, { recursive: true });
    return makeSample({
      sample: { name: 'clip_0042.mp4', width: 3840, height: 1920, durationMs: 6_000, stereo: 'sbs' },
      audio: false,
      video: (d) => `${eyeLeft(1920, 1920, d, 'testsrc')}[l];${solid(1920, 1920, d)}[r];[l][r]hstack=inputs=2[v]`,
    });
  })();
  unmarked.catch(() => {
    unmarked = undefined;
  });
  return unmarked;
}
let unmarked: Promise<Sample> | undefined;

/** Colours of the VR viewer's projection patterns (ensureVrPatterns), as ffmpeg hex and RGB. */
export const VR_COLOURS = {
  box: { hex: '0xe02020', rgb: [224, 32, 32] },
  eye: { hex: '0x20c020', rgb: [32, 192, 32] },
  other: { hex: '0x2020e0', rgb: [32, 32, 224] },
} as const;

/**
 * Projection patterns for the VR viewer's pixel tests: the (left) eye's picture is green with a
 * red box over its middle half each way, so looking straight ahead shows red and turning 60°
 * shows green; the other eye is solid blue, so a wrong eye or a wrong half shows blue.
 * sbs 1280x640 (two square eyes), tb 1024x1024 (two 2:1 eyes), mono 1024x512. Made on first use.
 */
export function ensureVrPatterns(): Promise<{ sbs: Sample; tb: Sample; mono: Sample }> {
  vrPatterns ??= (async () => {
    mkdirSync(SAMPLES_DIR, { recursive: true });
    const c = VR_COLOURS;
    const eye = (w: number, h: number, d: number, tag: string): string =>
      `color=c=${c.eye.hex}:s=${w}x${h}:r=${FPS}:d=${d}[g${tag}];color=c=${c.box.hex}:s=${w / 2}x${h / 2}:r=${FPS}:d=${d}[b${tag}];[g${tag}][b${tag}]overlay=${w / 4}:${h / 4}`;
    const other = (w: number, h: number, d: number): string => `color=c=${c.other.hex}:s=${w}x${h}:r=${FPS}:d=${d}`;
    const make = (name: string, width: number, height: number, stereo: Sample['stereo'], video: (d: number) => string) =>
      makeSample({ sample: { name, width, height, durationMs: 6_000, stereo }, audio: false, video });
    return {
      sbs: await make('vr_pattern_sbs.mp4', 1280, 640, 'sbs', (d) => `${eye(640, 640, d, 'l')}[l];${other(640, 640, d)}[r];[l][r]hstack=inputs=2[v]`),
      tb: await make('vr_pattern_tb.mp4', 1024, 1024, 'tb', (d) => `${eye(1024, 512, d, 't')}[t];${other(1024, 512, d)}[u];[t][u]vstack=inputs=2[v]`),
      mono: await make('vr_pattern_mono.mp4', 1024, 512, 'mono', (d) => `${eye(1024, 512, d, 'm')}[v]`),
    };
  })();
  vrPatterns.catch(() => {
    vrPatterns = undefined;
  });
  return vrPatterns;
}
let vrPatterns: Promise<{ sbs: Sample; tb: Sample; mono: Sample }> | undefined;

function writeOnce(path: string, text: string): string {
  if (!existsSync(path)) {
    const tmp = tempName(path);
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  }
  return path;
}

let samples: Promise<Samples> | undefined;

/** Whether ensureSamples() has to generate anything (the demo says "first run" only then). */
export function samplesMissing(): boolean {
  return Object.values(RECIPES).some((r) => !existsSync(join(SAMPLES_DIR, r.sample.name)));
}

/** The standard samples (generated on first use, then reused from the temp dir). */
export function ensureSamples(): Promise<Samples> {
  samples ??= (async () => {
    mkdirSync(SAMPLES_DIR, { recursive: true });
    const out: Partial<Samples> = {};
    const todo = Object.entries(RECIPES) as Array<[keyof typeof RECIPES, Recipe]>;
    // Two encodes at a time: lavfi sources are single-threaded, so this roughly halves the wait.
    const worker = async (): Promise<void> => {
      for (let next = todo.shift(); next; next = todo.shift()) out[next[0]] = await makeSample(next[1]);
    };
    await Promise.all([worker(), worker()]);
    out.subtitleSrt = writeOnce(join(SAMPLES_DIR, 'movie.en.srt'), SRT);
    out.funscript = writeOnce(join(SAMPLES_DIR, 'movie.funscript'), FUNSCRIPT);
    return out as Samples;
  })();
  samples.catch(() => {
    samples = undefined;
  });
  return samples;
}

/**
 * A "large" file of about `bytes` for the bytes-read benchmark: a small frame of lossless noise at a
 * high bitrate (~1.6 MB per second of video, one keyframe per second, moov atom at the END as many
 * real files have it), so hundreds of MB take a few seconds to make.
 */
export async function makeLargeSample(bytes: number): Promise<Sample> {
  mkdirSync(SAMPLES_DIR, { recursive: true });
  const mb = Math.round(bytes / 1e6);
  const path = join(SAMPLES_DIR, `large_${mb}mb.mp4`);
  const base = { name: `large_${mb}mb.mp4`, path, width: 320, height: 240, stereo: 'mono' as const };
  const args = (d: number) => (out: string) => [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-filter_complex', `testsrc=s=320x240:r=10:d=${d},noise=alls=100:allf=t[v];sine=f=330:d=${d}[a]`,
    '-map', '[v]', '-map', '[a]', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-g', '10', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', '-t', String(d), '-f', 'mp4', out,
  ];
  const durationFile = `${path}.duration`;
  if (existsSync(path) && existsSync(durationFile)) {
    return { ...base, durationMs: Number(readFileSync(durationFile, 'utf8')) };
  }
  // Calibrate the bytes per second of this recipe, then size the real file from it.
  const probe = join(SAMPLES_DIR, `calibrate-${process.pid}.mp4`);
  await encode(probe, args(2));
  const perSecond = statSync(probe).size / 2;
  rmSync(probe, { force: true });
  const seconds = Math.max(2, Math.round(bytes / perSecond));
  await encode(path, args(seconds), 300_000);
  writeOnce(durationFile, String(seconds * 1000));
  return { ...base, durationMs: seconds * 1000 };
}
