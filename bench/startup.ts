// Start-up: how long a restarted server takes to serve a stored library (spawn of the bundled
// server `npm start` runs, on a pre-synced data dir → first 200 from POST /heresphere with
// the full index). Target: ≤ 1 s for 10,000 torrents. Each run is a fresh process on a fresh copy.
import { check, progress, type BenchResult } from './lib/report.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { removeDir, startLibraryFake, syncedDataDir } from './lib/fixture.ts';
import { HS_HEADERS, spawnServer } from './lib/server.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';
import { bundleServer } from './lib/bundle.ts';

interface Run {
  listenMs: number;
  serveMs: number;
  /** Spawn to the answer of /heresphere/scan asked right after the first index (a headset connecting at once). */
  scanMs: number;
  cpuMs: number;
  indexBytes: number;
  rdCalls: number;
}

async function once(n: number, latencyMs: number, entry?: string[]): Promise<Run> {
  const dataDir = await syncedDataDir(n);
  const fake = await startLibraryFake(n, { latencyMs });
  const proc = await spawnServer({ dataDir, fake, ...(entry ? { entry } : {}) });
  try {
    let listenMs = NaN;
    const end = performance.now() + 120_000;
    for (;;) {
      if (proc.exited()) throw new Error('server exited during start-up');
      if (performance.now() > end) throw new Error('server did not start within 120 s');
      try {
        const res = await fetch(proc.url + '/heresphere', { method: 'POST', headers: HS_HEADERS, body: '{}' });
        const body = await res.arrayBuffer();
        if (Number.isNaN(listenMs)) listenMs = performance.now() - proc.spawnedAt;
        if (res.status === 200) {
          const serveMs = performance.now() - proc.spawnedAt;
          const cpuMs = await proc.cpuMs();
          const rdCalls = fake.count();
          const scan = await fetch(proc.url + '/heresphere/scan', { method: 'POST', headers: HS_HEADERS, body: '{}' });
          await scan.arrayBuffer();
          if (scan.status !== 200) throw new Error(`scan answered ${scan.status}`);
          return { listenMs, serveMs, scanMs: performance.now() - proc.spawnedAt, cpuMs, indexBytes: body.byteLength, rdCalls };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await proc.stop();
    await fake.close();
    removeDir(dataDir);
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const rows = [];
  const checks = [];
  const data: Record<string, unknown> = {};
  // `npm start` runs the esbuild bundle with plain node: every size. `npm run start:dev` (tsx) for comparison.
  const bundled = await bundleServer();
  const cases: Array<{ n: number; how: string; entry?: string[] }> = [0, ...opts.sizes].map((n) => ({ n, how: 'npm start (bundle)', entry: bundled }));
  if (!opts.quick) cases.push(...[0, 10_000].map((n) => ({ n, how: 'npm run start:dev (tsx)' })));
  for (const { n, how, entry } of cases) {
    const runs = [];
    for (let i = 0; i < opts.processRuns; i++) {
      progress(`start-up ${fmtN(n)} (${how}) run ${i + 1}/${opts.processRuns}`);
      runs.push(await once(n, opts.latencyMs, entry));
    }
    const listen = summarize(runs.map((r) => r.listenMs));
    const serve = summarize(runs.map((r) => r.serveMs));
    const cpu = summarize(runs.map((r) => r.cpuMs));
    const scan = summarize(runs.map((r) => r.scanMs));
    rows.push({
      torrents: fmtN(n),
      server: how,
      runs: runs.length,
      'first answer (median)': fmtMs(listen.median),
      'serving /heresphere (median)': fmtMs(serve.median),
      'p95': fmtMs(serve.p95),
      'min–max': `${fmtMs(serve.min)} – ${fmtMs(serve.max)}`,
      'server CPU by then': fmtMs(cpu.median),
      'then /heresphere/scan (median)': fmtMs(scan.median),
      'RD calls by then': runs[0]?.rdCalls ?? 0,
    });
    data[`${n} ${how}`] = { listen, serve, cpu, scan, rdCalls: runs.map((r) => r.rdCalls) };
    if (n === 10_000 && entry) checks.push(check('start-up to serving a stored 10,000 library (median, npm start)', '≤ 1 s', fmtMs(serve.median), serve.median <= 1000));
  }
  return [
    {
      name: 'startup',
      title: 'Start-up to serving a stored library (fresh process, pre-synced data dir)',
      columns: ['torrents', 'server', 'runs', 'first answer (median)', 'serving /heresphere (median)', 'p95', 'min–max', 'server CPU by then', 'RD calls by then', 'then /heresphere/scan (median)'],
      rows,
      checks,
      notes: [
        'Time from spawning the server to the first 200 from POST /heresphere (polled every 5 ms); includes Node start, loading the store into the catalog and building the index.',
        '"then /heresphere/scan" = spawn to the scan data answered, asked right after the first index: a headset connecting the moment the server starts (the scan needs every video built).',
        '"npm start (bundle)" is what `npm start` runs: src/main.ts bundled by esbuild (node_modules left external) with plain `node`. The tsx rows run src/main.ts through tsx (`npm run start:dev`), to show what transpiling at start costs.',
        `Data dir: the library listed and all torrent infos stored except 1 in ${100} (the fixture); the fake RD answers with ${opts.latencyMs} ms latency.`,
      ],
      data,
    },
  ];
}
