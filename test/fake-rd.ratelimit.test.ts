// The fake RD's request budget (realdebrid.md §1.3, §5.1 item 4): sliding window per token,
// refused requests count, 429 + too_many_requests/34, Retry-After and brute-force block knobs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeRd, type FakeRateLimit, type FakeRd } from './fake-rd/index.ts';

const T0 = Date.UTC(2026, 7, 21);

async function user(fake: FakeRd, token = fake.token, headers: Record<string, string> = {}) {
  const res = await fetch(`${fake.apiUrl}/user`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined, retryAfter: res.headers.get('retry-after'), etag: res.headers.get('etag') };
}

async function withFake(rateLimit: FakeRateLimit, fn: (fake: FakeRd, clock: { t: number }) => Promise<void>) {
  const clock = { t: T0 };
  const fake = await startFakeRd({ rateLimit, now: () => clock.t });
  try {
    await fn(fake, clock);
  } finally {
    await fake.close();
  }
}

test('the window allows exactly max requests, then 429 too_many_requests/34', () =>
  withFake({ max: 5, windowMs: 10_000 }, async (fake, clock) => {
    for (let i = 0; i < 5; i++) assert.equal((await user(fake)).status, 200);
    const refused = await user(fake);
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, { error: 'too_many_requests', error_code: 34 });
    assert.equal(refused.retryAfter, null); // off by default: RD's behaviour is unknown
    clock.t += 10_001;
    assert.equal((await user(fake)).status, 200);
  }));

test('refused requests count: hammering keeps the window full', () =>
  withFake({ max: 3, windowMs: 10_000 }, async (fake, clock) => {
    for (let i = 0; i < 3; i++) await user(fake); // t=0: 3 allowed
    clock.t += 6_000;
    assert.equal((await user(fake)).status, 429); // t=6s: refused, but counted
    clock.t += 4_500; // t=10.5s: the three t=0 hits left the window, the refusal has not
    assert.equal((await user(fake)).status, 200); // 1 (refusal) + 0 -> allowed (2 in window now)
    assert.equal((await user(fake)).status, 200); // 3 in window
    assert.equal((await user(fake)).status, 429);
  }));

test('the window is sliding, not fixed', () =>
  withFake({ max: 4, windowMs: 10_000 }, async (fake, clock) => {
    await user(fake);
    await user(fake); // t=0: 2
    clock.t += 5_000;
    await user(fake);
    await user(fake); // t=5s: 4
    clock.t += 5_001; // t=10.001s: the t=0 pair expired, the t=5s pair has not
    assert.equal((await user(fake)).status, 200);
    assert.equal((await user(fake)).status, 200);
    assert.equal((await user(fake)).status, 429);
  }));

test('Retry-After and a non-429 status for code 34 are knobs', () =>
  withFake({ max: 1, windowMs: 60_000, retryAfterSeconds: 7, code34Status: 503 }, async (fake) => {
    await user(fake);
    const r = await user(fake);
    assert.equal(r.status, 503);
    assert.equal(r.body.error_code, 34);
    assert.equal(r.retryAfter, '7');
  }));

test('brute-force block: after N refusals everything is refused for blockMs, refusals extend it', () =>
  withFake({ max: 2, windowMs: 1_000, blockAfterRefusals: { count: 3, blockMs: 30_000 } }, async (fake, clock) => {
    await user(fake);
    await user(fake);
    for (let i = 0; i < 3; i++) assert.equal((await user(fake)).status, 429);
    clock.t += 5_000; // the window is long empty, but the block holds
    assert.equal((await user(fake)).status, 429);
    clock.t += 26_000; // t=31s: past the first block
    assert.equal((await user(fake)).status, 200);
  }));

test('a refusal during the block extends it once the refusal count is reached again', () =>
  withFake({ max: 1, windowMs: 1_000, blockAfterRefusals: { count: 1, blockMs: 10_000 } }, async (fake, clock) => {
    await user(fake);
    assert.equal((await user(fake)).status, 429); // block until t=10s
    clock.t += 9_000;
    assert.equal((await user(fake)).status, 429); // refused at t=9s -> block until t=19s
    clock.t += 5_000; // t=14s
    assert.equal((await user(fake)).status, 429);
    clock.t += 20_000;
    assert.equal((await user(fake)).status, 200);
  }));

test('budgets are per token', () =>
  withFake({ max: 2, windowMs: 60_000 }, async (fake) => {
    await user(fake);
    await user(fake);
    assert.equal((await user(fake)).status, 429);
    const other = await user(fake, 'SOME0OTHER0TOKEN'); // its own (empty) budget: auth fails, not the limit
    assert.equal(other.status, 401);
  }));

test('304s are charged by default and free with charge304: false', async () => {
  for (const charge304 of [true, false]) {
    await withFake({ max: 3, windowMs: 60_000, charge304 }, async (fake) => {
      const { etag } = await user(fake);
      const a = await user(fake, fake.token, { 'If-None-Match': etag! });
      const b = await user(fake, fake.token, { 'If-None-Match': etag! });
      assert.equal(a.status, 304);
      assert.equal(b.status, 304);
      assert.equal((await user(fake)).status, charge304 ? 429 : 200);
    });
  }
});

test('rateLimit: false disables the limit; setFault changes it at run time', async () => {
  const fake = await startFakeRd({ rateLimit: false });
  try {
    for (let i = 0; i < 300; i++) assert.equal((await user(fake)).status, 200);
    fake.setFault({ rateLimit: { max: 1, windowMs: 60_000 } });
    assert.equal((await user(fake)).status, 200);
    assert.equal((await user(fake)).status, 429);
    assert.equal(fake.count('user'), 302);
    assert.equal(fake.requests.filter((r) => r.status === 429).length, 1);
  } finally {
    await fake.close();
  }
});

test('default budget is 250 per minute', async () => {
  const fake = await startFakeRd({ now: () => T0 });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 251; i++) statuses.push((await user(fake)).status);
    assert.equal(statuses.filter((s) => s === 200).length, 250);
    assert.equal(statuses[250], 429);
  } finally {
    await fake.close();
  }
});
