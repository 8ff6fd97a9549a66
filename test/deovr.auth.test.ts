// DeoVR's login (heresphere-protocol.md §5.4, §7 items 29-30): with auth on, DeoVR re-POSTs
// the URL it showed with form fields login/password. No credentials → "0" and a "Login
// required" scene (never "-1": DeoVR would say "Invalid login" before the user typed anything);
// wrong ones → "-1"; right ones → "1" and the library, whose video URLs open without a login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './helpers/harness.ts';

const TOKEN = 'deovr-secret-token-42';
const USER = 'viewer';
const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

test('DeoVR login through form fields: 0 without, -1 wrong, 1 right; per-video URLs likewise', async (t) => {
  const h = await startHarness({
    torrents: [{ filename: 'Private.Scene.180.LR.mp4', files: [{ path: '/Private.Scene.180.LR.mp4', bytes: 1_000_000 }] }],
    media: false,
    env: { HERESPHERE_AUTH_TOKEN: TOKEN, AUTH_USERNAME: USER },
  });
  t.after(() => h.close());
  const lib = async (init: RequestInit = {}) => {
    const r = await fetch(`${h.url}/deovr`, init);
    assert.equal(r.status, 200);
    return (await r.json()) as { scenes: Array<{ name: string; list: Array<{ video_url: string }> }>; authorized: string };
  };

  const anonymous = await lib();
  assert.deepEqual(anonymous, { scenes: [{ name: 'Login required', list: [] }], authorized: '0' });
  assert.deepEqual(await lib({ method: 'POST' }), anonymous, 'POST without credentials answers like GET');

  const wrong = await lib(form({ login: USER, password: 'not-the-token' }));
  assert.deepEqual(wrong, { scenes: [{ name: 'Login failed', list: [] }], authorized: '-1' });
  assert.equal((await lib(form({ login: 'someone-else', password: TOKEN }))).authorized, '-1');

  const ok = await lib(form({ login: USER, password: TOKEN }));
  assert.equal(ok.authorized, '1');
  const items = ok.scenes.flatMap((s) => s.list);
  assert.equal(items.length, 1);
  const videoUrl = items[0]!.video_url;
  assert.ok(!videoUrl.includes(TOKEN), 'the token itself never appears in a URL');

  // DeoVR may not re-send the form for the video: its URL opens on its own.
  const video = (await (await fetch(videoUrl)).json()) as { authorized: string; id: number; encodings: unknown[] };
  assert.equal(video.authorized, '1');
  assert.ok(video.id > 0 && video.encodings.length === 1);

  // The bare video URL (no signature) without credentials: the flag and nothing else.
  const bare = videoUrl.replace(/\?.*$/, '');
  assert.deepEqual(await (await fetch(bare)).json(), { authorized: '0' });
  assert.deepEqual(await (await fetch(bare, form({ login: USER, password: 'nope' }))).json(), { authorized: '-1' });
  const withForm = (await (await fetch(bare, form({ login: USER, password: TOKEN }))).json()) as { authorized: string; title: string };
  assert.equal(withForm.authorized, '1');
  assert.match(withForm.title, /Private Scene/);
});

test('the signed DeoVR address the browser view shows opens the library without the login form', async (t) => {
  const h = await startHarness({
    torrents: [{ filename: 'Private.Scene.180.LR.mp4', files: [{ path: '/Private.Scene.180.LR.mp4', bytes: 1_000_000 }] }],
    media: false,
    env: { HERESPHERE_AUTH_TOKEN: TOKEN },
  });
  t.after(() => h.close());
  const web = (await (await fetch(`${h.url}/api/library`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { connect: { deovr: string[] } };
  const address = web.connect.deovr[0]!;
  assert.match(address, /\/deovr\?sig=[A-Za-z0-9_-]{22,}$/, 'signed');
  assert.ok(!address.includes(TOKEN), 'the token itself never appears in it');
  const path = new URL(address).pathname + new URL(address).search;
  for (const init of [{}, { method: 'POST' }, form({ login: 'x', password: 'y' })] as RequestInit[]) {
    const lib = (await (await fetch(`${h.url}${path}`, init)).json()) as { authorized: string; scenes: Array<{ list: unknown[] }> };
    assert.equal(lib.authorized, '1', `${init.method ?? 'GET'} opens with the signature alone`);
    assert.equal(lib.scenes.flatMap((s) => s.list).length, 1);
  }
  const sig = new URL(address).searchParams.get('sig')!;
  const altered = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
  assert.equal(((await (await fetch(`${h.url}/deovr?sig=${altered}`)).json()) as { authorized: string }).authorized, '-1');
  // Bound to /deovr: the same signature opens nothing else.
  assert.equal((await fetch(`${h.url}/api/library?sig=${sig}`)).status, 403, 'a signature for another path is refused');
  const hs = (await fetch(`${h.url}/heresphere?sig=${sig}`, { method: 'POST', body: '{}' }).then((r) => r.json())) as { access: number };
  assert.notEqual(hs.access, 1);
});
