// The browser VR viewer's two costs, to choose and keep the renderer honest: bytes (what the
// page downloads before and after pressing "Play in VR": the built dist/web files, gzipped as
// served) and frame time (src/web/vr/ drawing a 180° SBS sphere with a new 4096x2048 frame per
// frame in Chromium with SwiftShader, i.e. on the CPU: an upper bound, a phone GPU is faster).
// With THREE_DIR=<folder holding node_modules/three> the same is measured for the usual three.js
// recipe (a minimal video-sphere bundle, and its frame time), which is how the hand-written
// renderer was chosen (BENCHMARKS.md, "Browser VR viewer").
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { check, progress, type BenchResult, type Cell } from './lib/report.ts';
import { fmtMs, summarize } from './lib/stats.ts';
import { ROOT } from './lib/server.ts';
import type { BenchOptions } from './lib/options.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run'];
const DIST = join(ROOT, 'dist', 'web');
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

function sizes(): Array<{ file: string; bytes: number; gz: number }> {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('building the web bundle failed');
  return readdirSync(DIST)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const b = readFileSync(join(DIST, f));
      return { file: f, bytes: b.length, gz: gzipSync(b, { level: 9 }).length };
    });
}

async function bundle(entry: string | null, three: string | null, defineThree: boolean): Promise<string> {
  const r = await build({
    ...(entry ? { entryPoints: [entry] } : { stdin: { contents: THREE_MINIMAL, resolveDir: three!, loader: 'js' } }),
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    legalComments: 'none',
    logLevel: 'error',
    define: { THREE_VARIANT: String(defineThree) },
    ...(three ? { nodePaths: [join(three, 'node_modules')] } : { external: ['three'] }),
  });
  return r.outputFiles[0]!.text;
}

/** What a three.js video sphere needs at least (renderer with WebXR, scene, camera, sphere, video texture). */
const THREE_MINIMAL = `import { WebGLRenderer, Scene, PerspectiveCamera, Mesh, SphereGeometry, MeshBasicMaterial, VideoTexture, BackSide } from 'three';
const r = new WebGLRenderer(); r.xr.enabled = true;
const s = new Scene(); const c = new PerspectiveCamera(80, 1, 0.1, 100);
s.add(new Mesh(new SphereGeometry(10, 64, 32), new MeshBasicMaterial({ map: new VideoTexture(document.createElement('video')), side: BackSide })));
r.setAnimationLoop(() => r.render(s, c));`;

async function frameTimes(script: string, frames: number): Promise<number[]> {
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><body><script type="module" src="/bench.js"></script></body>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    const addr = server.address();
    await page.goto(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`);
    await page.waitForFunction(() => 'runBench' in window);
    await page.evaluate(() => (window as unknown as { runBench: (n: number) => Promise<number[]> }).runBench(10)); // warm-up
    return await page.evaluate((n) => (window as unknown as { runBench: (n: number) => Promise<number[]> }).runBench(n), frames);
  } finally {
    await browser.close();
    server.close();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  const three = process.env['THREE_DIR'] ?? null;
  const frames = opts.quick ? 15 : 40; // SwiftShader frames take ~0.2-1 s each on a loaded 2-core machine
  const files = sizes();
  const sum = (pred: (f: string) => boolean, k: 'bytes' | 'gz') => files.filter((f) => pred(f.file)).reduce((n, f) => n + f[k], 0);
  const onLoad = (f: string) => !f.startsWith('viewer-');
  const rows: Array<Record<string, Cell>> = [
    { measure: 'grid page load: app.js + shared chunk', value: `${kb(sum(onLoad, 'bytes'))} (${kb(sum(onLoad, 'gz'))} gzipped)` },
    { measure: 'on "Play in VR": viewer chunk (renderer, WebXR, controls)', value: `${kb(sum((f) => !onLoad(f), 'bytes'))} (${kb(sum((f) => !onLoad(f), 'gz'))} gzipped)` },
  ];
  progress('vr: frame times, hand-written renderer');
  const page = join(ROOT, 'bench', 'lib', 'vr-frame-page.ts');
  const hand = summarize(await frameTimes(await bundle(page, null, false), frames));
  rows.push({ measure: `frame: 4096x2048 upload + draw 1280x720 (hand-written, median / p95 of ${frames})`, value: `${fmtMs(hand.median)} / ${fmtMs(hand.p95)}` });
  const data: Record<string, unknown> = { files, hand };
  if (three && existsSync(join(three, 'node_modules', 'three'))) {
    const min = Buffer.from(await bundle(null, three, true));
    rows.push({ measure: 'three.js minimal video sphere bundle', value: `${kb(min.length)} (${kb(gzipSync(min, { level: 9 }).length)} gzipped)` });
    progress('vr: frame times, three.js');
    const t = summarize(await frameTimes(await bundle(page, three, true), frames));
    rows.push({ measure: `frame, three.js (median / p95 of ${frames})`, value: `${fmtMs(t.median)} / ${fmtMs(t.p95)}` });
    data['three'] = { bytes: min.length, frame: t };
  }
  return [
    {
      name: 'vr',
      title: 'Browser VR viewer: bytes and frame time (Chromium headless, SwiftShader software WebGL)',
      columns: ['measure', 'value'],
      rows,
      checks: [check('VR viewer chunk (gzipped)', '≤ 20 KB', kb(sum((f) => !onLoad(f), 'gz')), sum((f) => !onLoad(f), 'gz') <= 20 * 1024)],
      notes: ['SwiftShader renders on the CPU of this shared machine: frame times are an upper bound for comparing renderers, not a headset figure.'],
      data,
    },
  ];
}
