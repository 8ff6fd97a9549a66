// Never a half-written file: ffmpeg killed from outside in the middle of encoding a preview (the
// user's antivirus, an OOM killer, a crash) leaves no final file and no temp file behind, and
// the job is retried later instead of being remembered as a failure of the file.
import assert from 'node:assert/strict';
import { statSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { ensureSamples, type Samples } from './fake-rd/samples.ts';
import { mediaFixture, waitFor } from './media.helpers.ts';

let samples: Samples;
before(async () => {
  samples = await ensureSamples();
});

/** A slow proxy in front of the fake CDN: passes Range through, sends 16 KB every 40 ms, so a job takes seconds. */
async function slowProxy(t: TestContext): Promise<(upstream: string) => string> {
  const server = createServer(async (req, res) => {
    const upstream = new URL(req.url!.slice(1), 'http://placeholder').searchParams.get('u')!;
    try {
      const r = await fetch(upstream, { headers: req.headers.range ? { range: req.headers.range } : {} });
      const headers: Record<string, string> = {};
      for (const k of ['content-type', 'content-length', 'content-range', 'accept-ranges']) {
        const v = r.headers.get(k);
        if (v) headers[k] = v;
      }
      res.writeHead(r.status, headers);
      const reader = r.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || res.destroyed) break;
        for (let i = 0; i < value.length && !res.destroyed; i += 16 * 1024) {
          res.write(value.subarray(i, i + 16 * 1024));
          await new Promise((ok) => setTimeout(ok, 40));
        }
      }
      await reader.cancel().catch(() => {});
      res.end();
    } catch {
      res.destroy();
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  return (upstream) => `http://127.0.0.1:${port}/?u=${encodeURIComponent(upstream)}`;
}

test('ffmpeg killed mid-encode: no partial preview is ever served, no temp file is left', async (t) => {
  const via = await slowProxy(t);
  const fx = await mediaFixture(t, { files: { flat: samples.flat }, resolve: async (_target, _opts, mint) => via(mint()) });
  const target = { ...fx.targets.flat!, durationMs: samples.flat.durationMs };
  const dir = join(fx.dir, 'media');
  const temps = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
  const done = fx.pipeline.ensure('preview', target, 'now');
  // Wait until ffmpeg has written part of its output, then kill it the hard way.
  await waitFor(() => fx.pipeline.processes.size > 0 && temps().some((f) => statSync(join(dir, f)).size > 0), 'ffmpeg to write part of the preview', 60_000);
  const [pid] = [...fx.pipeline.processes];
  process.kill(pid!, 'SIGKILL');
  const state = await done;
  await fx.pipeline.onIdle();
  assert.deepEqual(temps(), [], 'the half-written temp file is gone');
  // Killed from outside is not the file's fault: tried again (this fixture has no quick retries, so
  // the job is postponed), never remembered as a failure, and nothing half-made is served meanwhile.
  assert.equal(state.state, 'pending', JSON.stringify(state));
  assert.deepEqual(fx.pipeline.status().failures, [], 'nothing remembered as a failure of the file');
  assert.equal(fx.pipeline.status().postponed, 1);
  assert.deepEqual(readdirSync(dir), [], 'no final file either');
  assert.notEqual(fx.pipeline.peek('preview', target).state, 'ready');
});

