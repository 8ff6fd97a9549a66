// The in-memory catalog, in-process and phase by phase: reading the stored library out of SQLite,
// building every Video, and the first HereSphere index/scan bodies (serialise + gzip). Explains
// where start-up time goes (bench/startup.ts measures the whole process) without HTTP or process
// start-up in the way. CPU time is reported next to wall time because the machine may be shared.
import { gzipSync } from 'node:zlib';
import { openStore } from '../src/store/index.ts';
import { Catalog } from '../src/catalog/catalog.ts';
import { buildSections } from '../src/library/sections.ts';
import { formatIndex, formatScanEntry } from '../src/api/heresphere/format.ts';
import { GzipJsonArray } from '../src/api/cached-json.ts';
import type { Video } from '../src/library/model.ts';
import { progress, type BenchResult } from './lib/report.ts';
import { fmtMs, summarize, type Summary } from './lib/stats.ts';
import { removeDir, syncedDataDir } from './lib/fixture.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';

const BASE = 'http://192.168.1.20:5090';

interface Phase {
  name: string;
  fn: () => unknown;
}

function timeIt(fn: () => unknown): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const rows = [];
  const data: Record<string, Record<string, { wall: Summary; cpu: Summary }>> = {};
  const reps = opts.quick ? 3 : 7;
  for (const n of opts.sizes) {
    const dir = await syncedDataDir(n);
    const store = openStore(dir);
    try {
      const catalog = new Catalog(store);
      let sections: ReturnType<typeof buildSections> = [];
      let index = '';
      let scan = '';
      const chunks = new GzipJsonArray<Video>();
      const phases: Phase[] = [
        { name: 'store: summaries', fn: () => store.library.all() },
        { name: 'store: infos', fn: () => store.library.infosFor([...store.library.idsWithInfo()]) },
        { name: 'catalog.loadAll', fn: () => catalog.loadAll() },
        { name: 'sections (index, nothing built)', fn: () => (sections = catalog.sections(Date.now())) },
        { name: 'list(): build every video', fn: () => catalog.list() },
        { name: 'sections from built videos', fn: () => buildSections(catalog.list(), Date.now()) },
        { name: 'index JSON', fn: () => (index = JSON.stringify(formatIndex(sections, BASE))) },
        { name: 'index gzip', fn: () => gzipSync(index, { level: 6 }) },
        { name: 'scan JSON, whole (before)', fn: () => (scan = JSON.stringify({ scanData: catalog.list().map((v) => formatScanEntry(v, BASE)) })) },
        { name: 'scan gzip, whole (before)', fn: () => gzipSync(scan, { level: 6 }) },
        { name: 'scan body, chunked gzip, all chunks new', fn: () => new GzipJsonArray<Video>().build('{"scanData":', catalog.list(), '}', (v) => formatScanEntry(v, BASE)) },
      ];
      const per: Record<string, { wall: number[]; cpu: number[] }> = {};
      for (let r = 0; r < reps; r++) {
        progress(`catalog phases ${fmtN(n)} rep ${r + 1}/${reps}`);
        for (const p of phases) {
          const t = timeIt(p.fn);
          const slot = (per[p.name] ??= { wall: [], cpu: [] });
          slot.wall.push(t.wall);
          slot.cpu.push(t.cpu);
        }
      }
      // Incremental: the chunks of a built scan, then one video changes (a probe) and the body is made again.
      chunks.build('{"scanData":', catalog.list(), '}', (x) => formatScanEntry(x, BASE));
      const inc = { wall: [] as number[], cpu: [] as number[] };
      for (let r = 0; r < reps; r++) {
        const v = catalog.list()[(r * 7919) % catalog.size]!;
        const f = v.videos[0];
        const t = timeIt(() => {
          if (f) catalog.setProbe({ hash: v.hash, path: f.path, bytes: f.bytes }, { durationMs: 1000 + r, width: 3840, height: 1920, codec: 'hevc', fps: 30 });
          chunks.build('{"scanData":', catalog.list(), '}', (x) => formatScanEntry(x, BASE));
        });
        inc.wall.push(t.wall);
        inc.cpu.push(t.cpu);
      }
      per['scan body after one probe (one chunk re-made)'] = inc;
      phases.push({ name: 'scan body after one probe (one chunk re-made)', fn: () => undefined });
      data[String(n)] = {};
      for (const p of phases) {
        const s = per[p.name]!;
        const wall = summarize(s.wall);
        const cpu = summarize(s.cpu);
        data[String(n)]![p.name] = { wall, cpu };
        rows.push({ torrents: fmtN(n), phase: p.name, 'wall median': fmtMs(wall.median), 'wall p95': fmtMs(wall.p95), 'CPU median': fmtMs(cpu.median) });
      }
    } finally {
      store.close();
      removeDir(dir);
    }
  }
  return [
    {
      name: 'catalog',
      title: 'Catalog load and index/scan building, in-process, by phase',
      columns: ['torrents', 'phase', 'wall median', 'wall p95', 'CPU median'],
      rows,
      checks: [],
      notes: [`${reps} repeats per phase on the pre-synced fixture, in this order; "catalog.loadAll" reads the summaries (as in the first row) and builds no video; "list()" then builds every video (reading the infos in batches).`],
      data,
    },
  ];
}
