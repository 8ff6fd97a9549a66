// Token guessing (issue 16 item 4, issue 15): a headset that saved a mistyped password and
// re-sends it with every request costs one failure, not one per request, so the right login from
// the same address still works; ten distinct guesses still lock an address out; and across many
// addresses, past the global ceiling, guesses are checked one slot at a time (each address with
// one guess waiting at most) instead of all at once, while a correct login is delayed, not
// refused. Real server, real requests from twenty loopback source addresses, the server's clock
// injected (frozen, then moved) so nothing waits for real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startHarness, type Harness } from './helpers/harness.ts';
import { SINGLE_FILE } from './fake-rd/index.ts';
import { waitFor } from './helpers/wait.ts';
import { authStateOf } from '../src/api/auth/state.ts';
import { FailureLimiter, guessDigest } from '../src/api/auth/rate-limit.ts';
import { TOKEN, call } from './auth.support.ts';

/** POST JSON from a given loopback source address (a machine of its own to the server). */
function post(h: Harness, path: string, json: unknown, from = '127.0.0.1'): Promise<{ status: number; text: string }> {
  const { port } = new URL(h.url);
  const body = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: Number(port), path, method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('a saved mistyped password re-sent with every request counts once; distinct guesses still lock out', async (t) => {
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  t.after(() => h.close());
  const saved = { username: 'me', password: `${TOKEN}x` };
  for (let i = 0; i < 30; i++) {
    const res = await post(h, i % 2 ? '/heresphere' : '/heresphere/auth', { ...saved, needsMediaSource: false });
    assert.equal(res.status, 200, `request ${i + 1}: ${res.text}`);
    assert.equal(JSON.parse(res.text).access, -1, 'still told the password is wrong');
  }
  const right = await call(h.url, 'POST', '/login', { json: { token: TOKEN } });
  assert.equal(right.status, 200, `the right token still logs in: ${right.text}`);

  for (let i = 0; i < 9; i++) assert.equal((await call(h.url, 'POST', '/login', { json: { token: `guess-${i}` } })).status, 401, `distinct guess ${i + 2}`);
  const locked = await call(h.url, 'POST', '/login', { json: { token: TOKEN } });
  assert.equal(locked.status, 429, 'the saved password plus nine distinct guesses make ten: locked out');
});

test('past the global ceiling, guesses from many addresses are spaced out; a correct login waits, then works', async (t) => {
  let now = 1_800_000_000_000;
  const h = await startHarness({ torrents: [SINGLE_FILE], media: false, now: () => now, env: { HERESPHERE_AUTH_TOKEN: TOKEN } });
  t.after(() => {
    now += 3_600_000; // let any guess still waiting for its slot finish, so the server can close
    return h.close();
  });
  const limiter = authStateOf(h.parts)!.limiter;
  const ADDRESSES = 20;
  const answers: number[] = [];
  const all: Array<Promise<void>> = [];
  for (let a = 1; a <= ADDRESSES; a++) {
    for (let i = 0; i < 10; i++) {
      all.push(post(h, '/login', { token: `guess-${a}-${i}` }, `127.0.0.${a + 1}`).then((r) => void answers.push(r.status)));
    }
  }
  // Clock frozen: the first globalMax guesses are checked, every address then has one guess
  // waiting for a slot and its further guesses are refused (429) until that one is checked.
  await waitFor(() => answers.length + limiter.waitingCount === ADDRESSES * 10, 'every guess answered or waiting');
  const checked = answers.filter((s) => s === 401).length;
  // globalMax checked freely, plus the one whose slot is due at once; every other slot is later.
  assert.equal(checked, limiter.globalMax + 1, `only ${limiter.globalMax + 1} of ${ADDRESSES * 10} guesses were checked at once`);
  assert.ok(limiter.waitingCount > 0 && limiter.waitingCount <= ADDRESSES, `one waiting guess per address at most (${limiter.waitingCount})`);
  assert.equal(answers.filter((s) => s === 429).length, ADDRESSES * 10 - checked - limiter.waitingCount);

  // The user, from an address of their own, with the right token: delayed behind the waiting
  // guesses (one slot each), not refused.
  let userStatus = 0;
  const user = post(h, '/login', { token: TOKEN }, '127.0.0.200').then((r) => {
    userStatus = r.status;
  });
  const waitingBefore = limiter.waitingCount;
  await waitFor(() => limiter.waitingCount === waitingBefore + 1, 'the correct login waiting for its slot');
  assert.equal(userStatus, 0, 'not answered while the clock stands still');
  now += (limiter.windowMs / limiter.globalMax) * (waitingBefore + 1);
  await user;
  assert.equal(userStatus, 200, 'the right token logs in once its slot comes');
  await Promise.all(all);
  assert.equal(answers.length, ADDRESSES * 10);
});

test('limiter: identical wrong guesses count once; the global ceiling spaces guesses one slot apart, one per address', () => {
  let now = 0;
  const limiter = new FailureLimiter({ now: () => now, max: 3, globalMax: 4, windowMs: 60_000 });
  const same = guessDigest(['password', 'me', 'typo']);
  for (let i = 0; i < 10; i++) {
    const a = limiter.admit('a', same);
    if (a.kind === 'now') limiter.fail('a', same);
    else assert.equal(a.kind, 'known-wrong', `repeat ${i}`);
  }
  assert.equal(limiter.retryAfterMs('a'), 0, 'ten identical failures are one');
  limiter.fail('a', guessDigest(['password', 'me', 'other']));
  limiter.fail('a', guessDigest(['password', 'me', 'third']));
  assert.ok(limiter.retryAfterMs('a') > 0, 'three distinct ones lock the address');
  limiter.fail('b', guessDigest(['x']));
  assert.deepEqual(limiter.admit('c', guessDigest(['y'])), { kind: 'wait', untilMs: 0 }, 'ceiling reached: the next slot is now');
  assert.deepEqual(limiter.admit('c', guessDigest(['z'])), { kind: 'busy', retryAfterMs: 1 }, 'one waiting guess per address');
  assert.deepEqual(limiter.admit('d', guessDigest(['y'])), { kind: 'wait', untilMs: 15_000 }, 'the next address gets the next slot');
  limiter.release('c');
  limiter.release('d');
  now = 60_001;
  assert.deepEqual(limiter.admit('e', guessDigest(['y'])), { kind: 'now' }, 'the window moved on');
  assert.doesNotMatch(JSON.stringify([...(limiter as unknown as { failures: Map<string, unknown> }).failures]), /typo|other|third/, 'guesses are kept as keyed hashes only');
});

test('failed logins are counted per IPv4 address and per IPv6 /64 (one customer\'s block)', async () => {
  const { clientKey } = await import('../src/api/auth/credentials.ts');
  const key = (ip: string) => clientKey({ ip, raw: { socket: { remoteAddress: ip } } } as unknown as Parameters<typeof clientKey>[0]);
  assert.equal(key('192.0.2.7'), '192.0.2.7');
  assert.equal(key('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(key('2001:db8:1:2:aaaa::1'), key('2001:db8:1:2:ffff:1:2:3'), 'one /64');
  assert.equal(key('2001:db8:1:2::5'), '2001:db8:1:2::/64');
  assert.notEqual(key('2001:db8:1:3::1'), key('2001:db8:1:2::1'), 'another /64');
  assert.equal(key('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(key('::1'), '0:0:0:0::/64');
});
