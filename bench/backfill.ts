// Issue 13 target "file lists for a whole 10,000-torrent library, nobody using the server: within
// 90 minutes, never above the RD budget". A fresh install (empty data dir) against the fake RD with
// the 10k library and 80 ms per call, defaults otherwise, nobody asking for anything: after the
// first sync, the info backfill's rate over a measured window (after the 10 s it takes the
// scheduler to call RD idle), extrapolated to the whole library; and the most RD calls of any
// 60 s window in the fake's log.
import { check, progress, type BenchResult } from './lib/report.ts';
import { fmtMs } from './lib/stats.ts';
import { emptyDataDir, removeDir, startLibraryFake } from './lib/fixture.ts';
import { spawnServer } from './lib/server.ts';
import { sleep } from './lib/serve.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';

const BUDGET = 180;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = 10_000;
  const windowMs = opts.quick ? 60_000 : 120_000;
  const fake = await startLibraryFake(n, { latencyMs: opts.latencyMs });
  const dataDir = emptyDataDir('backfill');
  const proc = await spawnServer({ dataDir, fake, env: { RD_INFO_BACKFILL_PER_MINUTE: '30' } });
  let infos = 0;
  let busiest = 0;
  try {
    for (;;) {
      const h = (await (await fetch(`${proc.url}/healthz`).catch(() => null))?.json().catch(() => null)) as { library?: { syncing?: boolean; lastSyncAt?: string | null } } | null;
      if (h?.library?.lastSyncAt && !h.library.syncing) break;
      await sleep(500);
    }
    progress('backfill: first sync done; waiting for RD to count as idle');
    await sleep(12_000);
    const before = fake.count('info');
    const t0 = performance.now();
    await sleep(windowMs);
    infos = fake.count('info') - before;
    const ms = performance.now() - t0;
    const log = fake.requests.filter((r) => r.route !== 'cdn').map((r) => r.at).sort((a, b) => a - b);
    for (let i = 0, j = 0; i < log.length; i++) {
      while (j < log.length && log[j]! < log[i]! + 60_000) j++;
      busiest = Math.max(busiest, j - i);
    }
    const perMinute = (infos / ms) * 60_000;
    const wholeMs = (n / perMinute) * 60_000;
    return [
      {
        name: 'backfill',
        title: `File lists of a fresh ${fmtN(n)}-torrent library, nobody using the server (RD ${opts.latencyMs} ms) (\`backfill\`)`,
        columns: ['file lists per minute (idle)', 'whole library at that rate', 'most RD calls in any 60 s'],
        rows: [{ 'file lists per minute (idle)': perMinute.toFixed(0), 'whole library at that rate': fmtMs(wholeMs), 'most RD calls in any 60 s': busiest }],
        checks: [
          check(`file lists for ${fmtN(n)} torrents, idle`, '≤ 90 min', fmtMs(wholeMs), wholeMs <= 90 * 60_000),
          check('RD calls in any 60 s window', `≤ ${BUDGET}`, String(busiest), busiest <= BUDGET),
        ],
        notes: [`Measured over ${windowMs / 1000} s after the first sync, then extrapolated (the rate is set by the scheduler's budget, not by the library size). Before issue 13 the backfill fetched RD_INFO_BACKFILL_PER_MINUTE (30) infos a minute: 10,000 took about 5.6 h.`],
        data: { infos, windowMs: ms, busiest },
      },
    ];
  } finally {
    await proc.stop();
    await fake.close();
    removeDir(dataDir);
  }
}
