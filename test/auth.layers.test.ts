// The auth core depends on no player adapter (issue 11 item 6): src/api/auth/ must not import
// from src/api/heresphere/ or src/api/deovr/ (adapters import auth, and the app hands the auth
// plugin their refusals), and response headers are set in one module only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('src/api/auth imports no player adapter', () => {
  for (const file of tsFiles(join(SRC, 'api', 'auth'))) {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    const bad = imports.filter((i) => /(^|\/)(heresphere|deovr)\//.test(i));
    assert.deepEqual(bad, [], `${file} imports ${bad.join(', ')}`);
  }
});

test('the hardening headers are set in one module', () => {
  const setters = tsFiles(SRC).filter((f) => /header\(\s*'(x-content-type-options|referrer-policy|x-frame-options)'/i.test(readFileSync(f, 'utf8')));
  assert.deepEqual(setters, [], 'only src/api/headers.ts sets them (through its table)');
});
