// The fake RD CDN (realdebrid.md §1.7, §5.1 item 11): Range/206/416/HEAD, expiry, real source
// files with deterministic padding, fault modes, and byte accounting that counts only what was sent.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeRd, type FakeRd, type FakeTorrentSpec } from './fake-rd/index.ts';
import { waitFor } from './helpers/wait.ts';

const T0 = Date.UTC(2026, 7, 21);
const dir = mkdtempSync(join(tmpdir(), 'fake-rd-cdn-'));
const sourceBytes = randomBytes(100_000);
const sourcePath = join(dir, 'sample.mp4');
writeFileSync(sourcePath, sourceBytes);

const SMALL: FakeTorrentSpec = { id: 'SMALLFILE0001', filename: 'Small.Scene.8K.180.LR.mkv', files: [{ path: '/Small.Scene.8K.180.LR.mkv', bytes: 3_000_000 }] };
const BIG: FakeTorrentSpec = { id: 'BIGFILE000001', filename: 'Big.Scene.8K.180.LR.mp4', files: [{ path: '/Big.Scene.8K.180.LR.mp4', bytes: 500_000_000 }] };
const REAL: FakeTorrentSpec = {
  id: 'REALSOURCE001',
  filename: 'Real.Pack',
  files: [
    { path: '/Real.Pack/exact.mp4', source: sourcePath },
    { path: '/Real.Pack/padded.mp4', source: sourcePath, bytes: 250_000 },
  ],
};

async function bytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

/** Waits until the server has closed the last CDN response and its byte count settled. */
async function settled(fake: FakeRd, url: string): Promise<number> {
  let before = -1;
  await waitFor(
    async () => {
      const last = fake.requests.filter((r) => r.route === 'cdn').at(-1);
      before = fake.cdnBytesFor(url);
      await new Promise((r) => setTimeout(r, 20));
      return last !== undefined && last.status !== 0 && fake.cdnBytesFor(url) === before;
    },
    'the last CDN response to close',
    { everyMs: 0 },
  );
  return before;
}

