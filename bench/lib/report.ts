// How every benchmark hands back its figures: a titled table (printed for people), target
// checks (pass/miss against the targets in BENCHMARKS.md) and the raw numbers as JSON (one
// `BENCH_JSON` line per result, so a run can be diffed or graphed later).

export type Cell = string | number;

export interface Check {
  /** What is measured, e.g. "10k index, warm (median)". */
  what: string;
  /** The target in words, e.g. "≤ 30 ms". */
  target: string;
  actual: string;
  ok: boolean;
}

export interface BenchResult {
  /** Benchmark name (the file in bench/ and the `--only` value). */
  name: string;
  title: string;
  columns: string[];
  rows: Array<Record<string, Cell>>;
  checks: Check[];
  notes: string[];
  /** Raw figures (samples summarised, counts) for the JSON output. */
  data: unknown;
}

export function check(what: string, target: string, actual: string, ok: boolean): Check {
  return { what, target, actual, ok };
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - [...s].length));
}

/** A plain-text table (terminal). */
export function textTable(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max([...c].length, ...cells.map((r) => [...(r[i] as string)].length)));
  const line = (vals: readonly string[]) => vals.map((v, i) => pad(v, widths[i] as number)).join('  ');
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** A Markdown table (BENCHMARKS.md). */
export function mdTable(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${columns.map(esc).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${columns.map((c) => esc(String(r[c] ?? ''))).join(' | ')} |`),
  ].join('\n');
}

export function checksRows(checks: readonly Check[]): Array<Record<string, Cell>> {
  return checks.map((c) => ({ result: c.ok ? 'PASS' : 'MISS', what: c.what, target: c.target, actual: c.actual }));
}

export function printResult(r: BenchResult): void {
  const out: string[] = ['', `== ${r.title} [${r.name}]`, textTable(r.columns, r.rows)];
  if (r.checks.length > 0) out.push('', textTable(['result', 'what', 'target', 'actual'], checksRows(r.checks)));
  for (const n of r.notes) out.push(`  note: ${n}`);
  out.push(`BENCH_JSON ${JSON.stringify({ name: r.name, title: r.title, rows: r.rows, checks: r.checks, data: r.data })}`);
  console.log(out.join('\n'));
}

/** Progress lines go to stderr so stdout stays tables + JSON. */
export function progress(msg: string): void {
  process.stderr.write(`  … ${msg}\n`);
}
