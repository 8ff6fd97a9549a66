// Resends only where safe: GET and unrestrict after HTML 502s, connection resets and timeouts,
// with 1 s / 3 s / 9 s ±25 % backoff (sleep and random injected); never after a 4xx, never after
// a 503 carrying an RD error code, never for DELETE. Timeouts fire on a hung route. And the
// token appears in no error message, no log line and no logged path.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  RdBadRequestError,
  RdClient,
  RdDeadFileError,
  RdError,
  RdNetworkError,
  RdNotFoundError,
  RdScheduler,
  RdTimeoutError,
  RdTransientError,
} from '../src/realdebrid/index.ts';
import { startFakeRd, type FakeRd } from './fake-rd/index.ts';
import { captureLogger } from './realdebrid.support.ts';
import type { Logger } from '../src/log.ts';

const HTML = '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>';
const TORRENT = { id: 'SINGLEAAAAAAA', filename: 'Scene.mp4', files: [{ path: '/Scene.mp4', bytes: 5000 }] };

async function setup(
  extra: { random?: () => number; timeouts?: { default?: number; list?: number }; logger?: Logger } = {},
): Promise<{ fake: FakeRd; client: RdClient; sleeps: number[]; scheduler: RdScheduler }> {
  const fake = await startFakeRd({ torrents: [TORRENT] });
  const scheduler = new RdScheduler();
  const sleeps: number[] = [];
  const client = new RdClient({
    baseUrl: fake.apiUrl,
    token: fake.token,
    scheduler,
    sleep: async (ms) => void sleeps.push(ms),
    random: extra.random ?? (() => 0.5),
    ...(extra.timeouts ? { timeouts: extra.timeouts } : {}),
    ...(extra.logger ? { logger: extra.logger } : {}),
  });
  after(async () => {
    scheduler.close();
    client.close();
    await fake.close();
  });
  return { fake, client, sleeps, scheduler };
}

test('GET: HTML 502s are resent with 1 s, 3 s backoff and then succeed', async () => {
  const { fake, client, sleeps } = await setup();
  fake.setFault({ failNext: { route: 'info', status: 502, body: HTML, times: 2 } });
  const info = await client.torrentInfo(TORRENT.id);
  assert.equal(info.id, TORRENT.id);
  assert.equal(fake.count('info'), 3);
  assert.deepEqual(sleeps, [1000, 3000]);
});

test('at most 3 resends (1 s, 3 s, 9 s), then the transient error; jitter stays within ±25 %', async () => {
  const { fake, client, sleeps } = await setup({ random: () => 0 });
  fake.setFault({ htmlErrorRate: 1 });
  await assert.rejects(client.user(), (e: unknown) => {
    assert.ok(e instanceof RdTransientError);
    assert.equal(e.status, 502);
    assert.equal(e.rdCode, null);
    return true;
  });
  assert.equal(fake.count('user'), 4);
  assert.deepEqual(sleeps, [750, 2250, 6750]);
});

test('unrestrict is resent after a 502; DELETE is not', async () => {
  const { fake, client } = await setup();
  const info = await client.torrentInfo(TORRENT.id);
  fake.setFault({ failNext: { route: 'unrestrict', status: 502, body: HTML, times: 1 } });
  const un = await client.unrestrictLink(info.links[0]!);
  assert.ok(un.download);
  assert.equal(fake.count('unrestrict'), 2);
  fake.setFault({ failNext: { route: 'delete', status: 502, body: HTML, times: 1 } });
  await assert.rejects(client.deleteTorrent(TORRENT.id), RdTransientError);
  assert.equal(fake.count('delete'), 1);
});

test('never resent: 4xx, and 503 with an error_code (other than -1, see realdebrid.errors)', async () => {
  const { fake, client, sleeps } = await setup();
  const cases: [number, unknown, new (...a: never[]) => RdError][] = [
    [404, { error: 'unknown_ressource', error_code: 7 }, RdNotFoundError],
    [400, { error: 'bad_parameter', error_code: 2 }, RdBadRequestError],
    [400, null, RdBadRequestError],
    [503, { error: 'service_unavailable', error_code: 25 }, RdTransientError],
    [503, { error: 'hoster_unavailable', error_code: 19 }, RdDeadFileError],
  ];
  for (const [status, body, cls] of cases) {
    const before = fake.count('info');
    fake.setFault({ failNext: { route: 'info', status, body, times: 3 } });
    await assert.rejects(client.torrentInfo(TORRENT.id), cls);
    assert.equal(fake.count('info') - before, 1, `status ${status} was sent once`);
    fake.setFault({ failNext: null });
  }
  assert.deepEqual(sleeps, []);
});

