// Does the headset's library stay snappy while the server makes thumbnails? A stored 10,000
// library plus 300 real sample videos whose thumbnails are all requested at once (as a browser
// grid or HereSphere does), then POST /heresphere and /heresphere/scan timed back to back while
// the 300 jobs run (ffmpeg on both cores). Target: /heresphere p95 ≤ 100 ms.
// The 300 torrents' infos and unrestricted links are stored beforehand (as after a day of use),
// so the jobs run ffmpeg back to back instead of waiting on the RD background budget.
import { ensureSamples } from '../test/fake-rd/samples.ts';
import type { FakeRd, FakeTorrentSpec } from '../test/fake-rd/index.ts';
import { openStore } from '../src/store/index.ts';
import { toInfo } from '../src/realdebrid/index.ts';
import type { RdTorrentInfo } from '../src/realdebrid/types.ts';
import { normalizeLink } from '../src/library/links.ts';
import { videoIdFromHash } from '../src/library/ids.ts';
import { check, progress, type BenchResult, type Cell, type Check } from './lib/report.ts';
import { fmtMs, summarize, type Summary } from './lib/stats.ts';
import { fixtureNow, libraryOf, removeDir, startLibraryFake, syncedDataDir } from './lib/fixture.ts';
import { timed } from './lib/http.ts';
import { HS_HEADERS, spawnServer } from './lib/server.ts';
import { settle, sleep } from './lib/serve.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';

const N = 10_000;
const JOBS = 300;

async function extras(): Promise<FakeTorrentSpec[]> {
  const s = await ensureSamples();
  const sources = [s.sbs180, s.flat, s.tb360, s.fisheye];
  return Array.from({ length: JOBS }, (_, i) => {
    const src = sources[i % sources.length]!;
    const name = `Bench.Thumbs.${String(i).padStart(3, '0')}.${src.name}`;
    return { filename: name, added: new Date(fixtureNow() + (i + 1) * 1000).toISOString(), files: [{ path: `/${name}`, source: src.path }] };
  });
}

interface Series {
  index: Summary;
  scan: Summary;
  indexMax: number;
}

async function series(url: string, ms: number): Promise<Series> {
  const idx: number[] = [];
  const scan: number[] = [];
  const end = performance.now() + ms;
  const init = { method: 'POST' as const, headers: HS_HEADERS, body: '{}' };
  while (performance.now() < end) {
    idx.push((await timed(url + '/heresphere', init)).ms);
    scan.push((await timed(url + '/heresphere/scan', init)).ms);
    await sleep(50);
  }
  return { index: summarize(idx), scan: summarize(scan), indexMax: Math.max(...idx) };
}

/** The extras' torrent infos, read from the fake before its rate limit is on. */
async function fetchInfos(fake: FakeRd, specs: readonly FakeTorrentSpec[]): Promise<RdTorrentInfo[]> {
  const out: RdTorrentInfo[] = [];
  for (const spec of specs) {
    const res = await fetch(`${fake.apiUrl}/torrents/info/${spec.id}`, { headers: { authorization: `Bearer ${fake.token}` } });
    if (!res.ok) throw new Error(`fake info answered ${res.status}`);
    out.push((await res.json()) as RdTorrentInfo);
  }
  return out;
}

/** The extras' infos and unrestricted links, stored as after a day of use. */
function storeExtras(dataDir: string, fake: FakeRd, specs: readonly FakeTorrentSpec[], infos: readonly RdTorrentInfo[]): void {
  const store = openStore(dataDir);
  try {
    specs.forEach((spec, i) => {
      const info = toInfo(infos[i]!);
      store.library.putInfo(info);
      const file = spec.files[0]!;
      const name = file.path.slice(1);
      store.links.put({ link: normalizeLink(info.links[0]!), download: fake.directUrl(spec.id!, 1), filename: name, filesize: file.bytes as number, mimeType: 'video/mp4', generatedAt: Date.now() });
    });
  } finally {
    store.close();
  }
}

interface ProberPhase {
  series: Series;
  probed: number;
  failed: number;
  serverCpuMs: number;
  elapsedMs: number;
}

/**
 * The same library on a fresh data dir with the background prober on (its default): the index and
 * scan timed while it probes the 300 real videos back to back (their links are stored, so no RD
 * budget holds it) and then the library's generated files (which fail to probe: also library changes).
 */
