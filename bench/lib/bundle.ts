// The server as `npm start` runs it (same esbuild options as scripts/build-server.mjs) plus the
// benchmarks' memory probe: one ESM file run by plain `node`. Written to .bench-tmp/server/ (git-ignored) two levels
// below the project root, so the paths the server resolves from its own URL (dist/web, assets)
// still work; the auth pages it reads beside its module are copied next to the bundle.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server.ts';

export const BUNDLE_DIR = join(ROOT, '.bench-tmp', 'server');

/** Builds main.mjs and mem-probe.mjs; returns the node arguments that run the bundled server. */
export async function bundleServer(): Promise<string[]> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const common = { bundle: true, platform: 'node' as const, format: 'esm' as const, target: 'node20', packages: 'external' as const, logLevel: 'warning' as const };
  await build({ ...common, entryPoints: [join(ROOT, 'src', 'main.ts')], outfile: join(BUNDLE_DIR, 'main.mjs') });
  await build({ ...common, entryPoints: [join(ROOT, 'bench', 'lib', 'mem-probe.ts')], outfile: join(BUNDLE_DIR, 'mem-probe.mjs') });
  const auth = join(ROOT, 'src', 'api', 'auth');
  for (const f of readdirSync(auth)) if (!f.endsWith('.ts')) copyFileSync(join(auth, f), join(BUNDLE_DIR, f));
  return ['--import', join(BUNDLE_DIR, 'mem-probe.mjs'), join(BUNDLE_DIR, 'main.mjs')];
}
