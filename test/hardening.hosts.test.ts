// DNS rebinding with auth off: a page on attacker.example that re-points its name at the server
// is "same origin" to the browser, so only the Host header tells it apart. The server must answer
// only hosts an outsider cannot control (IP literals, localhost, single-label and LAN-suffix
// names, PUBLIC_URL's host, ALLOWED_HOSTS), on every route, reads included, and say how to allow
// a refused name. Players on the LAN address the server by IP and are unaffected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { configuredHosts, hostName, lanHostAllowed } from '../src/api/auth/hosts.ts';
import { routeTable } from '../src/api/auth/plugin.ts';

interface Res {
  status: number;
  type: string;
  text: string;
}

async function call(h: Harness, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  const res = await request(h.url + path, {
    method: method as 'GET',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
}

let open: Harness;
let id = '';
before(async () => {
  open = await startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false });
  id = (JSON.parse((await call(open, 'GET', '/api/library', {})).text) as { videos: Array<{ id: string }> }).videos[0]!.id;
});
after(() => open?.close());

test('which Host names an auth-off server answers', () => {
  const none = new Set<string>();
  const allowed = [
    '127.0.0.1', '127.0.0.1:5090', '192.168.1.20:5090', '10.0.0.7', '[::1]:5090', '[fe80::1]', '::1', 'localhost', 'LOCALHOST:5090',
    'localhost.', 'nas', 'my-pc:5090', 'nas.local', 'Quest.LAN', 'box.home.arpa', 'srv.internal', 'pc.localdomain', 'app.localhost',
  ];
  for (const h of allowed) assert.ok(lanHostAllowed(h, none), `${h} is a LAN name`);
  const refused = ['evil.example', 'evil.example:5090', '192.168.1.20.nip.io', 'local.evil.example', 'lan.evil.example', 'evil.example.', 'a_b', '', 'evil.com:80'];
  for (const h of refused) assert.ok(!lanHostAllowed(h, none), `${h} is refused`);
  const extra = configuredHosts({ publicUrl: 'https://VR.example.net:8443', allowedHosts: ['media.example.org'] });
  assert.deepEqual([...extra].sort(), ['media.example.org', 'vr.example.net']);
  assert.ok(lanHostAllowed('vr.example.net', extra) && lanHostAllowed('Media.Example.org:5090', extra));
  assert.ok(!lanHostAllowed('other.example.net', extra));
  assert.equal(hostName('[::1]:5090'), '::1');
  assert.equal(hostName('Example.COM.:80'), 'example.com');
});

test('ALLOWED_HOSTS: a comma-separated list of names (ports dropped); anything else stops start-up', () => {
  assert.deepEqual(loadConfig({ ALLOWED_HOSTS: ' VR.Example.com:8443, ,nas.example., [::1] ' }, '/tmp').allowedHosts, ['vr.example.com', 'nas.example', '::1']);
  assert.deepEqual(loadConfig({}, '/tmp').allowedHosts, []);
  for (const bad of ['http://vr.example.com', 'vr example.com', 'vr.example.com/path', '*']) {
    assert.throws(() => loadConfig({ ALLOWED_HOSTS: bad }, '/tmp'), (err: unknown) => err instanceof ConfigError && /ALLOWED_HOSTS/.test(err.message), bad);
  }
});