async function proberPhase(fake: FakeRd, specs: readonly FakeTorrentSpec[], infos: readonly RdTorrentInfo[], windowMs: number): Promise<ProberPhase> {
  const dataDir = await syncedDataDir(N);
  storeExtras(dataDir, fake, specs, infos);
  const proc = await spawnServer({ dataDir, fake, env: { MEDIA_BACKGROUND_PROBE: '1' } });
  try {
    const health = async () => (await (await fetch(proc.url + '/healthz')).json()) as { library: { syncing: boolean }; progress: { probed: number }; media: { failures: unknown[] } };
    // Up and synced; not settled (the prober keeps RD and ffprobe busy on purpose).
    const upBy = performance.now() + 120_000;
    for (;;) {
      const h = await health().catch(() => null);
      if (h && h.library.syncing === false) break;
      if (performance.now() > upBy) throw new Error('the prober-phase server did not come up');
      await sleep(100);
    }
    await series(proc.url, 1000); // warm both caches (the prober is already running)
    const cpu0 = await proc.cpuMs();
    const h0 = await health();
    const t0 = performance.now();
    progress(`responsiveness: background prober, ${windowMs / 1000} s of index + scan`);
    const busy = await series(proc.url, windowMs);
    const h1 = await health();
    return { series: busy, probed: h1.progress.probed - h0.progress.probed, failed: h1.media.failures.length - h0.media.failures.length, serverCpuMs: (await proc.cpuMs()) - cpu0, elapsedMs: performance.now() - t0 };
  } finally {
    await proc.stop();
    removeDir(dataDir);
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const windowMs = opts.quick ? 8_000 : 25_000;
  const extra = await extras();
  const dataDir = await syncedDataDir(N);
  // Extras after the library, so the library's link ids stay those the fixture stored.
  const fake = await startLibraryFake(N, { latencyMs: 0, rateLimit: false });
  const specs = extra.map((t) => fake.addTorrent(t));
  const infos = await fetchInfos(fake, specs);
  storeExtras(dataDir, fake, specs, infos);
  fake.setFault({ latencyMs: opts.latencyMs, rateLimit: { max: 250, windowMs: 60_000 } });
  const proc = await spawnServer({ dataDir, fake });
  try {
    await settle(proc, fake);
    progress('responsiveness: baseline (no jobs)');
    await series(proc.url, 1000); // warm both caches
    const idle = await series(proc.url, opts.quick ? 3_000 : 8_000);
    const cpu0 = await proc.cpuMs();
    progress(`responsiveness: ${JOBS} thumbnail requests, then ${windowMs / 1000} s of index + scan`);
    const ids = specs.map((s) => videoIdFromHash(s.hash!));
    const t0 = performance.now();
    for (const id of ids) {
      const r = await timed(`${proc.url}/thumb/${id}.jpg`);
      if (r.status !== 200) throw new Error(`/thumb answered ${r.status}`);
    }
    const queueMs = performance.now() - t0;
    const busy = await series(proc.url, windowMs);
    const cpu = (await proc.cpuMs()) - cpu0;
    const elapsed = performance.now() - t0;
    const health = (await (await fetch(proc.url + '/healthz')).json()) as { media: { running: number; queued: number; cacheFiles: number; failures: unknown[] } };
    await proc.stop();
    const prober = await proberPhase(fake, specs, infos, windowMs);
    const rows: Array<Record<string, Cell>> = [
      { phase: 'idle', '/heresphere p50': fmtMs(idle.index.median), '/heresphere p95': fmtMs(idle.index.p95), '/heresphere max': fmtMs(idle.indexMax), '/heresphere/scan p50': fmtMs(idle.scan.median), '/heresphere/scan p95': fmtMs(idle.scan.p95), requests: idle.index.n * 2 },
      { phase: `${JOBS} thumbnail jobs`, '/heresphere p50': fmtMs(busy.index.median), '/heresphere p95': fmtMs(busy.index.p95), '/heresphere max': fmtMs(busy.indexMax), '/heresphere/scan p50': fmtMs(busy.scan.median), '/heresphere/scan p95': fmtMs(busy.scan.p95), requests: busy.index.n * 2 },
      { phase: 'background prober', '/heresphere p50': fmtMs(prober.series.index.median), '/heresphere p95': fmtMs(prober.series.index.p95), '/heresphere max': fmtMs(prober.series.indexMax), '/heresphere/scan p50': fmtMs(prober.series.scan.median), '/heresphere/scan p95': fmtMs(prober.series.scan.p95), requests: prober.series.index.n * 2 },
    ];
    const checks: Check[] = [
      check('/heresphere p95 while 300 thumbnail jobs run', '≤ 100 ms', fmtMs(busy.index.p95), busy.index.p95 <= 100),
      check('/heresphere p95 while the background prober runs', '≤ 100 ms', fmtMs(prober.series.index.p95), prober.series.index.p95 <= 100),
    ];
    const jobsDone = health.media.cacheFiles;
    return [
      {
        name: 'responsiveness',
        title: `HereSphere index and scan while ${JOBS} thumbnail jobs run (${fmtN(N)} + ${JOBS} library, server process)`,
        columns: ['phase', '/heresphere p50', '/heresphere p95', '/heresphere max', '/heresphere/scan p50', '/heresphere/scan p95', 'requests'],
        rows,
        checks,
        notes: [
          `Queueing the ${JOBS} thumbnails (one GET /thumb each, placeholder answers) took ${fmtMs(queueMs)}; during the ${(windowMs / 1000).toFixed(0)} s window ${jobsDone} media files were made (${health.media.running} running, ${health.media.queued} queued at the end, ${health.media.failures.length} failures) and the server used ${(cpu / 1000).toFixed(1)} s of CPU in ${(elapsed / 1000).toFixed(1)} s (ffmpeg runs in child processes, not counted).`,
          `Background prober phase: a fresh server on the same data (MEDIA_BACKGROUND_PROBE on, its default); in the ${(prober.elapsedMs / 1000).toFixed(1)} s window ${prober.probed} files were probed and ${prober.failed} failed to probe (the library's generated files are not video), and the server used ${(prober.serverCpuMs / 1000).toFixed(1)} s of CPU (ffprobe runs in child processes, not counted).`,
          'Requests alternate index and scan with 50 ms pauses; every probe that finishes changes the library (duration known), which is what invalidates cached responses.',
        ],
        data: { idle, busy, queueMs, jobsDone, health: health.media, serverCpuMs: cpu, prober },
      },
    ];
  } finally {
    await proc.stop();
    await fake.close();
    removeDir(dataDir);
  }
}