test('connection resets are network errors, resent for GET', async () => {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    if (n <= 2) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: 1, username: 'u', type: 'premium' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  after(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/1.0`;
  const scheduler = new RdScheduler();
  const sleeps: number[] = [];
  const client = new RdClient({ baseUrl: base, token: 'T0K3N0RESET0000000000', scheduler, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
  after(() => {
    scheduler.close();
    client.close();
  });
  assert.equal((await client.user()).username, 'u');
  assert.equal(n, 3);
  assert.equal(sleeps.length, 2);
  n = -10; // every request from now on is reset
  await assert.rejects(client.user(), RdNetworkError);
  assert.equal(n, -6, 'first try + 3 resends');
});

test('timeouts fire on a hung route; GETs are resent, then RdTimeoutError', async () => {
  // 400 ms, not less: on a loaded 2-core CI machine a request must reach the fake before it times out.
  const { fake, client } = await setup({ timeouts: { default: 400, list: 400 } });
  fake.setFault({ hang: 'info' });
  await assert.rejects(client.torrentInfo(TORRENT.id), RdTimeoutError);
  assert.equal(fake.count('info'), 4);
  assert.ok(fake.requests.filter((r) => r.route === 'info').every((r) => r.status === 0), 'the fake never answered');
  fake.setFault({ hang: 'torrents' });
  await assert.rejects(client.listTorrentsPage({ page: 1, limit: 10 }), RdTimeoutError);
  fake.setFault({ hang: null });
  assert.equal((await client.torrentInfo(TORRENT.id)).id, TORRENT.id);
});

test('the token never appears in errors, log lines or the fake’s logged paths', async () => {
  const { logger, lines } = captureLogger();
  const { fake, client, scheduler } = await setup({ timeouts: { default: 150, list: 150 }, logger });
  const token = fake.token;
  const errors: unknown[] = [];
  const attempt = async (p: Promise<unknown>): Promise<void> => {
    await p.catch((e: unknown) => void errors.push(e));
  };
  await client.user();
  await client.listAllTorrents();
  const info = await client.torrentInfo(TORRENT.id);
  await client.unrestrictLink(info.links[0]!);
  fake.setFault({ failNext: { route: 'info', status: 502, body: HTML, times: 1 } });
  await client.torrentInfo(TORRENT.id);
  await attempt(client.torrentInfo('MISSING'));
  fake.setFault({ failNext: { route: 'info', status: 400, body: { error: `leak_${token}`, error_code: 2 }, times: 1 } });
  await attempt(client.torrentInfo(TORRENT.id));
  fake.setFault({ hang: 'user' });
  await attempt(client.user());
  fake.setFault({ hang: null });
  fake.setToken('ANOTHER0TOKEN0000000');
  await attempt(client.user());
  await attempt(client.user());
  scheduler.resetAuth();
  fake.setToken(token);
  fake.setFault({ failNext: { route: 'user', status: 429, times: 1 } });
  await attempt(client.user());
  await attempt(client.user('interactive'));

  assert.ok(errors.length >= 6);
  for (const e of errors) {
    assert.ok(e instanceof RdError);
    const text = `${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}\n${String(e.rdError)}`;
    assert.ok(!text.includes(token), `${e.name} leaks the token`);
    assert.ok(!/auth_token|Bearer/i.test(text));
  }
  const log = lines.join('');
  assert.ok(lines.length >= 10, 'debug lines were written');
  assert.match(log, /"path":"\/torrents\/info\/SINGLEAAAAAAA"/);
  assert.match(log, /"status":200/);
  assert.match(log, /"ms":\d+/);
  assert.ok(!log.includes(token), 'no log line carries the token');
  assert.ok(!/Bearer|authorization/i.test(log));
  for (const r of fake.requests) {
    assert.ok(!r.path.includes(token) && !r.path.includes('[redacted]') && !r.path.includes('auth_token'), r.path);
  }
});
