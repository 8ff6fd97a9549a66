import { timed } from './lib/http.ts';
import { HS_HEADERS } from './lib/server.ts';
import { sleep, startLibraryServer } from './lib/serve.ts';
import { bundleServer } from './lib/bundle.ts';
async function main() {
  const entry = await bundleServer();
  const env = process.argv[3] ? { MEDIA_BACKGROUND_PROBE: process.argv[3] } : undefined;
  const s = await startLibraryServer(50_000, { latencyMs: 80, nodeArgs: ['--expose-gc'], entry, ...(env ? { env } : {}) });
  for (const [p, init] of [
    ['/heresphere', { method: 'POST', headers: HS_HEADERS, body: '{}' }],
    ['/heresphere/scan', { method: 'POST', headers: HS_HEADERS, body: '{}' }],
    ['/deovr', { headers: { 'accept-encoding': 'gzip' } }],
    ['/api/library', { headers: { 'accept-encoding': 'gzip' } }],
  ] as const) await timed(s.url + p, init as never);
  await sleep(1000);
  await s.proc.memory({ gc: true });
  await s.proc.heapSnapshot(process.argv[2]!);
  await s.close();
}
void main();
