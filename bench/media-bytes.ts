// What thumbnails and previews cost in CDN traffic: one large file (~300 MB, moov atom at the
// end, served by the fake CDN) through the real server process — probe (when the video object is
// opened), thumbnail (/thumb) and preview (/preview) — counting the body bytes the CDN sent.
// Target: a thumbnail reads ≤ 2% of the file and ≤ 8 MB.
import { makeLargeSample } from '../test/fake-rd/samples.ts';
import { startFakeRd } from '../test/fake-rd/index.ts';
import { check, progress, type BenchResult, type Cell, type Check } from './lib/report.ts';
import { fmtBytes, fmtMs, summarize } from './lib/stats.ts';
import { emptyDataDir, removeDir } from './lib/fixture.ts';
import { timed } from './lib/http.ts';
import { HS_HEADERS, spawnServer, type ServerProc } from './lib/server.ts';
import { sleep } from './lib/serve.ts';
import type { BenchOptions } from './lib/options.ts';

const MB = 1024 * 1024;
const NAME = 'Bench.Studio.Large.Scene.180.LR.mp4';

interface Run {
  fileBytes: number;
  probe: { bytes: number; ms: number };
  thumb: { bytes: number; ms: number };
  preview: { bytes: number; ms: number };
}

async function waitFor(what: string, proc: ServerProc, fn: () => Promise<boolean>, timeoutMs = 240_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (proc.exited()) throw new Error(`server exited waiting for ${what}`);
    if (await fn()) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function once(path: string, latencyMs: number): Promise<Run> {
  const fake = await startFakeRd({ torrents: [{ filename: NAME, files: [{ path: `/${NAME}`, source: path }] }], latencyMs });
  const dataDir = emptyDataDir('media');
  const proc = await spawnServer({ dataDir, fake });
  try {
    let index: { library: Array<{ list: string[] }> } | null = null;
    await waitFor('library', proc, async () => {
      const r = await timed(proc.url + '/heresphere', { method: 'POST', headers: { ...HS_HEADERS, 'accept-encoding': 'identity' }, body: '{}' }).catch(() => null);
      if (r?.status !== 200) return false;
      index = JSON.parse(r.body.toString('utf8')) as { library: Array<{ list: string[] }> };
      return index.library.some((s) => s.list.length > 0);
    });
    const url = index!.library.flatMap((s) => s.list)[0]!;
    const id = url.slice(url.lastIndexOf('/') + 1);
    const cdn = () => fake.cdnBytesServed();
    const fileBytes = fake.torrents()[0]!.files[0]!.bytes as number;

    const probeMs = await waitFor('probe', proc, async () => {
      const r = await timed(`${proc.url}/heresphere/${id}`, { method: 'POST', headers: { ...HS_HEADERS, 'accept-encoding': 'identity' }, body: '{}' });
      return (JSON.parse(r.body.toString('utf8')) as { duration?: number }).duration! > 0;
    });
    const probeBytes = cdn();
    const thumbMs = await waitFor('thumbnail', proc, async () => {
      const r = await timed(`${proc.url}/thumb/${id}.jpg`);
      return r.status === 200 && r.headers['x-media-state'] === undefined;
    });
    const thumbBytes = cdn() - probeBytes;
    const previewMs = await waitFor('preview', proc, async () => (await timed(`${proc.url}/preview/${id}.mp4`)).status === 200);
    const previewBytes = cdn() - probeBytes - thumbBytes;
    return { fileBytes, probe: { bytes: probeBytes, ms: probeMs }, thumb: { bytes: thumbBytes, ms: thumbMs }, preview: { bytes: previewBytes, ms: previewMs } };
  } finally {
    await proc.stop();
    await fake.close();
    removeDir(dataDir);
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  progress('large sample (made once, cached in the temp dir)');
  const large = await makeLargeSample(300 * 1024 * 1024);
  const runs: Run[] = [];
  const times = opts.quick ? 1 : 3;
  for (let i = 0; i < times; i++) {
    progress(`media bytes run ${i + 1}/${times}`);
    runs.push(await once(large.path, opts.latencyMs));
  }
  const size = runs[0]!.fileBytes;
  const rows: Array<Record<string, Cell>> = [];
  for (const kind of ['probe', 'thumb', 'preview'] as const) {
    const bytes = summarize(runs.map((r) => r[kind].bytes));
    const ms = summarize(runs.map((r) => r[kind].ms));
    rows.push({
      step: { probe: 'probe (video object opened)', thumb: 'thumbnail (/thumb)', preview: 'preview (/preview)' }[kind],
      'CDN bytes (median)': fmtBytes(bytes.median),
      'max': fmtBytes(bytes.max),
      'share of file': `${((bytes.median / size) * 100).toFixed(2)}%`,
      'time to ready (median)': fmtMs(ms.median),
    });
  }
  const thumbMax = Math.max(...runs.map((r) => r.thumb.bytes));
  const checks: Check[] = [
    check('thumbnail: share of the file read from the CDN (worst run)', '≤ 2%', `${((thumbMax / size) * 100).toFixed(2)}%`, thumbMax <= size * 0.02),
    check('thumbnail: bytes read from the CDN (worst run)', '≤ 8 MB', fmtBytes(thumbMax), thumbMax <= 8 * MB),
  ];
  return [
    {
      name: 'media-bytes',
      title: `CDN bytes per probe, thumbnail and preview of a ${fmtBytes(size)} file (real server, fake CDN)`,
      columns: ['step', 'CDN bytes (median)', 'max', 'share of file', 'time to ready (median)'],
      rows,
      checks,
      notes: [`${times} run(s), each a fresh server and media cache. The file is ${Math.round(large.durationMs / 1000)} s of ~1.6 MB/s noise with the moov atom at the end (test/fake-rd/samples.ts makeLargeSample). Times include RD latency for the unrestrict.`],
      data: runs,
    },
  ];
}
