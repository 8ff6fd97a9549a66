// Signed asset URLs (heresphere-protocol.md §2: players fetch thumbnails, previews, play URLs,
// HSP files and DeoVR video URLs without headers): they open with no credential, break when
// altered or moved to another video, survive a restart and die with a token change.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { OTHER_TOKEN, TOKEN, bearer, call, hsToken, login, readLibrary } from './auth.support.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'debridsphere-authsigned-'));
let h: Harness | undefined;
after(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('signed asset URLs open without headers, fail when altered, survive a restart, die with a token change', async () => {
  h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, dataDir, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  const { ids, video } = await readLibrary(h);
  const lib = await call(h.url, 'GET', '/api/library', { headers: bearer });
  const thumb: string = lib.json.videos[0].thumbUrl;
  const preview: string = lib.json.videos[0].previewUrl;
  const detail = await call(h.url, 'GET', `/api/videos/${video.id}`, { headers: bearer });
  const play: string = detail.json.files[0].playUrl;
  // HSP: write one through HereSphere, then fetch it from the URL the video object gives.
  const hsp = Buffer.from('hsp-bytes-for-the-matrix');
  const hsVideo = await call(h.url, 'POST', `/heresphere/${video.id}`, { headers: bearer, json: { hsp: hsp.toString('base64'), needsMediaSource: false } });
  const hspUrl = new URL(hsVideo.json.hsp).pathname + new URL(hsVideo.json.hsp).search;
  const deo = await call(h.url, 'GET', '/deovr', { headers: bearer });
  const deoVideo = new URL(deo.json.scenes.flatMap((s: { list: Array<{ video_url: string }> }) => s.list)[0].video_url);
  const signed = [thumb, preview, play, hspUrl, deoVideo.pathname + deoVideo.search];
  for (const u of signed) assert.match(u, /\?sig=[A-Za-z0-9_-]{22,}$/, `${u} is signed`);
  for (const u of [...signed, ...(detail.json.subtitles as Array<{ url: string }>).map((s) => s.url)]) {
    assert.doesNotMatch(u, new RegExp(TOKEN), 'the token never appears in a URL');
  }

  const open = async (u: string, method = 'GET') => call(h!.url, method, u);
  for (const u of signed) {
    const res = await open(u);
    assert.ok(![401, 403].includes(res.status), `${u} opens without headers (${res.status})`);
    assert.ok(![401, 403].includes((await open(u, 'HEAD')).status), `HEAD ${u}`);
    if (u.startsWith('/deovr/')) assert.equal(res.json.authorized, '1');
  }
  const hspRes = await open(hspUrl);
  assert.equal(hspRes.status, 200);
  assert.equal(hspRes.text, hsp.toString());
  assert.equal((await open(thumb)).headers['content-type'], 'image/jpeg');
  const playRes = await open(play);
  assert.equal(playRes.status, 302);
  assert.ok(String(playRes.headers.location).startsWith(h.fake.url), 'a signed /play redirects to the download');

  const other = ids[1]!;
  for (const u of signed) {
    const [path, query] = u.split('?') as [string, string];
    const sig = query.slice(4);
    assert.equal((await open(`${path.replace(video.id, other)}?${query}`)).status, u.startsWith('/deovr/') ? 200 : 403, `another video with ${u}'s signature`);
    const flipped = `${sig.slice(0, 5)}${sig[5] === 'x' ? 'y' : 'x'}${sig.slice(6)}`;
    const altered = await open(`${path}?sig=${flipped}`);
    if (u.startsWith('/deovr/')) assert.equal(altered.json.authorized, '-1');
    else assert.equal(altered.status, 403, `altered signature on ${path}`);
    const bare = await open(path);
    if (u.startsWith('/deovr/')) assert.equal(bare.json.authorized, '0');
    else assert.equal(bare.status, 401, `no signature on ${path}`);
  }
  assert.equal((await call(h.url, 'POST', thumb)).status !== 200, true, 'a signature opens reads only');
  assert.equal((await open(`${thumb}&sig=${thumb.split('sig=')[1]}`)).status, 403, 'two signatures are refused');

  const auth = await hsToken(h.url);
  const cookie = await login(h.url);

  // Restart with the same token: every URL, auth-token and cookie still works (HereSphere keeps them).
  await h.restart();
  for (const u of signed) assert.ok(![401, 403].includes((await open(u)).status), `${u} after a restart`);
  assert.equal((await call(h.url, 'POST', '/heresphere', { headers: { 'auth-token': auth }, json: {} })).json.access, 1);
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 200);

  // Another token on the same data dir: everything handed out before is dead.
  await h.close();
  h = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false, dataDir, env: { HERESPHERE_AUTH_TOKEN: OTHER_TOKEN } });
  for (const u of signed) {
    const res = await open(u);
    if (u.startsWith('/deovr/')) assert.equal(res.json.authorized, '-1', 'old DeoVR link');
    else assert.equal(res.status, 403, `${u} after the token changed`);
  }
  assert.deepEqual((await call(h.url, 'POST', '/heresphere', { headers: { 'auth-token': auth }, json: {} })).json, { access: -1, library: [{ name: 'Login failed', list: [] }] });
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 401, 'old cookie');
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: bearer })).status, 401, 'old token');
  const fresh = await call(h.url, 'GET', '/api/library', { headers: { authorization: `Bearer ${OTHER_TOKEN}` } });
  assert.equal(fresh.status, 200);
  const newThumb: string = fresh.json.videos[0].thumbUrl;
  assert.notEqual(newThumb, thumb);
  assert.equal((await open(newThumb)).status, 200);
  assert.notEqual(await hsToken(h.url, OTHER_TOKEN), auth);
});
