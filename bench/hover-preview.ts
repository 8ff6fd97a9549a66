// Issue 13 target "a hovered card's preview on a fresh install": a library of 1,000 real videos with
// nothing made yet; hovering a card (the browser's GET/HEAD of /preview, asking again after the
// Retry-After) until the MP4 is there. Once with the server idle (no background probing), once while
// the background prober works through all 1,000 files and 300 thumbnails of other cards are asked
// for. Targets: median ≤ 5 s idle, ≤ 8 s busy.
import { check, progress, type BenchResult, type Cell, type Check } from './lib/report.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { timed } from './lib/http.ts';
import { hoverUntilPlaying, startMediaSite, CDN_LATENCY_MS } from './lib/media-site.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';

const OTHERS = 300;

async function phase(n: number, opts: BenchOptions, busy: boolean, hovers: number): Promise<number[]> {
  const site = await startMediaSite(n, { latencyMs: opts.latencyMs, env: busy ? { MEDIA_BACKGROUND_PROBE: '1' } : {} });
  try {
    if (busy) await Promise.all(site.ids.slice(100, 100 + OTHERS).map((id) => timed(`${site.url}/thumb/${id}.jpg`)));
    const out: number[] = [];
    // Cards far down the list: nothing of theirs was asked for or probed yet.
    for (const id of site.ids.slice(n - hovers)) {
      progress(`hover-preview ${busy ? 'busy' : 'idle'} ${out.length + 1}/${hovers}`);
      out.push(await hoverUntilPlaying(site.url, id));
    }
    return out;
  } finally {
    await site.close();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.quick ? 200 : 1000;
  const hovers = opts.quick ? 3 : 7;
  const idle = await phase(n, opts, false, hovers);
  const busy = await phase(n, opts, true, hovers);
  const rows: Array<Record<string, Cell>> = [];
  const checks: Check[] = [];
  for (const [label, samples, target] of [['idle (no background work)', idle, 5000], [`background prober on ${fmtN(n)} files + ${OTHERS} thumbnails asked`, busy, 8000]] as const) {
    const s = summarize(samples);
    rows.push({ phase: label, median: fmtMs(s.median), p95: fmtMs(s.p95), max: fmtMs(s.max), hovers: samples.length });
    checks.push(check(`hovered preview plays, ${label}: median`, `≤ ${target / 1000} s`, fmtMs(s.median), s.median <= target));
  }
  return [
    {
      name: 'hover-preview',
      title: `Hovered card's preview on a fresh ${fmtN(n)}-video install (RD ${opts.latencyMs} ms, CDN ${CDN_LATENCY_MS} ms per range) (\`hover-preview\`)`,
      columns: ['phase', 'median', 'p95', 'max', 'hovers'],
      rows,
      checks,
      notes: [`Each hover is a card nobody asked for before (file list, unrestrict, probe and preview all to do), one after the other, polled as the browser does (HEAD again after Retry-After, ≥ 1 s). A fresh server per phase. Samples are 10–20 s clips, so ffmpeg time is small next to a real file's.`],
      data: { idle, busy },
    },
  ];
}