test('auth off: a request addressed to a foreign name is refused on every route, reads included', async () => {
  const userBefore = JSON.stringify([...open.store.user.all()]);
  let n = 0;
  for (const r of routeTable(open.app)) {
    const path = r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => ({ id, fileId: '1', file: 'index.js' })[name] ?? 'x');
    const body = r.method === 'POST' ? { favorite: true, isFavorite: true } : undefined;
    const res = await call(open, r.method, path, { host: 'rebound.example:5090', origin: 'http://rebound.example:5090' }, body);
    assert.equal(res.status, 403, `${r.method} ${r.url}: ${res.text.slice(0, 200)}`);
    if (r.method !== 'HEAD') assert.match(res.text, /ALLOWED_HOSTS=rebound\.example/, `${r.method} ${r.url} says how to allow the name`);
    n++;
  }
  assert.ok(n >= 40, `${n} routes`);
  assert.equal(JSON.stringify([...open.store.user.all()]), userBefore, 'nothing was written');

  const api = await call(open, 'GET', '/api/library', { host: 'rebound.example' });
  assert.match(api.type, /^application\/json/);
  const error = (JSON.parse(api.text) as { error: string }).error;
  assert.match(error, /HERESPHERE_AUTH_TOKEN is not set/);
  assert.match(error, /"rebound\.example"/);
  assert.match(error, /PUBLIC_URL/);
  assert.doesNotMatch(api.text, /SINGLE|Scene|sig=/i, 'nothing of the library');
  const page = await call(open, 'GET', '/', { host: 'rebound.example', accept: 'text/html' });
  assert.equal(page.status, 403);
  assert.match(page.type, /^text\/html/);
  assert.match(page.text, /Host not allowed/);
  assert.match(page.text, /ALLOWED_HOSTS=rebound\.example/);
  const hostile = await call(open, 'GET', '/', { host: 'x<script>.example', accept: 'text/html' });
  assert.equal(hostile.status, 403);
  assert.doesNotMatch(hostile.text, /<script>/, 'the refused name is escaped');
  // A page can set X-Forwarded-Host on its own same-origin requests: it proves nothing.
  assert.equal((await call(open, 'GET', '/api/library', { host: 'rebound.example', 'x-forwarded-host': '127.0.0.1' })).status, 403);
});

test('auth off: IP addresses, localhost and LAN names are answered as before (players on the LAN)', async () => {
  for (const host of ['127.0.0.1', '192.168.1.20:5090', '[::1]:5090', 'localhost:5090', 'nas', 'nas.local:5090', 'media.home.arpa']) {
    const lib = await call(open, 'GET', '/api/library', { host });
    assert.equal(lib.status, 200, `${host}: ${lib.text.slice(0, 200)}`);
    const hs = await call(open, 'POST', '/heresphere', { host, 'user-agent': 'HereSphere/0.8 Quest2' }, {});
    assert.equal((JSON.parse(hs.text) as { access: number }).access, 1, host);
  }
  const write = await call(open, 'POST', `/api/videos/${id}`, { host: 'nas.local:5090', origin: 'http://nas.local:5090' }, { rating: 3 });
  assert.equal(write.status, 200, write.text);
  assert.equal(open.store.user.get(open.parts.catalog.get(id)!.hash).rating, 3);
  // The Origin check still applies on allowed names.
  assert.equal((await call(open, 'POST', `/api/videos/${id}`, { host: 'nas.local:5090', origin: 'http://evil.example' }, { rating: 1 })).status, 403);
});

test('auth off: PUBLIC_URL and ALLOWED_HOSTS names are answered; auth on: the login guards every name', async (t) => {
  const named = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { PUBLIC_URL: 'https://vr.example.net', ALLOWED_HOSTS: 'media.example.org,other.example.org' } });
  const guarded = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: 'hosts-token-0123456' } });
  t.after(async () => {
    await named.close();
    await guarded.close();
  });
  for (const host of ['vr.example.net', 'media.example.org:5090', 'OTHER.example.org', '10.1.2.3']) {
    assert.equal((await call(named, 'GET', '/api/library', { host })).status, 200, host);
  }
  assert.equal((await call(named, 'GET', '/api/library', { host: 'evil.example.net' })).status, 403);
  assert.equal((await call(guarded, 'GET', '/api/library', { host: 'vr.example.com' })).status, 401, 'no credential: the login answers');
  assert.equal((await call(guarded, 'GET', '/api/library', { host: 'vr.example.com', authorization: 'Bearer hosts-token-0123456' })).status, 200, 'with the token any name works');
});
