// A brand-new install's first sync: an empty data dir, the fake RD with latency and RD's real
// rate limit, and a HereSphere asking for the library at once (the first sync is the one request
// that waits). Counts the list calls (target: ceil(n / 5000)) and every other RD call, and times
// the sync (the server's own log line) and the first full index from process spawn.
import { check, progress, type BenchResult, type Cell, type Check } from './lib/report.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { emptyDataDir, removeDir, startLibraryFake } from './lib/fixture.ts';
import { HS_HEADERS, spawnServer } from './lib/server.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';

interface Run {
  servedMs: number;
  syncMs: number;
  listed: number;
  listCalls: number;
  otherCalls: number;
}

async function once(n: number, latencyMs: number): Promise<Run> {
  const dataDir = emptyDataDir(`sync${n}`);
  const fake = await startLibraryFake(n, { latencyMs });
  const proc = await spawnServer({ dataDir, fake, env: { LOG_LEVEL: 'info' } });
  try {
    const end = performance.now() + 300_000;
    for (;;) {
      if (proc.exited()) throw new Error('server exited');
      if (performance.now() > end) throw new Error('first sync did not finish in 5 minutes');
      try {
        const res = await fetch(proc.url + '/heresphere', { method: 'POST', headers: HS_HEADERS, body: '{}' });
        const body = (await res.json()) as { library?: Array<{ list: string[] }> };
        const listed = (body.library ?? []).reduce((a, s) => a + s.list.length, 0);
        if (res.status === 200 && (listed > 0 || n === 0)) {
          const servedMs = performance.now() - proc.spawnedAt;
          const line = proc.logs.find((l) => l['msg'] === 'library synced from Real-Debrid');
          return {
            servedMs,
            syncMs: typeof line?.['ms'] === 'number' ? (line['ms'] as number) : NaN,
            listed,
            listCalls: fake.count('torrents'),
            otherCalls: fake.count() - fake.count('torrents'),
          };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await proc.stop();
    await fake.close();
    removeDir(dataDir);
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const rows: Array<Record<string, Cell>> = [];
  const checks: Check[] = [];
  const data: Record<string, unknown> = {};
  for (const n of opts.sizes) {
    const runs: Run[] = [];
    const times = opts.quick || n >= 50_000 ? 1 : 3;
    for (let i = 0; i < times; i++) {
      progress(`first sync ${fmtN(n)} run ${i + 1}/${times}`);
      runs.push(await once(n, opts.latencyMs));
    }
    const served = summarize(runs.map((r) => r.servedMs));
    const sync = summarize(runs.map((r) => r.syncMs));
    const listCalls = Math.max(...runs.map((r) => r.listCalls));
    const expected = Math.ceil(n / 5000);
    rows.push({
      torrents: fmtN(n),
      runs: runs.length,
      'list calls': listCalls,
      'other RD calls': Math.max(...runs.map((r) => r.otherCalls)),
      'sync (server log, median)': fmtMs(sync.median),
      'spawn → full index (median)': fmtMs(served.median),
      'videos listed': fmtN(runs[0]?.listed ?? 0),
    });
    data[String(n)] = runs;
    if (n === 50_000) checks.push(check('50k: first sync list calls', `ceil(50000 / 5000) = ${expected}`, String(listCalls), listCalls <= expected));
  }
  return [
    {
      name: 'sync',
      title: `First sync of a new install (empty data dir, fake RD with ${opts.latencyMs} ms latency and 250/min limit)`,
      columns: ['torrents', 'runs', 'list calls', 'other RD calls', 'sync (server log, median)', 'spawn → full index (median)', 'videos listed'],
      rows,
      checks,
      notes: [
        '"sync" = the server\'s "library synced from Real-Debrid" log line (listing, storing, building the catalog). "spawn → full index" adds process start-up and the first index. "other RD calls" = the start-up /user check (torrent infos are fetched later, in the background or when a video is opened; the backfill is off here).',
      ],
      data,
    },
  ];
}