describe('fake CDN', () => {
  let fake: FakeRd;
  const clock = { t: T0 };
  before(async () => {
    fake = await startFakeRd({ torrents: [SMALL, BIG, REAL], rateLimit: false, now: () => clock.t, linkTtlMs: 60_000 });
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('full GET: 200, length, type from extension, Accept-Ranges, deterministic bytes', async () => {
    const url = fake.directUrl(SMALL.id!, 1);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '3000000');
    assert.equal(res.headers.get('content-type'), 'video/x-matroska');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    const body = await bytes(res);
    assert.equal(body.length, 3_000_000);
    const again = await bytes(await fetch(fake.directUrl(SMALL.id!, 1)));
    assert.ok(body.equals(again), 'same file, same bytes, whatever the download id');
    assert.equal(fake.cdnBytesFor(url), 3_000_000);
  });

  test('Range forms: a-b, a-, -n, clamped end; 416 when unsatisfiable; malformed ignored', async () => {
    const url = fake.directUrl(SMALL.id!, 1);
    const full = await bytes(await fetch(url));
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=1048570-1048580', 1_048_570, 1_048_580],
      ['bytes=2999000-', 2_999_000, 2_999_999],
      ['bytes=-500', 2_999_500, 2_999_999],
      ['bytes=2999990-9999999', 2_999_990, 2_999_999],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(url, { headers: { Range: range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get('content-range'), `bytes ${start}-${end}/3000000`);
      assert.equal(res.headers.get('content-length'), String(end - start + 1));
      assert.ok((await bytes(res)).equals(full.subarray(start, end + 1)), range);
    }
    for (const range of ['bytes=3000000-', 'bytes=-0']) {
      const res = await fetch(url, { headers: { Range: range } });
      assert.equal(res.status, 416, range);
      assert.equal(res.headers.get('content-range'), 'bytes */3000000');
      await res.arrayBuffer();
    }
    const malformed = await fetch(url, { headers: { Range: 'bytes=50-10' } });
    assert.equal(malformed.status, 200);
    await malformed.arrayBuffer();
  });

  test('HEAD: 200 + Content-Length, no body, no bytes counted', async () => {
    const url = fake.directUrl(BIG.id!, 1);
    const res = await fetch(url, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '500000000');
    assert.equal((await bytes(res)).length, 0);
    assert.equal(fake.cdnBytesFor(url), 0);
  });

  test('real source files are served as-is, padded deterministically when declared larger', async () => {
    const exact = await fetch(fake.directUrl(REAL.id!, 1));
    assert.equal(exact.headers.get('content-length'), '100000');
    assert.ok((await bytes(exact)).equals(sourceBytes));
    const padded = await bytes(await fetch(fake.directUrl(REAL.id!, 2)));
    assert.equal(padded.length, 250_000);
    assert.ok(padded.subarray(0, 100_000).equals(sourceBytes));
    const tail = await fetch(fake.directUrl(REAL.id!, 2), { headers: { Range: 'bytes=99990-100009' } });
    assert.ok((await bytes(tail)).equals(padded.subarray(99_990, 100_010)));
    assert.equal(fake.torrents().find((t) => t.id === REAL.id)!.files[0]!.bytes, 100_000);
  });

  test('an aborted read counts only what was sent', async () => {
    const url = fake.directUrl(BIG.id!, 1);
    const ctrl = new AbortController();
    const res = await fetch(url, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let received = 0;
    while (received < 1_000_000) received += (await reader.read()).value?.length ?? 0;
    ctrl.abort();
    await reader.cancel().catch(() => {});
    const counted = await settled(fake, url);
    assert.ok(counted >= received, `counted ${counted} >= received ${received}`);
    assert.ok(counted < 100_000_000, `counted ${counted} is far below the 500 MB file`);
  });

  test('cdnBytesServed totals all downloads; cdnBytesFor takes a URL or an id', async () => {
    const before = fake.cdnBytesServed();
    const url = fake.directUrl(SMALL.id!, 1);
    await bytes(await fetch(url, { headers: { Range: 'bytes=0-1233' } }));
    assert.equal(fake.cdnBytesServed() - before, 1234);
    const id = /\/d\/([^/]+)\//.exec(url)![1]!;
    assert.equal(fake.cdnBytesFor(id), 1234);
  });

  test('expired links answer 404; unknown ids 404', async () => {
    const url = fake.directUrl(SMALL.id!, 1);
    clock.t += 60_000;
    const res = await fetch(url);
    assert.equal(res.status, 404);
    await res.arrayBuffer();
    clock.t -= 60_000;
    const unknown = await fetch(`${fake.url}/d/NOTAREALID0000/x.mp4`);
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  });

  test('fault modes: ignore Range, omit Accept-Ranges, connection cap, reset mid-body', async () => {
    const url = fake.directUrl(SMALL.id!, 1);
    fake.setFault({ cdnIgnoreRange: true });
    const ignored = await fetch(url, { headers: { Range: 'bytes=0-9' } });
    assert.equal(ignored.status, 200);
    assert.equal((await bytes(ignored)).length, 3_000_000);
    fake.setFault({ cdnIgnoreRange: false, cdnOmitAcceptRanges: true });
    const noHeader = await fetch(url, { headers: { Range: 'bytes=0-9' } });
    assert.equal(noHeader.status, 206);
    assert.equal(noHeader.headers.get('accept-ranges'), null);
    await noHeader.arrayBuffer();
    fake.setFault({ cdnOmitAcceptRanges: false, cdnConnectionCap: 1 });
    const bigUrl = fake.directUrl(BIG.id!, 1);
    const ctrl = new AbortController();
    const held = await fetch(bigUrl, { signal: ctrl.signal }); // body not read: the response stays open
    const second = await fetch(bigUrl, { headers: { Range: 'bytes=0-9' } });
    assert.equal(second.status, 503);
    await second.arrayBuffer();
    ctrl.abort();
    await held.body?.cancel().catch(() => {});
    await settled(fake, bigUrl);
    fake.setFault({ cdnConnectionCap: 16, cdnResetAfterBytes: 1000 });
    const resetUrl = fake.directUrl(SMALL.id!, 1);
    await assert.rejects(async () => bytes(await fetch(resetUrl)));
    assert.equal(await settled(fake, resetUrl), 1000);
    fake.setFault({ cdnResetAfterBytes: null });
  });

  test('CDN requests are logged as route cdn and not counted as API calls', async () => {
    fake.clearLog();
    await bytes(await fetch(fake.directUrl(SMALL.id!, 1), { headers: { Range: 'bytes=0-0' } }));
    assert.equal(fake.count('cdn'), 1);
    assert.equal(fake.count(), 0);
    assert.equal(fake.requests[0]!.status, 206);
  });
});
