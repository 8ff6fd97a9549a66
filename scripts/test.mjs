// Runs the test suite: every test/**/*.test.ts through node's test runner with tsx, ending with
// the reporter's "N passed, N failed" line. (Node 20's --test does not expand globs itself.)
// Extra arguments are passed on, e.g. `npm test -- --test-name-pattern=sync` or file filters.
import { readdirSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));

function find(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p));
    else if (e.name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = find(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=./test/reporter.mjs', '--test-concurrency=2', ...flags, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
