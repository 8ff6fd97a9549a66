// The fake RD misbehaves the way the real one does (issue 12): bad and short pages mid-listing,
// totals that lie or change, 304s without a total, renamed single-file torrents, slow unrestricts
// on the fake's own timer, the same download URL after a CDN 403, fair-use codes after N
// unrestricts and a short 10 s window inside the minute budget. Each knob is checked here so the
// product tests that turn it on can trust it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateLibrary, startFakeRd, type FakeRd, type FakeRdOptions } from './fake-rd/index.ts';
import { ManualClock } from './realdebrid.support.ts';

const NOW = Date.UTC(2026, 7, 21, 12, 0, 0);

async function withFake(opts: FakeRdOptions, fn: (fake: FakeRd) => Promise<void>): Promise<void> {
  const fake = await startFakeRd({ rateLimit: false, now: () => NOW, ...opts });
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

async function call(fake: FakeRd, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${fake.token}`);
  const res = await fetch(`${fake.apiUrl}${path}`, { ...init, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { res, text, json: json as any, total: res.headers.get('x-total-count') };
}

const unrestrict = (fake: FakeRd, link: string) => call(fake, '/unrestrict/link', { method: 'POST', body: new URLSearchParams({ link }) });

test('listFault: every bad page kind arrives mid-listing only, `times` times, then pages are normal again', () =>
  withFake({ torrents: generateLibrary(30, { seed: 2, now: NOW }) }, async (fake) => {
    const expect: Record<string, (r: Awaited<ReturnType<typeof call>>) => boolean> = {
      object: (r) => r.res.status === 200 && JSON.stringify(r.json) === '{}',
      '204': (r) => r.res.status === 204 && r.text === '',
      html: (r) => r.res.status === 200 && r.text.startsWith('<html>'),
      'not-array': (r) => r.res.status === 200 && !Array.isArray(r.json) && r.json !== undefined,
      short: (r) => Array.isArray(r.json) && r.json.length === 5,
      repeat: (r) => Array.isArray(r.json) && r.json[0].id === fake.torrents()[7]!.id,
    };
    for (const [kind, ok] of Object.entries(expect)) {
      fake.setFault({ listFault: { kind: kind as never, times: 1 } });
      const first = await call(fake, '/torrents?page=1&limit=10');
      assert.equal(first.json.length, 10, `${kind}: the first page is untouched`);
      const bad = await call(fake, '/torrents?page=2&limit=10');
      assert.ok(ok(bad), `${kind}: ${bad.res.status} ${bad.text.slice(0, 80)}`);
      const again = await call(fake, '/torrents?page=2&limit=10');
      assert.equal(again.json.length, 10, `${kind}: one bad answer only`);
    }
  }));

test('totalCountLie: a total that lies, or changes after the first page; a 304 can drop the total', () =>
  withFake({ torrents: generateLibrary(30, { seed: 2, now: NOW }) }, async (fake) => {
    fake.setFault({ totalCountLie: { delta: -4 } });
    assert.equal((await call(fake, '/torrents?page=1&limit=10')).total, '26');
    fake.setFault({ totalCountLie: { delta: 3, afterFirstPage: true } });
    assert.equal((await call(fake, '/torrents?page=1&limit=10')).total, '30');
    assert.equal((await call(fake, '/torrents?page=2&limit=10')).total, '33');
    fake.setFault({ totalCountLie: null });
    const head = await call(fake, '/torrents?page=1&limit=5');
    fake.removeTorrent(fake.torrents()[20]!.id!);
    const withTotal = await call(fake, '/torrents?page=1&limit=5', { headers: { 'If-None-Match': head.res.headers.get('etag')! } });
    assert.equal(withTotal.res.status, 304, 'a deletion deep in the list leaves the head page ETag unchanged');
    assert.equal(withTotal.total, '29');
    fake.setFault({ notModifiedWithoutTotal: true });
    const bare = await call(fake, '/torrents?page=1&limit=5', { headers: { 'If-None-Match': head.res.headers.get('etag')! } });
    assert.equal(bare.res.status, 304);
    assert.equal(bare.total, null);
  }));

test('renamedToFile: the listed name is the one selected file, info keeps the original name', () =>
  withFake(
    {
      torrents: [
        {
          filename: 'Studio.Pack.2026',
          renamedToFile: true,
          files: [
            { path: '/Studio.Pack.2026/cover.jpg', selected: false },
            { path: '/Studio.Pack.2026/Scene.Two.180.LR.mp4' },
          ],
        },
      ],
    },
    async (fake) => {
      const [item] = (await call(fake, '/torrents')).json;
      assert.equal(item.filename, 'Scene.Two.180.LR.mp4');
      const info = (await call(fake, `/torrents/info/${item.id}`)).json;
      assert.equal(info.original_filename, 'Studio.Pack.2026');
      assert.deepEqual(info.files.filter((f: { selected: number }) => f.selected).map((f: { id: number }) => f.id), [2]);
    },
  ));

test('slowUnrestrict waits on the fake timer; fairUseAfterUnrestricts answers 23/36 after N', async () => {
  const clock = new ManualClock();
  await withFake({ torrents: generateLibrary(5, { seed: 4, now: NOW }), now: clock.now, setTimer: clock.setTimer }, async (fake) => {
    const links = fake.torrents().map((t) => t.id!);
    const info = (await call(fake, `/torrents/info/${links[0]}`)).json;
    fake.setFault({ slowUnrestrict: { minMs: 5000, maxMs: 8000 } });
    const pending = unrestrict(fake, info.links[0]);
    while (clock.pending() === 0) await new Promise((r) => setImmediate(r));
    const started = clock.t;
    await clock.advanceToNext();
    const slow = await pending;
    assert.equal(slow.res.status, 200);
    assert.ok(clock.t - started >= 5000 && clock.t - started <= 8000, `took ${clock.t - started} ms of fake time`);
    fake.setFault({ slowUnrestrict: null, fairUseAfterUnrestricts: { after: 2, code: 23 } });
    assert.equal((await unrestrict(fake, info.links[0])).res.status, 200);
    const refused = await unrestrict(fake, info.links[0]);
    assert.equal(refused.res.status, 503);
    assert.equal(refused.json.error_code, 23);
    fake.setFault({ fairUseAfterUnrestricts: { after: 2, code: 36 } });
    assert.equal((await unrestrict(fake, info.links[0])).json.error_code, 36);
    assert.equal(fake.unrestrictsServed(), 2);
  });
});

test('cdnDenied + sameDownloadOnUnrestrict: the CDN refuses and a fresh unrestrict hands back the same URL', () =>
  withFake({ torrents: generateLibrary(2, { seed: 4, now: NOW }) }, async (fake) => {
    const info = (await call(fake, `/torrents/info/${fake.torrents()[0]!.id}`)).json;
    const first = (await unrestrict(fake, info.links[0])).json.download as string;
    fake.setFault({ cdnDenied: 403, sameDownloadOnUnrestrict: true });
    assert.equal((await fetch(first, { method: 'HEAD' })).status, 403);
    assert.equal((await unrestrict(fake, info.links[0])).json.download, first);
    fake.setFault({ cdnDenied: null, sameDownloadOnUnrestrict: false });
    assert.equal((await fetch(first, { method: 'HEAD' })).status, 200);
    assert.notEqual((await unrestrict(fake, info.links[0])).json.download, first);
  }));

test('shortWindow: 22 calls per 10 s refused beyond, even under the minute budget', async () => {
  let t = NOW;
  await withFake({ now: () => t, rateLimit: { max: 250, windowMs: 60_000, shortWindow: { max: 22, windowMs: 10_000 } } }, async (fake) => {
    for (let i = 0; i < 22; i++) assert.equal((await call(fake, '/user')).res.status, 200);
    assert.equal((await call(fake, '/user')).res.status, 429);
    t += 10_001;
    assert.equal((await call(fake, '/user')).res.status, 200);
  });
});
