// Server memory by library size: RSS of a fresh server process (one per size, so sizes do not
// pollute each other) after loading a stored library and answering the big responses once
// (HereSphere index and scan, DeoVR index, browser library), then after a forced full GC.
// Target: ≤ 300 MB RSS with 50,000 torrents.
import { check, progress, type BenchResult, type Cell, type Check } from './lib/report.ts';
import { fmtBytes, summarize } from './lib/stats.ts';
import { timed } from './lib/http.ts';
import { HS_HEADERS } from './lib/server.ts';
import { sleep, startLibraryServer } from './lib/serve.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';
import { bundleServer } from './lib/bundle.ts';

const MB = 1024 * 1024;
const PROBER = 'background prober on';

interface Sample {
  loaded: NodeJS.MemoryUsage;
  served: NodeJS.MemoryUsage;
  idle: NodeJS.MemoryUsage;
  gc: NodeJS.MemoryUsage;
}

/** A server at rest (quick mode: 1 s). */
let IDLE_MS = 5000;

async function once(n: number, latencyMs: number, entry?: string[], env?: Record<string, string>): Promise<Sample> {
  const s = await startLibraryServer(n, { latencyMs, nodeArgs: ['--expose-gc'], ...(entry ? { entry } : {}), ...(env ? { env } : {}) });
  try {
    const loaded = await s.proc.memory();
    for (const [path, init] of [
      ['/heresphere', { method: 'POST' as const, headers: HS_HEADERS, body: '{}' }],
      ['/heresphere/scan', { method: 'POST' as const, headers: HS_HEADERS, body: '{}' }],
      ['/deovr', { headers: { 'accept-encoding': 'gzip' } }],
      ['/api/library', { headers: { 'accept-encoding': 'gzip' } }],
    ] as const) {
      const r = await timed(s.url + path, init);
      if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    }
    await sleep(500);
    const served = await s.proc.memory();
    await sleep(IDLE_MS);
    const idle = await s.proc.memory();
    const gc = await s.proc.memory({ gc: true });
    return { loaded, served, idle, gc };
  } finally {
    await s.close();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const rows: Array<Record<string, Cell>> = [];
  const checks: Check[] = [];
  const data: Record<string, unknown> = {};
  const runs = opts.quick ? 1 : 2;
  IDLE_MS = opts.quick ? 1000 : 5000;
  // `npm start` runs the esbuild bundle with plain node: every size. `npm run start:dev` (tsx) for comparison.
  const bundled = await bundleServer();
  const cases: Array<{ n: number; how: string; entry?: string[]; env?: Record<string, string> }> = (opts.quick ? [0, ...opts.sizes.slice(-1)] : [0, ...opts.sizes]).map((n) => ({ n, how: 'npm start (bundle)', entry: bundled }));
  if (!opts.quick) cases.push(...[0, opts.sizes[opts.sizes.length - 1]!].map((n) => ({ n, how: 'npm run start:dev (tsx)' })));
  // The benchmarks' servers run with the background prober off (so RD and CPU stay quiet); users
  // have it on by default, so the largest size is measured that way too, with its file-target list.
  cases.push({ n: opts.sizes[opts.sizes.length - 1]!, how: `npm start (bundle), ${PROBER}`, entry: bundled, env: { MEDIA_BACKGROUND_PROBE: '1' } });
  for (const { n, how, entry, env } of cases) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      progress(`memory ${fmtN(n)} (${how}) run ${i + 1}/${runs}`);
      samples.push(await once(n, opts.latencyMs, entry, env));
    }
    const med = (f: (s: Sample) => number) => summarize(samples.map(f)).median;
    const rssServed = med((s) => s.served.rss);
    const rssIdle = med((s) => s.idle.rss);
    rows.push({
      torrents: fmtN(n),
      server: how,
      runs,
      'RSS loaded': fmtBytes(med((s) => s.loaded.rss)),
      'RSS after serving': fmtBytes(rssServed),
      [`RSS ${IDLE_MS / 1000} s later`]: fmtBytes(rssIdle),
      'RSS after GC': fmtBytes(med((s) => s.gc.rss)),
      'heap used after GC': fmtBytes(med((s) => s.gc.heapUsed)),
      'external (buffers) after GC': fmtBytes(med((s) => s.gc.external)),
    });
    data[`${n} ${how}`] = samples;
    if (n === 50_000 && entry) {
      // The target is for `npm start`; the tsx rows are in the table for comparison only.
      checks.push(check(`50k: server RSS at rest after loading and serving (median, ${how})`, '≤ 300 MiB', `${(rssIdle / MB).toFixed(1)} MiB (${(rssServed / MB).toFixed(1)} MiB right after serving)`, rssIdle <= 300 * MB));
    }
  }
  return [
    {
      name: 'memory',
      title: 'Server memory by library size (fresh process per run)',
      columns: ['torrents', 'server', 'runs', 'RSS loaded', 'RSS after serving', `RSS ${IDLE_MS / 1000} s later`, 'RSS after GC', 'heap used after GC', 'external (buffers) after GC'],
      rows,
      checks,
      notes: [
        `"loaded" = right after start-up settled (stored library in the catalog, every video built); "after serving" = 0.5 s after one HereSphere index, scan, DeoVR index and browser library each (their cached bodies are held); "${IDLE_MS / 1000} s later" = the same server at rest (the target is checked here); "after GC" = then after two forced full collections (--expose-gc).`,
        'Read inside the server process over IPC (process.memoryUsage()); 0 torrents is the baseline of Node and the app. "npm start (bundle)" is what `npm start` runs: src/main.ts bundled by esbuild, plain node. The tsx rows run src/main.ts through tsx (`npm run start:dev`), for comparison.',
      ],
      data,
    },
  ];
}
