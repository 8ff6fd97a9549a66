import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startLibraryServer, sleep } from './lib/serve.ts';
import { bundleServer } from './lib/bundle.ts';
async function main() {
  const entry = await bundleServer();
  const s = await startLibraryServer(0, { latencyMs: 80, entry });
  await sleep(2000);
  const pid = (s.proc as any).pid ?? null;
  console.log('pid', pid);
  const out = execSync(`ps -o pid,rss,nlwp,cmd --ppid ${process.pid} --forest; for p in $(pgrep -f "dist/server\\|.bench-tmp/server/main.mjs"); do echo $p; grep -E "Threads|VmRSS|RssAnon|RssFile" /proc/$p/status; done`).toString();
  console.log(out);
  await s.close();
}
void main();
