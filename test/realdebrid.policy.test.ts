// The one RD error policy (src/realdebrid/policy.ts): every error kind has a row, every error class
// a distinct stable code, and the media reasons derive from the row, so they agree with what sync
// and playback say (an IP block once read "token missing or rejected" on the cards).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RD_ERROR_TABLE, RD_POLICY, RdIpBlockedError, RdNotPremiumError, RdPermissionError, rdErrorFrom, retryAfterOf } from '../src/realdebrid/index.ts';
import { REASONS, sourceFailure } from '../src/media/reasons.ts';

test('every RD error code maps to a kind with a policy row: a fault, a retry rule and a sentence', () => {
  for (const row of RD_ERROR_TABLE) {
    const p = RD_POLICY[row.kind];
    assert.ok(p, `code ${row.code} (${row.kind}) has a policy`);
    assert.ok(p.sentence.length > 20 && /\.$/.test(p.sentence), `${row.kind}: a sentence a person can read`);
    assert.equal(p.waitMs === null, p.retry === 'never', `${row.kind}: a wait exactly when a retry helps`);
  }
});

test('every error class has one stable code of its own', () => {
  const codes = new Map<string, string>();
  for (const row of RD_ERROR_TABLE) {
    const e = new row.errorClass();
    const seen = codes.get(e.code);
    assert.ok(seen === undefined || seen === e.kind, `${e.code} is used by ${seen} and ${e.kind}`);
    codes.set(e.code, e.kind);
    assert.match(e.code, /^RD_[A-Z_]+$/);
  }
});

test('media reasons follow the policy: retried exactly when the row says a retry helps', () => {
  for (const row of RD_ERROR_TABLE) {
    const err = rdErrorFrom(row.status, { error: row.name, error_code: row.code }, null);
    const f = sourceFailure(err);
    assert.equal(f.transient, RD_POLICY[err.kind].retry !== 'never', `code ${row.code}`);
    assert.equal(retryAfterOf(err) === null, RD_POLICY[err.kind].retry === 'never', `code ${row.code}`);
  }
});

test('an account refusal (IP not allowed, not premium, locked) is not reported as a token problem', () => {
  for (const err of [new RdIpBlockedError(), new RdNotPremiumError(), new RdPermissionError()]) {
    const f = sourceFailure(err);
    assert.equal(f.code, 'rd-refused', err.kind);
    assert.notEqual(REASONS[f.code], REASONS.token);
  }
});

test('the server\'s other error classes carry a stable code too', async () => {
  const { PlayError } = await import('../src/play/errors.ts');
  const { QueueClosedError } = await import('../src/media/queue.ts');
  const { ConfigError } = await import('../src/config.ts');
  assert.equal(new PlayError('missing-link', 'x').code, 'PLAY_MISSING_LINK');
  assert.equal(new PlayError('upstream-busy', 'x').code, 'PLAY_UPSTREAM_BUSY');
  assert.equal(new QueueClosedError().code, 'MEDIA_QUEUE_CLOSED');
  assert.equal(new ConfigError('x').code, 'CONFIG_INVALID');
});
