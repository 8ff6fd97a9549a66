// Builds the browser view into dist/web/: src/web/main.ts bundled and minified by esbuild (with a
// source map), plus index.html, styles.css and icon.svg copied beside it. Code splitting puts
// what main.ts imports with import() (the VR viewer, src/web/vr/viewer.ts) in its own
// content-named chunk (viewer-<hash>.js), fetched only when first used. index.html gets
// content-hash query strings on its asset URLs so browsers never run a stale bundle.
// Plain Node ESM (no TypeScript): scripts/ensure.mjs runs it before start/test when sources change.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'web');
const out = join(root, 'dist', 'web');

const started = Date.now();
mkdirSync(out, { recursive: true });
// Chunks of earlier builds (their names change with their content).
for (const f of readdirSync(out)) if (/^[a-z]+-[A-Z0-9]{8}\.js(\.map)?$/.test(f)) rmSync(join(out, f));

await build({
  entryPoints: { app: join(src, 'main.ts') },
  outdir: out,
  splitting: true,
  chunkNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  logLevel: 'warning',
});

await build({
  entryPoints: [join(src, 'styles.css')],
  outfile: join(out, 'styles.css'),
  minify: true,
  logLevel: 'warning',
});

copyFileSync(join(src, 'icon.svg'), join(out, 'icon.svg'));

const hash = (file) => createHash('sha256').update(readFileSync(join(out, file))).digest('hex').slice(0, 10);
const html = readFileSync(join(src, 'index.html'), 'utf8')
  .replace('/assets/app.js"', `/assets/app.js?v=${hash('app.js')}"`)
  .replace('/assets/styles.css"', `/assets/styles.css?v=${hash('styles.css')}"`)
  .replace('/assets/icon.svg"', `/assets/icon.svg?v=${hash('icon.svg')}"`);
writeFileSync(join(out, 'index.html'), html);

console.log(`debridsphere: browser view built into dist/web in ${Date.now() - started} ms`);
