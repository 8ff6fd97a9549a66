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

const MB = 1024 * 1024;

interface Sample {
  loaded: NodeJS.MemoryUsage;
  served: NodeJS.MemoryUsage;
  gc: NodeJS.MemoryUsage;
}

async function once(n: number, latencyMs: number): Promise<Sample> {
  const s = await startLibraryServer(n, { latencyMs, nodeArgs: ['--expose-gc'] });
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
    const gc = await s.proc.memory({ gc: true });
    return { loaded, served, gc };
  } finally {
    await s.close();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const rows: Array<Record<string, Cell>> = [];
  const checks: Check[] = [];
  const data: Record<string, unknown> = {};
  const runs = opts.quick ? 1 : 3;
  for (const n of [0, ...opts.sizes]) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      progress(`memory ${fmtN(n)} run ${i + 1}/${runs}`);
      samples.push(await once(n, opts.latencyMs));
    }
    const med = (f: (s: Sample) => number) => summarize(samples.map(f)).median;
    const rssServed = med((s) => s.served.rss);
    rows.push({
      torrents: fmtN(n),
      runs,
      'RSS loaded': fmtBytes(med((s) => s.loaded.rss)),
      'RSS after serving': fmtBytes(rssServed),
      'RSS after GC': fmtBytes(med((s) => s.gc.rss)),
      'heap used after GC': fmtBytes(med((s) => s.gc.heapUsed)),
      'external + buffers after GC': fmtBytes(med((s) => s.gc.external + s.gc.arrayBuffers)),
    });
    data[String(n)] = samples;
    if (n === 50_000) checks.push(check('50k: server RSS after loading and serving (median)', '≤ 300 MB', `${(rssServed / MB).toFixed(0)} MB`, rssServed <= 300 * MB));
  }
  return [
    {
      name: 'memory',
      title: 'Server memory by library size (fresh process per run)',
      columns: ['torrents', 'runs', 'RSS loaded', 'RSS after serving', 'RSS after GC', 'heap used after GC', 'external + buffers after GC'],
      rows,
      checks,
      notes: [
        '"loaded" = right after start-up settled (stored library in the catalog); "after serving" = after one HereSphere index, scan, DeoVR index and browser library each (their cached bodies are held); "after GC" = after two forced full collections (--expose-gc).',
        'Read inside the server process over IPC (process.memoryUsage()); 0 torrents is the baseline of Node, tsx and the app.',
      ],
      data,
    },
  ];
}
