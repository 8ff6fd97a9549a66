// Shared set-up for the media tests: the fake RD serving real sample videos, a pipeline in a temp
// dir whose resolveSource mints fake CDN URLs (and records every call), and small ffmpeg/ffprobe
// helpers to inspect what the pipeline wrote.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { startFakeRd, type FakeRd } from './fake-rd/index.ts';
import type { Sample } from './fake-rd/samples.ts';
import { packagedPath } from '../src/media/binaries.ts';
import { MediaPipeline, MemoryMediaFacts, type MediaPipelineOptions, type MediaTarget } from '../src/media/pipeline.ts';

export interface MediaFixture {
  fake: FakeRd;
  pipeline: MediaPipeline;
  facts: MemoryMediaFacts;
  dir: string;
  targets: Record<string, MediaTarget>;
  /** Every resolveSource call, in order. */
  resolves: Array<{ path: string; refresh: boolean | 'unreachable'; url: string }>;
  /** Bytes the fake CDN served for all URLs minted for this target. */
  cdnBytes(target: MediaTarget): number;
}

export interface FixtureOptions extends Partial<Omit<MediaPipelineOptions, 'resolveSource' | 'facts'>> {
  files: Record<string, Sample>;
  /** Replace the resolver (dead links...); default mints a fake CDN URL. */
  resolve?: (target: MediaTarget, opts: { refresh: boolean | 'unreachable' }, mint: () => string) => Promise<string>;
  fakeNow?: () => number;
  /** Start the pipeline (default true). */
  start?: boolean;
}

export const HASH = 'aa11bb22cc33dd44ee55ff6677889900aabbccdd';

export async function mediaFixture(t: TestContext, o: FixtureOptions): Promise<MediaFixture> {
  const entries = Object.entries(o.files);
  const fake = await startFakeRd({
    torrents: [{ hash: HASH, filename: 'Media Test Pack', files: entries.map(([key, s]) => ({ path: `/${key}/${s.name}`, source: s.path })) }],
    ...(o.fakeNow ? { now: o.fakeNow } : {}),
  });
  const torrent = fake.torrents()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'ds-media-'));
  const facts = new MemoryMediaFacts();
  const targets: Record<string, MediaTarget> = {};
  entries.forEach(([key, s]) => {
    targets[key] = { videoId: HASH.slice(0, 16), fileId: entries.findIndex(([k]) => k === key) + 1, hash: HASH, path: `${key}/${s.name}`, bytes: torrent.files.find((f) => f.path === `/${key}/${s.name}`)!.bytes!, stereo: s.stereo, durationMs: 0 };
  });
  const resolves: MediaFixture['resolves'] = [];
  const urlsByPath = new Map<string, string[]>();
  const mint = (target: MediaTarget): string => {
    const fileId = torrent.files.findIndex((f) => f.path === `/${target.path}`) + 1;
    if (fileId === 0) throw new Error(`no such file ${target.path}`);
    return fake.directUrl(torrent.id!, fileId);
  };
  const { files: _files, resolve, fakeNow: _now, start, ...rest } = o;
  const pipeline = new MediaPipeline({
    ffmpegPath: null,
    ffprobePath: null,
    cacheDir: join(dir, 'media'),
    cacheMaxBytes: 1e9,
    concurrency: 2,
    transientBackoffMs: [],
    ...rest,
    facts,
    resolveSource: async (target, opts) => {
      const url = resolve ? await resolve(target, opts, () => mint(target)) : mint(target);
      resolves.push({ path: target.path, refresh: opts.refresh, url });
      urlsByPath.set(target.path, [...(urlsByPath.get(target.path) ?? []), url]);
      return url;
    },
  });
  t.after(async () => {
    await pipeline.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  if (start !== false) await pipeline.start();
  return {
    fake,
    pipeline,
    facts,
    dir,
    targets,
    resolves,
    cdnBytes: (target) => (urlsByPath.get(target.path) ?? []).reduce((n, u) => n + fake.cdnBytesFor(u), 0),
  };
}

export function bin(tool: 'ffmpeg' | 'ffprobe'): string {
  const p = packagedPath(tool);
  if ('error' in p) throw new Error(p.error);
  return p.path;
}

export interface ProbedFile {
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string }>;
  format: { duration?: string; format_name: string };
}

/** ffprobe a local file (streams + format). */
export function probeFile(file: string): ProbedFile {
  const r = spawnSync(bin('ffprobe'), ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,pix_fmt:format=duration,format_name', '-of', 'json', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffprobe ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ProbedFile;
}

/** Decodes every frame of a file completely; true when ffmpeg reports no error. */
export function decodesCleanly(file: string): boolean {
  const r = spawnSync(bin('ffmpeg'), ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return r.status === 0 && r.stderr.trim() === '';
}

/** Share of pixels within `tol` of `rgb` in an image (decoded with ffmpeg). */
export function colourShare(file: string, rgb: Readonly<[number, number, number]>, tol = 24): number {
  const r = spawnSync(bin('ffmpeg'), ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`decode ${file}: ${r.stderr.toString()}`);
  const px = r.stdout;
  let hit = 0;
  for (let i = 0; i + 2 < px.length; i += 3) {
    if (Math.abs(px[i]! - rgb[0]) <= tol && Math.abs(px[i + 1]! - rgb[1]) <= tol && Math.abs(px[i + 2]! - rgb[2]) <= tol) hit++;
  }
  return hit / (px.length / 3);
}

/** The suite's one bounded wait (helpers/wait.ts). */
export { waitFor } from './helpers/wait.ts';
