// `npm run bench [-- --quick] [--only startup,api] [--write|--no-write]`: runs the benchmarks
// (one file per question in bench/) one after the other against the real server and the fake RD,
// prints each result as a table and a BENCH_JSON line, then a summary of the targets. A full run
// (all benchmarks, not --quick) also rewrites the generated part of BENCHMARKS.md and
// bench/results/latest.json. Env: BENCH_RD_LATENCY_MS (default 80), BENCH_NODE_ARGS (server flags).
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchOptions, type BenchOptions } from './lib/options.ts';
import { printResult, textTable, checksRows, type BenchResult } from './lib/report.ts';
import { load1, loadString, machine } from './lib/machine.ts';
import { closeHttp } from './lib/http.ts';
import { ROOT } from './lib/server.ts';
import { writeBenchmarksMd, type RunRecord } from './lib/markdown.ts';

type Bench = { run: (o: BenchOptions) => Promise<BenchResult[]> };

/** In run order: cheap and quiet first, the CPU-heavy ones (ffmpeg, Chromium) last. */
const BENCHES: Record<string, () => Promise<Bench>> = {
  startup: () => import('./startup.ts'),
  catalog: () => import('./catalog.ts'),
  api: () => import('./api.ts'),
  sync: () => import('./sync.ts'),
  memory: () => import('./memory.ts'),
  'media-bytes': () => import('./media-bytes.ts'),
  responsiveness: () => import('./responsiveness.ts'),
  browser: () => import('./browser.ts'),
  vr: () => import('./vr.ts'),
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean' },
    },
  });
  const names = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : Object.keys(BENCHES);
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')} (have: ${Object.keys(BENCHES).join(', ')})`);
  const opts = benchOptions(values.quick);
  const m = machine();
  console.log(`debridsphere benchmarks — ${m.date}, ${m.cpu} (${m.cores} cores), ${m.ramGiB} GiB, Node ${m.node}, ${m.os}, commit ${m.commit}${m.dirty ? ' + local changes' : ''}`);
  console.log(`mode: ${opts.quick ? 'quick' : 'full'}, sizes ${opts.sizes.join(', ')}, RD latency ${opts.latencyMs} ms; load average ${loadString()}`);
  const started = performance.now();
  const record: RunRecord = { machine: m, quick: opts.quick, latencyMs: opts.latencyMs, benches: [] };
  for (const name of names) {
    const loadBefore = load1();
    const t0 = performance.now();
    const mod = await BENCHES[name]!();
    try {
      const results = await mod.run(opts);
      for (const r of results) printResult(r);
      record.benches.push({ name, seconds: (performance.now() - t0) / 1000, loadBefore, loadAfter: load1(), results });
    } catch (err) {
      console.error(`benchmark ${name} failed:`, err);
      record.benches.push({ name, seconds: (performance.now() - t0) / 1000, loadBefore, loadAfter: load1(), results: [], error: err instanceof Error ? err.message : String(err) });
    }
  }
  await closeHttp();
  const checks = record.benches.flatMap((b) => b.results.flatMap((r) => r.checks));
  console.log(`\n== Targets (${((performance.now() - started) / 1000).toFixed(0)} s in all; load average now ${loadString()})`);
  console.log(textTable(['result', 'what', 'target', 'actual'], checksRows(checks)));
  console.log(`time per benchmark: ${record.benches.map((b) => `${b.name} ${b.seconds.toFixed(0)} s`).join(', ')}`);
  const failed = record.benches.filter((b) => b.error);
  if (failed.length) console.log(`failed: ${failed.map((b) => `${b.name} (${b.error})`).join('; ')}`);

  const full = !values.only && !opts.quick;
  if (values.write || (full && !values['no-write'])) {
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, opts.quick ? 'latest-quick.json' : 'latest.json'), JSON.stringify(record));
    writeBenchmarksMd(join(ROOT, 'BENCHMARKS.md'), record);
    console.log('BENCHMARKS.md and bench/results updated.');
  }
  if (failed.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
