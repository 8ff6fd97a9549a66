// RD error codes become typed errors: the table is walked row by row (as pure classification
// and through real HTTP answers from the fake RD's `failNext`), codes win over strings and
// statuses, and no message ever carries the token.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  RD_ERROR_TABLE,
  RdClient,
  RdError,
  RdScheduler,
  rdErrorFrom,
  isRetryable,
  parseRetryAfter,
  RdAuthError,
  RdBadRequestError,
  RdBlockedError,
  RdDeadFileError,
  RdDisabledError,
  RdFairUseError,
  RdIpBlockedError,
  RdNotFoundError,
  RdNotPremiumError,
  RdPermissionError,
  RdThrottledError,
  RdTransientError,
  RdUnavailableError,
  type RdErrorKind,
} from '../src/realdebrid/index.ts';
import { startFakeRd } from './fake-rd/index.ts';

/** Written from realdebrid.md §1.5 and the brief, independently of src/realdebrid/errors.ts. */
const EXPECTED: Record<number, RdErrorKind> = {
  [-1]: 'transient',
  1: 'bad_request',
  2: 'bad_request',
  3: 'bad_request',
  4: 'bad_request',
  5: 'throttled',
  6: 'dead',
  7: 'not_found',
  8: 'auth',
  9: 'permission',
  14: 'permission',
  15: 'permission',
  16: 'dead',
  17: 'transient',
  18: 'transient',
  19: 'dead',
  20: 'not_premium',
  21: 'unavailable',
  22: 'ip_blocked',
  23: 'fair_use',
  24: 'dead',
  25: 'transient',
  28: 'dead',
  34: 'throttled',
  35: 'blocked',
  36: 'fair_use',
  37: 'disabled',
};

/** §1.5 "our action": only -1 (internal error) says "retry with backoff". */
const RETRIED = new Set([-1]);

const STABLE_CODES: Record<RdErrorKind, string> = {
  throttled: 'RD_THROTTLED',
  auth: 'RD_AUTH',
  permission: 'RD_PERMISSION',
  not_premium: 'RD_NOT_PREMIUM',
  ip_blocked: 'RD_IP_BLOCKED',
  dead: 'RD_DEAD_FILE',
  blocked: 'RD_BLOCKED',
  fair_use: 'RD_FAIR_USE',
  not_found: 'RD_NOT_FOUND',
  transient: 'RD_TRANSIENT',
  bad_request: 'RD_BAD_REQUEST',
  disabled: 'RD_DISABLED',
  cooldown: 'RD_COOLDOWN',
  timeout: 'RD_TIMEOUT',
  network: 'RD_NETWORK',
  unavailable: 'RD_UNAVAILABLE',
};

test('every RD error code of §1.5 has a row, and each row classifies to its typed error', () => {
  const codes = new Set(RD_ERROR_TABLE.map((r) => r.code));
  for (const code of [-1, ...Array.from({ length: 37 }, (_, i) => i + 1)]) {
    if (code === 31) continue; // "action already done" is a 202 success
    assert.ok(codes.has(code), `code ${code} missing from RD_ERROR_TABLE`);
  }
  for (const r of RD_ERROR_TABLE) {
    const err = rdErrorFrom(r.status, { error: r.name, error_code: r.code }, null);
    assert.ok(err instanceof r.errorClass, `code ${r.code}`);
    assert.ok(err instanceof RdError);
    assert.equal(err.kind, r.kind);
    assert.equal(err.code, STABLE_CODES[err.kind]);
    assert.equal(err.rdCode, r.code);
    assert.equal(err.status, r.status);
    if (EXPECTED[r.code] !== undefined) assert.equal(err.kind, EXPECTED[r.code], `code ${r.code}`);
    assert.equal(r.retry, RETRIED.has(r.code), `code ${r.code}: retry column`);
    assert.equal(isRetryable(err), RETRIED.has(r.code), `code ${r.code}: isRetryable`);
  }
  for (const code of Object.keys(EXPECTED)) assert.ok(codes.has(Number(code)));
});

test('the code decides, not the string and not the status', () => {
  const blocked = rdErrorFrom(403, { error: 'ip_not_allowed_199.188.237.142', error_code: 22 }, null);
  assert.ok(blocked instanceof RdIpBlockedError);
  assert.equal(blocked.rdError, 'ip_not_allowed_199.188.237.142');
  assert.ok(rdErrorFrom(503, { error: 'hoster_unavailable', error_code: 24 }, null) instanceof RdDeadFileError);
  assert.ok(rdErrorFrom(503, { error: 'too_many_requests', error_code: 34 }, null) instanceof RdThrottledError);
  assert.ok(rdErrorFrom(400, { error: 'slow_down', error_code: 5 }, null) instanceof RdThrottledError);
  // a misleading string without a code: the status decides
  assert.ok(rdErrorFrom(503, { error: 'bad_token' }, null) instanceof RdTransientError);
});

