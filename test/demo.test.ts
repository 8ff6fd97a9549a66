// `npm run demo` must be usable from a headset: everything it lists plays through URLs on the
// server itself (the fake's download server is on this machine only), with Range support.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDemo } from '../scripts/demo.ts';

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
