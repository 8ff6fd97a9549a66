// Answers the framework writes on its own (issue 16, items 2 and 6): a malformed URL (/%ff%fe),
// an over-long path parameter, an unparseable request and oversized headers get the same security
// headers as every other answer and a short JSON error that echoes nothing of the request; a
// request with no Host header is refused on an auth-off server like an unknown host (it used to
// be served the whole library). Raw sockets, because fetch/undici cannot send these requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE, PACK_WITH_JUNK } from './fake-rd/index.ts';

interface RawRes {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are and reads the answer until the server closes the connection. */
async function raw(h: Harness, text: string): Promise<RawRes> {
  const { port } = new URL(h.url);
  const out = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (got += d));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
    socket.setTimeout(20_000, () => {
      socket.destroy();
      reject(new Error(`no complete answer to ${JSON.stringify(text.slice(0, 60))}: ${got}`));
    });
  });
  const [head = '', ...rest] = out.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = rest.join('\r\n\r\n');
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = body.replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n/gi, '').replace(/\r\n0\r\n$|^0\r\n$/, '');
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function assertHardened(res: RawRes, label: string): void {
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff (${JSON.stringify(res)})`);
  assert.equal(res.headers['x-frame-options'], 'DENY', `${label}: X-Frame-Options`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${label}: Referrer-Policy`);
  assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'.*frame-ancestors 'none'/, `${label}: CSP`);
}

function assertShortError(res: RawRes, label: string, echoed: string[]): void {
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, `${label}: JSON`);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['error'], `${label}: only an error message (${res.body})`);
  assert.doesNotMatch(res.body, /FST_|HPE_|ERR_/, `${label}: no internal error code`);
  for (const e of echoed) assert.ok(!res.body.includes(e), `${label}: does not echo ${e}`);
}

let open: Harness;
let locked: Harness;
before(async () => {
  [open, locked] = await Promise.all([
    startHarness({ torrents: [SINGLE_FILE, PACK_WITH_JUNK], media: false }),
    startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: 'framework-token-0123' } }),
  ]);
});
after(async () => {
  await Promise.all([open?.close(), locked?.close()]);
});

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`;

test('the framework\'s own refusals carry the security headers and echo nothing', async () => {
  const longId = 'q'.repeat(400);
  const cases: Array<[string, string, number, string[]]> = [
    ['malformed URL', get('/%ff%fe'), 400, ['%ff', 'ff%fe']],
    ['malformed URL under /heresphere', get('/heresphere/%ff%fe'), 400, ['%ff']],
    ['over-long path parameter', get(`/play/${longId}/1`), 414, [longId.slice(0, 50)]],
    ['unparseable request line', 'BL@H / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 400, ['BL@H']],
    ['control character in a header', `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u0001b\r\n\r\n`, 400, []],
    ['headers too large', get('/', `X-Big: ${'b'.repeat(20_000)}\r\n`), 431, ['bbbb']],
  ];
  for (const h of [open, locked]) {
    for (const [label, text, status, echoed] of cases) {
      const res = await raw(h, text);
      assert.equal(res.status, status, `${label}: ${JSON.stringify(res)}`);
      assertHardened(res, label);
      assertShortError(res, label, echoed);
    }
  }
  const hs = await raw(open, get('/heresphere/%ff%fe'));
  assert.equal(hs.headers['heresphere-json-version'], '1', 'HereSphere paths keep their version header on framework errors');
});

test('auth off: a request without a Host header is refused like an unknown host', async () => {
  for (const text of ['GET /api/library HTTP/1.0\r\n\r\n', 'GET /api/library HTTP/1.1\r\nConnection: close\r\n\r\n', 'GET /heresphere HTTP/1.0\r\n\r\n', 'GET /deovr HTTP/1.0\r\n\r\n']) {
    const res = await raw(open, text);
    assert.equal(res.status, 403, `${JSON.stringify(text)}: ${res.body.slice(0, 300)}`);
    assert.match(res.body, /no Host header/);
    assert.doesNotMatch(res.body, /StudioX|videos|scenes/, 'no library in the refusal');
    assertHardened(res, text);
  }
  const ok = await raw(open, 'GET /api/library HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
  assert.equal(ok.status, 200, 'with a Host it is served as before');
  assert.match(ok.body, /"videos"/);
  // With the login on, a request without Host is judged by its credentials like any other.
  const guest = await raw(locked, 'GET /api/library HTTP/1.0\r\n\r\n');
  assert.equal(guest.status, 401);
  assertHardened(guest, 'auth on, no Host');
  const member = await raw(locked, 'GET /api/library HTTP/1.0\r\nAuthorization: Bearer framework-token-0123\r\n\r\n');
  assert.equal(member.status, 200);
});
