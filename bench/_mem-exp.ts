import { timed } from './lib/http.ts';
import { HS_HEADERS } from './lib/server.ts';
import { sleep, startLibraryServer } from './lib/serve.ts';
import { bundleServer } from './lib/bundle.ts';
const MB = 1024 * 1024;
async function main() {
  const entry = await bundleServer();
  const order = (process.argv[2] ?? 'hs,scan,deovr,lib').split(',');
  const s = await startLibraryServer(50_000, { latencyMs: 80, nodeArgs: ['--expose-gc'], entry });
  const paths: Record<string, [string, RequestInit & { headers?: Record<string, string> }]> = {
    hs: ['/heresphere', { method: 'POST', headers: HS_HEADERS, body: '{}' }],
    scan: ['/heresphere/scan', { method: 'POST', headers: HS_HEADERS, body: '{}' }],
    deovr: ['/deovr', { headers: { 'accept-encoding': 'gzip' } }],
    lib: ['/api/library', { headers: { 'accept-encoding': 'gzip' } }],
  };
  const m0 = await s.proc.memory();
  console.log('loaded', (m0.rss / MB).toFixed(0), 'heap', (m0.heapUsed / MB).toFixed(0), 'total', (m0.heapTotal / MB).toFixed(0), 'ext', (m0.external / MB).toFixed(0));
  for (const k of order) {
    const [p, init] = paths[k]!;
    const t0 = performance.now();
    const r = await timed(s.url + p, init as never);
    await sleep(500);
    const m = await s.proc.memory();
    console.log(k, r.status, (performance.now() - t0).toFixed(0), 'ms', 'rss', (m.rss / MB).toFixed(0), 'heap', (m.heapUsed / MB).toFixed(0), 'total', (m.heapTotal / MB).toFixed(0), 'ext', (m.external / MB).toFixed(0), 'ab', (m.arrayBuffers / MB).toFixed(0));
  }
  for (const wait of [5000, 5000, 10000, 10000]) {
  await sleep(wait);
  const r = await s.proc.memory();
  console.log('rest +', wait, 'rss', (r.rss / MB).toFixed(0), 'heap', (r.heapUsed / MB).toFixed(0), 'total', (r.heapTotal / MB).toFixed(0), 'ext', (r.external / MB).toFixed(0));
  }
  const g = await s.proc.memory({ gc: true });
  console.log('gc rss', (g.rss / MB).toFixed(0), 'heap', (g.heapUsed / MB).toFixed(0), 'total', (g.heapTotal / MB).toFixed(0), 'ext', (g.external / MB).toFixed(0));
  await s.close();
}
void main();
