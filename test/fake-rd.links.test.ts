// Unrestrict on the fake RD (realdebrid.md §1.4, §5.1 item 9-12): positional links, the archive,
// missing-link, dead/infringing/unavailable modes, long ids, RD's renames, downloads history.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ARCHIVE,
  DEAD,
  HOSTILE_NAME,
  INFRINGING,
  LONG_LINK_IDS,
  MISSING_LINK,
  PACK_WITH_JUNK,
  SPECIAL_CHARS,
  UNAVAILABLE_FILE,
  UNICODE_NAME,
  edgeCaseFixtures,
  startFakeRd,
  type FakeRd,
} from './fake-rd/index.ts';

const NOW = Date.UTC(2026, 7, 21, 12);

async function api(fake: FakeRd, path: string, init: RequestInit = {}) {
  const res = await fetch(`${fake.apiUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${fake.token}` } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const info = async (fake: FakeRd, id: string | undefined) => (await api(fake, `/torrents/info/${id}`)).body;
const unrestrict = (fake: FakeRd, link: string) => api(fake, '/unrestrict/link', { method: 'POST', body: new URLSearchParams({ link }) });

describe('unrestrict', () => {
  let fake: FakeRd;
  before(async () => {
    fake = await startFakeRd({ torrents: [...edgeCaseFixtures({ now: NOW }), UNAVAILABLE_FILE], rateLimit: false, now: () => NOW });
  });
  after(() => fake.close());

  test('links follow selected files in API order (§5.2 pack)', async () => {
    const t = await info(fake, PACK_WITH_JUNK.id);
    const names: string[] = [];
    for (const link of t.links) names.push((await unrestrict(fake, link)).body.filename);
    assert.deepEqual(names, ['Scene01.8K.LR.mp4', 'Scene01.8K.LR.srt', 'Scene02.8K.LR.mp4', 'Scene03.8K.LR.mp4', 'Scene04.8K.LR.mp4']);
  });

  test('success body has RD\'s shape and a fresh CDN URL each time', async () => {
    const t = await info(fake, PACK_WITH_JUNK.id);
    const a = await unrestrict(fake, t.links[0]);
    const b = await unrestrict(fake, t.links[0]);
    assert.equal(a.status, 200);
    assert.deepEqual(Object.keys(a.body), ['id', 'filename', 'mimeType', 'filesize', 'link', 'host', 'chunks', 'crc', 'download', 'streamable']);
    assert.equal(a.body.mimeType, 'video/mp4');
    assert.equal(a.body.filesize, 7_130_965_504);
    assert.equal(a.body.streamable, 1);
    assert.equal(a.body.link, t.links[0]);
    assert.match(a.body.id, /^[A-Z0-9]{15}$/);
    assert.equal(a.body.download, `${fake.url}/d/${a.body.id}/Scene01.8K.LR.mp4`);
    assert.notEqual(a.body.download, b.body.download);
  });

  test('archive: one link for three files unrestricts to <name>.rar', async () => {
    const t = await info(fake, ARCHIVE.id);
    assert.equal(t.files.filter((f: { selected: number }) => f.selected).length, 3);
    assert.equal(t.links.length, 1);
    const u = (await unrestrict(fake, t.links[0])).body;
    assert.equal(u.filename, 'Trilogy.VR.Pack.rar');
    assert.equal(u.mimeType, 'application/x-rar-compressed');
    assert.equal(u.streamable, 0);
    assert.equal(u.filesize, 5 * 1_073_741_824 + 5_905_580_032 + 5_637_144_576);
  });

  test('missing-link: 4 selected, 3 links, the 2nd file has none', async () => {
    const t = await info(fake, MISSING_LINK.id);
    assert.equal(t.files.filter((f: { selected: number }) => f.selected).length, 4);
    assert.equal(t.links.length, 3);
    const names: string[] = [];
    for (const link of t.links) names.push((await unrestrict(fake, link)).body.filename);
    assert.deepEqual(names, ['SceneA.6K.180.LR.mp4', 'SceneC.6K.180.LR.mp4', 'SceneD.6K.180.LR.mp4']);
  });

  test('missing-link drops the last selected link unless missingIndex says otherwise', async () => {
    const extra = fake.addTorrent({
      filename: 'Default.Missing',
      linkMode: 'missing-link',
      files: [{ path: '/Default.Missing/a.mp4' }, { path: '/Default.Missing/b.mp4' }, { path: '/Default.Missing/c.mp4' }],
    });
    const t = await info(fake, extra.id);
    const names: string[] = [];
    for (const link of t.links) names.push((await unrestrict(fake, link)).body.filename);
    assert.deepEqual(names, ['a.mp4', 'b.mp4']);
    fake.removeTorrent(extra.id!);
  });

  const failing: Array<[string, string | undefined, number, string, number]> = [
    ['dead', DEAD.id, 503, 'hoster_unavailable', 19],
    ['infringing', INFRINGING.id, 451, 'infringing_file', 35],
    ['unavailable', UNAVAILABLE_FILE.id, 503, 'unavailable_file', 24],
  ];
  for (const [mode, id, status, error, code] of failing) {
    test(`${mode} links answer ${status} ${error}/${code}`, async () => {
      const t = await info(fake, id);
      assert.equal(t.links.length, 1);
      const r = await unrestrict(fake, t.links[0]);
      assert.equal(r.status, status);
      assert.deepEqual(r.body, { error, error_code: code });
    });
  }

  test('26-char link ids: listed long, accepted long or truncated to 13', async () => {
    const t = await info(fake, LONG_LINK_IDS.id);
    const long = t.links[0] as string;
    assert.match(long, /\/d\/[A-Z0-9]{26}$/);
    const truncated = long.slice(0, 'https://real-debrid.com/d/'.length + 13);
    assert.equal((await unrestrict(fake, long)).body.filename, 'Scene1.4K.360.TB.mp4');
    assert.equal((await unrestrict(fake, truncated)).body.filename, 'Scene1.4K.360.TB.mp4');
  });

  test('RD renames | " \\ ? * : < > to _ in the unrestricted filename, paths keep them', async () => {
    const t = await info(fake, SPECIAL_CHARS.id);
    assert.equal(t.files[0].path, '/What If: The Scene? 8K.180.LR.mp4');
    const u = (await unrestrict(fake, t.links[0])).body;
    assert.equal(u.filename, 'What If_ The Scene_ 8K.180.LR.mp4');
    assert.ok(u.download.endsWith('/What%20If_%20The%20Scene_%208K.180.LR.mp4'));
    const h = (await unrestrict(fake, (await info(fake, HOSTILE_NAME.id)).links[0])).body;
    assert.equal(h.filename, '_img src=x onerror=alert(1)_.mp4');
    const uni = (await unrestrict(fake, (await info(fake, UNICODE_NAME.id)).links[0])).body;
    assert.equal(uni.filename, UNICODE_NAME.filename);
  });

  test('fair use and ip_not_allowed knobs', async () => {
    const link = (await info(fake, PACK_WITH_JUNK.id)).links[0];
    fake.setFault({ ipNotAllowed: '203.0.113.7' });
    const ip = await unrestrict(fake, link);
    assert.equal(ip.status, 403);
    assert.deepEqual(ip.body, { error: 'ip_not_allowed_203.0.113.7', error_code: 22 });
    fake.setFault({ ipNotAllowed: null, fairUseAfterBytes: 1000 });
    const u = (await unrestrict(fake, link)).body;
    const got = await fetch(u.download, { headers: { Range: 'bytes=0-1999' } });
    assert.equal((await got.arrayBuffer()).byteLength, 2000);
    const fair = await unrestrict(fake, link);
    assert.equal(fair.status, 503);
    assert.deepEqual(fair.body, { error: 'fair_usage_limit', error_code: 36 });
    fake.setFault({ fairUseAfterBytes: null });
    assert.equal((await unrestrict(fake, link)).status, 200);
  });
});

describe('downloads history and mediaInfos', () => {
  let fake: FakeRd;
  before(async () => {
    fake = await startFakeRd({ torrents: edgeCaseFixtures({ now: NOW }), rateLimit: false, now: () => NOW });
  });
  after(() => fake.close());

  test('every unrestrict appends to /downloads, newest first, paged with X-Total-Count', async () => {
    const links = (await info(fake, PACK_WITH_JUNK.id)).links as string[];
    const ids: string[] = [];
    for (const l of links) ids.push((await unrestrict(fake, l)).body.id);
    fake.directUrl(PACK_WITH_JUNK.id!, 1); // minted without an API call: not in the history
    const page1 = await api(fake, '/downloads?limit=2');
    assert.equal(page1.headers.get('x-total-count'), '5');
    assert.deepEqual(page1.body.map((d: { id: string }) => d.id), [ids[4], ids[3]]);
    const page3 = await api(fake, '/downloads?limit=2&page=3');
    assert.deepEqual(page3.body.map((d: { id: string }) => d.id), [ids[0]]);
    assert.equal(page1.body[0].generated, new Date(NOW).toISOString());
    assert.equal((await api(fake, `/downloads/delete/${ids[0]}`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(fake, `/downloads/delete/${ids[0]}`, { method: 'DELETE' })).status, 404);
    assert.equal((await api(fake, '/downloads')).headers.get('x-total-count'), '4');
  });

  test('mediaInfos for a video download; 503 for non-media; 404 for unknown ids', async () => {
    const links = (await info(fake, PACK_WITH_JUNK.id)).links as string[];
    const video = (await unrestrict(fake, links[0]!)).body;
    const m = await api(fake, `/streaming/mediaInfos/${video.id}`);
    assert.equal(m.status, 200);
    assert.equal(m.body.size, 7_130_965_504);
    assert.equal(m.body.details.video.und1.width, 8192);
    assert.deepEqual(m.body.details.subtitles, []);
    const srt = (await unrestrict(fake, links[1]!)).body;
    assert.equal((await api(fake, `/streaming/mediaInfos/${srt.id}`)).status, 503);
    assert.equal((await api(fake, '/streaming/mediaInfos/NOPE')).status, 404);
    assert.equal(fake.count('mediaInfos'), 3);
  });
});
