// `npm run demo` must be usable from a headset: everything it lists plays through URLs on the
// server itself (the fake's download server is on this machine only), with Range support.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDemo } from '../scripts/demo.ts';
import { samplesMissing } from './fake-rd/samples.ts';

test('the demo library browses and every video plays through the server, Range included', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ds-demo-'));
  const demo = await startDemo({ env: { DEMO_DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'silent' }, port: 0 });
  t.after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  assert.match(demo.lines.join('\n'), /HereSphere: http:\/\/\S+\/heresphere/);
  const index = (await (await fetch(`${demo.localUrl}/heresphere`, { method: 'POST', body: '{}' })).json()) as { library: Array<{ list: string[] }> };
  const videos = [...new Set(index.library.flatMap((s) => s.list))];
  assert.ok(videos.length >= 5, `${videos.length} demo videos`);
  let played = 0;
  for (const url of videos) {
    const obj = (await (await fetch(url, { method: 'POST', body: '{}' })).json()) as { media: Array<{ sources: Array<{ url: string }> }> };
    for (const m of obj.media) {
      const src = m.sources[0]!.url;
      assert.ok(src.startsWith(demo.localUrl), `${src} is on the server, not the fake's download host`);
      const r = await fetch(src, { headers: { range: 'bytes=0-99' }, redirect: 'manual' });
      assert.equal(r.status, 206, src);
      assert.equal((await r.arrayBuffer()).byteLength, 100);
      played++;
    }
  }
  assert.ok(played >= videos.length, 'every video has at least one playable source');
});

/** Plays the first 100 bytes of every media source the demo's HereSphere library offers; returns the statuses. */
async function playAll(base: string): Promise<number[]> {
  const index = (await (await fetch(`${base}/heresphere`, { method: 'POST', body: '{}' })).json()) as { library: Array<{ list: string[] }> };
  const statuses: number[] = [];
  for (const url of new Set(index.library.flatMap((s) => s.list))) {
    const obj = (await (await fetch(url, { method: 'POST', body: '{}' })).json()) as { media: Array<{ sources: Array<{ url: string }> }> };
    for (const m of obj.media) {
      const r = await fetch(m.sources[0]!.url, { headers: { range: 'bytes=0-99' } });
      await r.arrayBuffer();
      statuses.push(r.status);
    }
  }
  return statuses;
}

test('npm run demo a second time on the same data plays everything (stored links point at the previous run)', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ds-demo-twice-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DEMO_DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'silent' };
  const first = await startDemo({ env, port: 0 });
  const once = await playAll(first.localUrl);
  await first.close();
  assert.ok(once.length >= 5 && once.every((s) => s === 206), `first run: ${once}`);
  assert.equal(samplesMissing(), false, 'the samples are cached: a second run does not say "first run"');
  // The fake RD of the first run is gone with its port; the links stored then point there.
  const second = await startDemo({ env, port: 0 });
  t.after(() => second.close());
  const again = await playAll(second.localUrl);
  assert.deepEqual(again, once, 'every video plays again');
});
