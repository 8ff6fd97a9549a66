// Issue 13 target "first real thumbnail": the time from the first GET /thumb of a video nobody
// asked for before (no probe, no unrestrict, nothing cached) to the real JPEG, and what it read
// from the CDN, on the real server process against the fake RD (80 ms per API call) whose CDN
// answers each range after a round trip (40 ms). Target: ≤ 1 s median, ≤ 2% of the file.
import { makeLargeSample } from '../test/fake-rd/samples.ts';
import { startFakeRd } from '../test/fake-rd/index.ts';
import { check, progress, type BenchResult, type Check } from './lib/report.ts';
import { fmtBytes, fmtMs, summarize } from './lib/stats.ts';
import { emptyDataDir, removeDir } from './lib/fixture.ts';
import { timed } from './lib/http.ts';
import { HS_HEADERS, spawnServer } from './lib/server.ts';
import { sleep } from './lib/serve.ts';
import type { BenchOptions } from './lib/options.ts';

const CDN_LATENCY_MS = 40;

interface One {
  ms: number;
  bytes: number;
  cdnReads: number;
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  progress('first-thumb: large sample (made once, cached in the temp dir)');
  const large = await makeLargeSample(300 * 1024 * 1024);
  const count = opts.quick ? 3 : 7;
  const torrents = Array.from({ length: count }, (_, i) => {
    const name = `Bench.Studio.First.Thumb.${i + 1}.180.LR.mp4`;
    return { filename: name, files: [{ path: `/${name}`, source: large.path }] };
  });
  const fake = await startFakeRd({ torrents, latencyMs: opts.latencyMs, cdnLatencyMs: CDN_LATENCY_MS });
  const dataDir = emptyDataDir('first-thumb');
  const proc = await spawnServer({ dataDir, fake });
  const runs: One[] = [];
  const fileBytes = fake.torrents()[0]!.files[0]!.bytes as number;
  try {
    let ids: string[] = [];
    const t0 = performance.now();
    while (ids.length < count) {
      if (performance.now() - t0 > 120_000) throw new Error('library not listed');
      const r = await timed(proc.url + '/heresphere', { method: 'POST', headers: { ...HS_HEADERS, 'accept-encoding': 'identity' }, body: '{}' }).catch(() => null);
      if (r?.status === 200) ids = (JSON.parse(r.body.toString('utf8')) as { library: Array<{ list: string[] }> }).library.flatMap((s) => s.list).map((u) => u.slice(u.lastIndexOf('/') + 1));
      if (ids.length < count) await sleep(100);
    }
    for (const id of ids) {
      progress(`first-thumb ${runs.length + 1}/${count}`);
      const bytes0 = fake.cdnBytesServed();
      const reads0 = fake.requests.filter((e) => e.route === 'cdn').length;
      const start = performance.now();
      for (;;) {
        const r = await timed(`${proc.url}/thumb/${id}.jpg`);
        if (r.status === 200 && r.headers['x-media-state'] === undefined) break;
        if (performance.now() - start > 60_000) throw new Error(`thumbnail of ${id} not made in 60 s (${String(r.headers['x-media-state'])})`);
        await sleep(25);
      }
      runs.push({ ms: performance.now() - start, bytes: fake.cdnBytesServed() - bytes0, cdnReads: fake.requests.filter((e) => e.route === 'cdn').length - reads0 });
    }
  } finally {
    await proc.stop();
    await fake.close();
    removeDir(dataDir);
  }
  const ms = summarize(runs.map((r) => r.ms));
  const bytes = summarize(runs.map((r) => r.bytes));
  const reads = summarize(runs.map((r) => r.cdnReads));
  const checks: Check[] = [
    check('first real thumbnail of a never-asked video: median from the first request', '≤ 1 s', fmtMs(ms.median), ms.median <= 1000),
    check('first real thumbnail: share of the file read (worst)', '≤ 2%', `${((bytes.max / fileBytes) * 100).toFixed(2)}%`, bytes.max <= fileBytes * 0.02),
  ];
  return [
    {
      name: 'first-thumb',
      title: `First real thumbnail of a never-asked video, ${fmtBytes(fileBytes)} file (RD ${opts.latencyMs} ms, CDN ${CDN_LATENCY_MS} ms per range) (\`first-thumb\`)`,
      columns: ['measure', 'median', 'p95', 'max'],
      rows: [
        { measure: 'first GET /thumb → real JPEG', median: fmtMs(ms.median), p95: fmtMs(ms.p95), max: fmtMs(ms.max) },
        { measure: 'CDN bytes (probe + thumbnail)', median: fmtBytes(bytes.median), p95: fmtBytes(bytes.p95), max: fmtBytes(bytes.max) },
        { measure: 'CDN range requests', median: reads.median, p95: reads.p95, max: reads.max },
      ],
      checks,
      notes: [`${count} videos, one after the other, on one fresh server (the unrestrict and the probe are part of the time). The page polls /thumb every 25 ms until it stops answering the placeholder. The file is ${Math.round(large.durationMs / 1000)} s of noise with the moov atom at the end.`],
      data: runs,
    },
  ];
}
