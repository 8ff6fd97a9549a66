// `npm ci` on the oldest Node the README supports must not warn EBADENGINE: every package in the
// lockfile accepts the minimum of package.json "engines" (cookie@2, pulled in by fastify's
// light-my-request 6.8, wanted Node 22: package.json "overrides" pins light-my-request 6.6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// fastify's own dependency: the same range logic npm uses for engines.
const semver = require('semver') as { minVersion(r: string): { version: string } | null; satisfies(v: string, r: string): boolean };
const root = new URL('..', import.meta.url);

test('every locked package runs on the oldest supported Node (no EBADENGINE on npm ci)', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
  const oldest = semver.minVersion(pkg.engines.node)!.version;
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  assert.match(readme, new RegExp(`Node\\.js\\]\\(https://nodejs\\.org\\) ${oldest.replace(/\./g, '\\.')} or newer`), 'README names the same minimum');
  const refuse = Object.entries(lock.packages)
    .map(([name, p]) => [name, !Array.isArray(p.engines) ? p.engines?.node : undefined] as const)
    .filter(([, range]) => range !== undefined && !semver.satisfies(oldest, range));
  assert.deepEqual(refuse, [], `packages that refuse Node ${oldest}`);
});
