// Every list route also answers with a trailing slash, like XBVR and stash-vr, which serve the
// library at `/heresphere/`: players and users type it that way. It used to match
// `/heresphere/:id` with an empty id and answer 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ media: false, torrents: [{ filename: 'Slash.Scene.180.LR.mp4', files: [{ path: '/Slash.Scene.180.LR.mp4', bytes: 1_000_000 }] }] });
});
after(() => h?.close());

const ROUTES: Array<{ method: 'GET' | 'POST'; path: string; has: string }> = [
  { method: 'POST', path: '/heresphere', has: 'library' }, // HereSphere's index
  { method: 'GET', path: '/heresphere', has: 'library' },
  { method: 'POST', path: '/heresphere/scan', has: 'scanData' },
  { method: 'GET', path: '/deovr', has: 'scenes' },
  { method: 'POST', path: '/deovr', has: 'scenes' }, // DeoVR posts its login form here
  { method: 'GET', path: '/api/library', has: 'videos' },
];

for (const r of ROUTES) {
  test(`${r.method} ${r.path}/ answers like ${r.path}`, async () => {
    const init = { method: r.method, headers: { 'content-type': 'application/json' }, ...(r.method === 'POST' ? { body: '{}' } : {}) };
    const plain = await fetch(`${h.url}${r.path}`, init);
    const slash = await fetch(`${h.url}${r.path}/`, init);
    assert.equal(plain.status, 200);
    assert.equal(slash.status, 200, await slash.clone().text());
    const [a, b] = [(await plain.json()) as Record<string, unknown>, (await slash.json()) as Record<string, unknown>];
    assert.ok(r.has in b, `${r.path}/ has ${r.has}`);
    assert.deepEqual(b, a);
  });
}
