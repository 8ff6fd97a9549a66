// Issue 13 target "durations for a whole library, on their own": a fresh install of real videos
// (every 10th a two-part pack), nobody asking for anything; the time until /healthz says every file
// (every part) is probed. Target: files / background unrestricts per minute (20 by default) minutes
// + 10%. The full target is for 1,000 videos (about 55 minutes: BENCH_DURATIONS_VIDEOS=1000); by
// default this runs a smaller library with the same defaults, and the figure scales with the file count.
import { check, progress, type BenchResult, type Check } from './lib/report.ts';
import { fmtMs } from './lib/stats.ts';
import { startMediaSite } from './lib/media-site.ts';
import { sleep } from './lib/serve.ts';
import type { BenchOptions } from './lib/options.ts';

const UNRESTRICTS_PER_MINUTE = 20;

/** BENCH_DURATIONS_VIDEOS sets the library size (the target is for 1,000). */
function videosToRun(quick: boolean): number {
  const raw = process.env['BENCH_DURATIONS_VIDEOS'];
  if (raw === undefined || raw === '') return quick ? 20 : 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error('BENCH_DURATIONS_VIDEOS must be a whole number of videos');
  return n;
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = videosToRun(opts.quick);
  // Every 10th video (i % 10 === 5) is a two-part pack: one more file each.
  const expected = n + Math.floor((n + 4) / 10);
  const site = await startMediaSite(n, { latencyMs: opts.latencyMs, env: { MEDIA_BACKGROUND_PROBE: '1' } });
  const t0 = performance.now();
  let files = 0;
  let probed = 0;
  const timeline: Array<{ ms: number; probed: number }> = [];
  try {
    for (;;) {
      const h = (await (await fetch(`${site.url}/healthz`)).json()) as { progress: { videoFiles: number; probed: number } };
      files = h.progress.videoFiles;
      probed = h.progress.probed;
      timeline.push({ ms: performance.now() - t0, probed });
      progress(`durations: ${probed}/${files}`);
      if (probed >= expected) break;
      const limitMs = Math.max(30 * 60_000, (expected / UNRESTRICTS_PER_MINUTE) * 60_000 * 2);
      if (performance.now() - t0 > limitMs) throw new Error(`only ${probed} of ${files} probed after ${fmtMs(limitMs)}`);
      await sleep(2000);
    }
  } finally {
    await site.close();
  }
  const ms = performance.now() - t0;
  const targetMs = (files / UNRESTRICTS_PER_MINUTE) * 60_000 * 1.1;
  const checks: Check[] = [check(`every duration of a ${n}-video library (${files} files) with the defaults`, `≤ ${fmtMs(targetMs)}`, fmtMs(ms), ms <= targetMs)];
  return [
    {
      name: 'durations',
      title: `Durations for a whole fresh library, nobody asking (${n} videos, ${files} files incl. parts; RD ${opts.latencyMs} ms) (\`durations\`)`,
      columns: ['files', 'all probed after', 'target', 'files per minute'],
      rows: [{ files, 'all probed after': fmtMs(ms), target: fmtMs(targetMs), 'files per minute': ((files / ms) * 60_000).toFixed(1) }],
      checks,
      notes: [`Only the server's background prober works (no client asks for a video or a thumbnail). RD_BACKGROUND_UNRESTRICTS_PER_MINUTE is at its default (${UNRESTRICTS_PER_MINUTE}); the first minute's burst lets ${UNRESTRICTS_PER_MINUTE} go at once.`],
      data: timeline,
    },
  ];
}
