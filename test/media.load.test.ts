// 300 thumbnails asked for at once (a library page of a fresh library): every request answers at
// once, never more than `concurrency` ffmpeg processes exist (the pipeline's own counters AND the
// child processes the OS reports), and each file is processed exactly once despite repeats.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { ensureSamples, type Samples } from './fake-rd/samples.ts';
import { startFakeRd } from './fake-rd/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaPipeline, MemoryMediaFacts, type MediaTarget } from '../src/media/pipeline.ts';

let samples: Samples;
before(async () => {
  samples = await ensureSamples();
});

/** ffmpeg/ffprobe children of this process, from /proc (Linux); null elsewhere. */
function childFfmpegCount(): number | null {
  if (process.platform !== 'linux') return null;
  let n = 0;
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const kids = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
      for (const pid of kids ? kids.split(/\s+/) : []) {
        try {
          if (/^ff(mpeg|probe)/.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) n++;
        } catch {
          // exited between the two reads
        }
      }
    }
  } catch {
    return null;
  }
  return n;
}

test('300 distinct thumbnails at once: bounded ffmpeg processes, immediate answers, each file once', async (t) => {
  const N = 300;
  const concurrency = 2;
  const hash = 'bb'.repeat(20);
  const source = samples.part2; // the smallest sample: the test is about scheduling, not decoding
  const fake = await startFakeRd({
    torrents: [{ hash, filename: 'Big Pack', files: Array.from({ length: N }, (_, i) => ({ path: `/pack/clip${i}.mp4`, source: source.path })) }],
  });
  const torrentId = fake.torrents()[0]!.id!;
  const dir = mkdtempSync(join(tmpdir(), 'ds-media-load-'));
  const resolved = new Map<string, number>();
  const pipeline = new MediaPipeline({
    ffmpegPath: null,
    ffprobePath: null,
    cacheDir: dir,
    cacheMaxBytes: 1e9,
    concurrency,
    facts: new MemoryMediaFacts(),
    resolveSource: async (target) => {
      resolved.set(target.path, (resolved.get(target.path) ?? 0) + 1);
      return fake.directUrl(torrentId, Number(/clip(\d+)/.exec(target.path)![1]) + 1);
    },
  });
  t.after(async () => {
    await pipeline.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await pipeline.start();
  const size = fake.torrents()[0]!.files[0]!.bytes!;
  const targets: MediaTarget[] = Array.from({ length: N }, (_, i) => ({ videoId: hash.slice(0, 16), fileId: i + 1, hash, path: `pack/clip${i}.mp4`, bytes: size, stereo: 'mono', durationMs: source.durationMs }));

  let maxOwn = 0;
  let maxOs = 0;
  let osSamples = 0;
  let maxRunning = 0;
  const sample = (): void => {
    maxOwn = Math.max(maxOwn, pipeline.processes.size);
    maxRunning = Math.max(maxRunning, pipeline.status().running);
    const os = childFfmpegCount();
    if (os !== null) {
      osSamples++;
      maxOs = Math.max(maxOs, os);
    }
  };
  const timer = setInterval(sample, 5);

  // Three passes over the page, as a browser re-rendering would: all answered synchronously.
  let pending = 0;
  for (let pass = 0; pass < 3; pass++) {
    for (const target of targets) {
      const s = pipeline.request('thumb', target, pass === 0 ? 'background' : 'now');
      if (s.state === 'pending') pending++;
    }
  }
  assert.equal(pending, 3 * N, 'every request answered pending without waiting');
  assert.ok(pipeline.status().queued + pipeline.status().running <= N);

  await pipeline.onIdle();
  clearInterval(timer);
  sample();

  const files = readdirSync(dir).filter((f) => f.endsWith('.jpg'));
  console.log(`# ${N} thumbnails: peak ${pipeline.peakConcurrency} jobs, ${maxOwn} own processes, ${maxOs} OS children over ${osSamples} samples`);
  assert.equal(files.length, N, 'one JPEG per file');
  assert.equal(resolved.size, N);
  assert.ok([...resolved.values()].every((n) => n === 1), 'each file resolved (and processed) once');
  assert.ok(pipeline.peakConcurrency <= concurrency, `peak ${pipeline.peakConcurrency}`);
  assert.equal(pipeline.peakConcurrency, concurrency, 'the bound was actually reached');
  assert.ok(maxOwn <= concurrency && maxRunning <= concurrency);
  if (osSamples > 0) {
    assert.ok(maxOs <= concurrency, `OS saw ${maxOs} ffmpeg children`);
    assert.ok(maxOs >= 1, 'the sampler saw ffmpeg at work');
  }
  assert.ok(targets.every((tg) => pipeline.request('thumb', tg, 'now').state === 'ready'));
});
