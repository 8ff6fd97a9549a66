// Logout that lasts (issue 16, item 1): a logged-out cookie stays dead after a restart and on a
// second process sharing the data dir, and "log out everywhere" ends every browser session at
// once, in every process, while a login made afterwards works. Real server, real SQLite, and two
// real src/main.ts processes for the cross-process case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness } from './helpers/harness.ts';
import { startFakeRd, SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { startMain } from './hardening.support.ts';
import { TOKEN, call, login } from './auth.support.ts';

test('a logged-out cookie stays refused after a restart on the same data dir', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  t.after(() => h.close());
  const cookie = await login(h.url);
  const kept = await login(h.url);
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 200);
  assert.equal((await call(h.url, 'POST', '/logout', { headers: { cookie, origin: h.url } })).status, 200);
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 401, 'refused right after logout');
  await h.restart();
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie } })).status, 401, 'still refused after a restart');
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: kept } })).status, 200, 'the other session was not touched');
});

test('log out everywhere ends every browser session; only a logged-in client may ask for it', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  t.after(() => h.close());
  const phone = await login(h.url);
  const desktop = await login(h.url);
  const anonymous = await call(h.url, 'POST', '/logout', { headers: { origin: h.url }, json: { everywhere: true } });
  assert.equal(anonymous.status, 401, 'nobody logs others out without logging in');
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: desktop } })).status, 200);

  const out = await call(h.url, 'POST', '/logout', { headers: { cookie: phone, origin: h.url }, json: { everywhere: true } });
  assert.equal(out.status, 200, out.text);
  assert.deepEqual(out.json, { ok: true, everywhere: true });
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: phone } })).status, 401, 'this browser is logged out');
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: desktop } })).status, 401, 'and every other one');
  const again = await login(h.url);
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: again } })).status, 200, 'a new login works');
  await h.restart();
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: desktop } })).status, 401, 'after a restart too');
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: again } })).status, 200);

  // The browser form posts `everywhere=1`.
  const form = await call(h.url, 'POST', '/logout', { headers: { cookie: again, origin: h.url }, form: { everywhere: '1' } });
  assert.equal(form.status, 303);
  assert.equal((await call(h.url, 'GET', '/api/library', { headers: { cookie: again } })).status, 401);
});

test('two processes on one data dir: a logout (or log out everywhere) on one holds on the other', async (t) => {
  const fake = await startFakeRd({ torrents: [SINGLE_FILE, PACK_WITH_JUNK] });
  const dataDir = mkdtempSync(join(tmpdir(), 'debridsphere-logout-'));
  const env = { RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: dataDir, HERESPHERE_AUTH_TOKEN: TOKEN };
  const [a, b] = await Promise.all([startMain(env, dataDir), startMain(env, dataDir)]);
  t.after(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const one = await login(a.url);
  const two = await login(a.url);
  for (const s of [a, b]) assert.equal((await call(s.url, 'GET', '/api/library', { headers: { cookie: one } })).status, 200, `${s.url} accepts it`);
  assert.equal((await call(a.url, 'POST', '/logout', { headers: { cookie: one, origin: a.url } })).status, 200);
  assert.equal((await call(b.url, 'GET', '/api/library', { headers: { cookie: one } })).status, 401, 'logged out on A: refused on B');
  assert.equal((await call(b.url, 'GET', '/api/library', { headers: { cookie: two } })).status, 200);

  assert.equal((await call(b.url, 'POST', '/logout', { headers: { cookie: two, origin: b.url }, json: { everywhere: true } })).status, 200);
  assert.equal((await call(a.url, 'GET', '/api/library', { headers: { cookie: two } })).status, 401, 'log out everywhere on B: refused on A');
  const fresh = await login(b.url);
  assert.equal((await call(a.url, 'GET', '/api/library', { headers: { cookie: fresh } })).status, 200, 'a new login on B opens A');
});

test('HereSphere auth-tokens and signed /deovr addresses survive a restart, and resetting auth-salt revokes them', async (t) => {
  const fake = await startFakeRd({ torrents: [SINGLE_FILE] });
  const dataDir = mkdtempSync(join(tmpdir(), 'debridsphere-salt-'));
  const env = { RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: dataDir, HERESPHERE_AUTH_TOKEN: TOKEN };
  const running: Array<{ stop(): Promise<void> }> = [];
  t.after(async () => {
    await Promise.all(running.map((s) => s.stop()));
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = async () => {
    const s = await startMain(env, dataDir);
    running.push(s);
    return s;
  };
  const first = await start();
  const lib = await call(first.url, 'GET', '/api/library', { headers: { authorization: `Bearer ${TOKEN}` } });
  const deovr = new URL(String(lib.json.connect.deovr[0])).pathname + new URL(String(lib.json.connect.deovr[0])).search;
  assert.match(deovr, /^\/deovr\?sig=/);
  const authToken = (await call(first.url, 'POST', '/heresphere/auth', { json: { username: 'u', password: TOKEN } })).json['auth-token'] as string;
  const opens = async (base: string) => ({
    deovr: (await call(base, 'GET', deovr)).json.authorized,
    heresphere: (await call(base, 'POST', '/heresphere', { headers: { 'auth-token': authToken }, json: {} })).json.access,
  });
  assert.deepEqual(await opens(first.url), { deovr: '1', heresphere: 1 });
  await first.stop();

  const second = await start();
  assert.deepEqual(await opens(second.url), { deovr: '1', heresphere: 1 }, 'a restart with the same token and salt keeps them');
  await second.stop();

  rmSync(join(dataDir, 'auth-salt'));
  const third = await start();
  assert.deepEqual(await opens(third.url), { deovr: '-1', heresphere: -1 }, 'a new salt revokes the auth-token and the signed address');
  assert.equal((await call(third.url, 'POST', '/heresphere/auth', { json: { username: 'u', password: TOKEN } })).json.access, 1, 'logging in again works');
});