test('without an error_code the HTTP status decides', () => {
  const cases: [number, new (...a: never[]) => RdError][] = [
    [401, RdAuthError],
    [403, RdPermissionError],
    [404, RdNotFoundError],
    [429, RdThrottledError],
    [451, RdBlockedError],
    [509, RdUnavailableError],
    [400, RdBadRequestError],
    [418, RdBadRequestError],
    [502, RdTransientError],
    [504, RdTransientError],
  ];
  for (const [status, cls] of cases) {
    assert.ok(rdErrorFrom(status, '<html>gateway</html>', null) instanceof cls, `status ${status}`);
    assert.ok(rdErrorFrom(status, null, null) instanceof cls, `status ${status}, empty body`);
  }
  assert.ok(rdErrorFrom(403, { error: 'disabled_endpoint', error_code: 37 }, null) instanceof RdDisabledError);
  assert.ok(rdErrorFrom(403, { error: 'x', error_code: 20 }, null) instanceof RdNotPremiumError);
  assert.ok(rdErrorFrom(503, { error: 'fair_usage_limit', error_code: 36 }, null) instanceof RdFairUseError);
});

test('Retry-After: seconds or HTTP date', () => {
  assert.equal(parseRetryAfter('30'), 30_000);
  assert.equal(parseRetryAfter(null), null);
  assert.equal(parseRetryAfter('soon'), null);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60_000);
  assert.equal(rdErrorFrom(429, { error: 'too_many_requests', error_code: 34 }, '7').retryAfterMs, 7_000);
});

test('messages are plain words: default message per class, never the token or HTML', () => {
  const auth = rdErrorFrom(401, { error: 'bad_token', error_code: 8 }, null);
  assert.match(auth.message, /^Real-Debrid rejected the API token: set RD_API_TOKEN to the token from https:\/\/real-debrid\.com\/apitoken/);
  const dead = rdErrorFrom(503, { error: 'hoster_unavailable', error_code: 19 }, null);
  assert.match(dead.message, /the file is no longer available on Real-Debrid/);
  const html = rdErrorFrom(502, '<html><title>502 Bad Gateway</title></html>', null);
  assert.doesNotMatch(html.message, /html|title/i);
  const hostile = rdErrorFrom(400, { error: 'x <script>"Bearer abc"</script>', error_code: 2 }, null);
  assert.doesNotMatch(hostile.message, /[<>" ]Bearer/);
});

test('every table row, answered over HTTP by the fake RD, arrives as its typed error; only retry rows are resent', async () => {
  const fake = await startFakeRd({ torrents: [{ id: 'T1', filename: 'a.mp4', files: [{ path: '/a.mp4' }] }] });
  after(() => fake.close());
  for (const r of RD_ERROR_TABLE) {
    const scheduler = new RdScheduler();
    const sleeps: number[] = [];
    const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, sleep: async (ms) => void sleeps.push(ms) });
    const before = fake.count('info');
    // times: 4 = the first try and all 3 resends are refused, so a retried row fails too
    fake.setFault({ failNext: { route: 'info', status: r.status, body: { error: r.name, error_code: r.code }, times: 4 } });
    const err = await client.torrentInfo('T1', 'background').then(
      () => assert.fail(`code ${r.code} did not throw`),
      (e: unknown) => e,
    );
    fake.setFault({ failNext: null });
    assert.ok(err instanceof r.errorClass, `code ${r.code}: got ${String(err)}`);
    assert.equal((err as RdError).rdCode, r.code);
    const sent = fake.count('info') - before;
    if (r.retry) {
      assert.equal(sent, 4, `code ${r.code}: first try + 3 resends`);
      assert.equal(sleeps.length, 3, `code ${r.code}: with backoff`);
    } else {
      assert.equal(sent, 1, `code ${r.code}: coded errors are never resent`);
    }
    assert.ok(!(err as Error).message.includes(fake.token));
    scheduler.close();
    client.close();
  }
  // a retried code recovers when RD does, but never on a call that is not safe to resend
  {
    const scheduler = new RdScheduler();
    const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, sleep: async () => {} });
    const internal = { error: 'internal_error', error_code: -1 };
    fake.setFault({ failNext: { route: 'info', status: 500, body: internal, times: 2 } });
    const before = fake.count('info');
    assert.equal((await client.torrentInfo('T1', 'background')).id, 'T1');
    assert.equal(fake.count('info') - before, 3);
    fake.setFault({ failNext: { route: 'delete', status: 500, body: internal, times: 1 } });
    await assert.rejects(client.deleteTorrent('T1'), (e: unknown) => e instanceof RdTransientError && e.rdCode === -1);
    assert.equal(fake.count('delete'), 1, 'DELETE is not resent');
    scheduler.close();
    client.close();
  }
  // the fake's own error answers for real situations
  const scheduler = new RdScheduler();
  const client = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler });
  await assert.rejects(client.torrentInfo('NOPE'), RdNotFoundError);
  fake.setFault({ ipNotAllowed: '1.2.3.4' });
  await assert.rejects(client.unrestrictLink('https://real-debrid.com/d/AAAAAAAAAAAAA'), (e: unknown) => {
    assert.ok(e instanceof RdIpBlockedError);
    assert.equal(e.rdError, 'ip_not_allowed_1.2.3.4');
    return true;
  });
  scheduler.close();
  client.close();
});
