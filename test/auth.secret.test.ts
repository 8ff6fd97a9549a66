// The auth building blocks without a server: path signatures (bound to the path, dead after a
// token change), the per-install salt (one value even when processes race to create it), the
// opaque HereSphere token, session cookies (expiry, revocation, forgery) and the failed-login
// limiter's sliding window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assetPathFor, authSecrets, createSecrets, installSalt, safeEqual, signPath, SALT_FILE } from '../src/api/auth/secret.ts';
import { FailureLimiter } from '../src/api/auth/rate-limit.ts';
import { Sessions, readCookie, sessionCookie, SESSION_TTL_MS } from '../src/api/auth/session.ts';
import { signable, splitUrl } from '../src/api/auth/credentials.ts';
import { safeNext } from '../src/api/auth/routes.ts';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/store/index.ts';

/** A promise, or a clear failure once `ms` have passed (the timer never keeps the test alive). */
async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'debridsphere-auth-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('signatures are bound to the path and to the token', () => {
  const salt = Buffer.alloc(32, 7);
  const a = createSecrets('token-number-one', null, salt);
  const b = createSecrets('token-number-two', null, salt);
  const sig = a.sign('/thumb/0123456789abcdef.jpg');
  assert.match(sig, /^[A-Za-z0-9_-]{24}$/, '144 bits, base64url');
  assert.ok(a.verify('/thumb/0123456789abcdef.jpg', sig));
  assert.ok(!a.verify('/thumb/0123456789abcdee.jpg', sig), 'another path');
  assert.ok(!a.verify('/preview/0123456789abcdef.mp4', sig), 'another kind of asset');
  assert.ok(!b.verify('/thumb/0123456789abcdef.jpg', sig), 'another token');
  assert.ok(!a.verify('/thumb/0123456789abcdef.jpg', sig.slice(0, -1)), 'truncated');
  assert.ok(!a.verify('/thumb/0123456789abcdef.jpg', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`), 'one character changed');
  assert.ok(!a.verify('/thumb/0123456789abcdef.jpg', ''), 'empty');
  // Same token, another install: nothing carries over.
  assert.ok(!createSecrets('token-number-one', null, Buffer.alloc(32, 8)).verify('/thumb/0123456789abcdef.jpg', sig));
});

test('the HereSphere auth-token is opaque: not the token, different per token and per install', () => {
  const salt = Buffer.alloc(32, 1);
  const a = createSecrets('token-number-one', null, salt);
  assert.notEqual(a.heresphereToken, 'token-number-one');
  assert.ok(!a.heresphereToken.includes('token-number-one'));
  assert.equal(a.heresphereToken, createSecrets('token-number-one', null, salt).heresphereToken, 'stable for a token');
  assert.notEqual(a.heresphereToken, createSecrets('token-number-two', null, salt).heresphereToken);
  assert.notEqual(a.heresphereToken, createSecrets('token-number-one', null, Buffer.alloc(32, 2)).heresphereToken);
  assert.ok(a.heresphereToken.length >= 40);
});

test('assetPath: identity with auth off, signed with auth on, and the signature verifies', (t) => {
  const dir = tempDir(t);
  const off = loadConfig({ DATA_DIR: dir }, dir);
  assert.equal(assetPathFor(off)('/thumb/0123456789abcdef.jpg'), '/thumb/0123456789abcdef.jpg');
  assert.equal(authSecrets(off), null);
  const on = loadConfig({ DATA_DIR: dir, HERESPHERE_AUTH_TOKEN: 'a-long-enough-token' }, dir);
  const signed = assetPathFor(on)('/play/0123456789abcdef/3');
  const m = /^\/play\/0123456789abcdef\/3\?sig=([A-Za-z0-9_-]+)$/.exec(signed);
  assert.ok(m, signed);
  assert.ok(authSecrets(on)!.verify('/play/0123456789abcdef/3', m[1]!));
  assert.match(signPath(authSecrets(on)!, '/x?y=1'), /^\/x\?y=1&sig=/);
  assert.ok(!signed.includes('a-long-enough-token'));
});

test('safeEqual compares whole strings of any length', () => {
  assert.ok(safeEqual('abc', 'abc'));
  assert.ok(!safeEqual('abc', 'abd'));
  assert.ok(!safeEqual('abc', 'abcd'));
  assert.ok(!safeEqual('', 'a'));
  assert.ok(safeEqual('', ''));
});

test('the install salt is created once and kept; racing processes agree on it', async (t) => {
  const dir = tempDir(t);
  const first = installSalt(dir);
  assert.equal(first.length, 32);
  assert.deepEqual(installSalt(dir), first);

  // Eight processes create the salt of a fresh data dir at the same moment: each loads its code,
  // says "ready" and blocks on stdin; once all eight are ready, one "go" releases them together.
  const fresh = join(dir, 'race');
  const secretModule = fileURLToPath(new URL('../src/api/auth/secret.ts', import.meta.url));
  const code = [
    `import { installSalt } from ${JSON.stringify(secretModule)};`,
    `import { createInterface } from 'node:readline';`,
    `const rl = createInterface({ input: process.stdin });`,
    `rl.once('line', () => { rl.close(); process.stdout.write(installSalt(${JSON.stringify(fresh)}).toString('hex') + '\\n'); });`,
    `process.stdout.write('ready\\n');`,
  ].join('\n');
  const children = Array.from({ length: 8 }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const lines = (): string[] => out.split('\n').filter(Boolean);
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (lines()[0] === 'ready') resolve();
      });
      child.on('exit', (c) => reject(new Error(`exit ${c} before ready: ${err}`)));
    });
    const done = new Promise<string>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c) => (c === 0 ? resolve(lines()[1] ?? '') : reject(new Error(`exit ${c}: ${err}`))));
    });
    done.catch(() => undefined); // awaited below; a child dying before "go" fails the ready wait first
    return { child, ready, done };
  });
  await withTimeout(Promise.all(children.map((c) => c.ready)), 90_000, 'the eight salt writers did not all load');
  for (const c of children) c.child.stdin.end('go\n');
  const outputs = await withTimeout(Promise.all(children.map((c) => c.done)), 60_000, 'the salt writers did not finish');
  assert.equal(new Set(outputs).size, 1, 'every process derived the same salt');
  assert.equal(outputs[0]!.length, 64);
  assert.deepEqual(readdirSync(fresh), [SALT_FILE], 'no temp files left behind');
});

test('session cookies: valid until expiry, revocable, unforgeable, dead after a token change', (t) => {
  let now = 1_000_000_000_000;
  const clock = () => now;
  const salt = Buffer.alloc(32, 3);
  const secrets = createSecrets('token-number-one', null, salt);
  const dir = mkdtempSync(join(tmpdir(), 'debridsphere-sessions-'));
  const store = openStore(dir);
  const store2 = openStore(dir); // another process's connection to the same file
  t.after(() => {
    store.close();
    store2.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sessions = new Sessions(secrets, store.auth, clock);
  const value = sessions.issue();
  const header = `other=1; ds_session=${value}; x=y`;
  assert.equal(sessions.check(header), 'valid');
  assert.equal(sessions.check('other=1'), 'absent');
  assert.equal(sessions.check(undefined), 'absent');
  assert.equal(sessions.check(`ds_session=${value.slice(0, -2)}xx`), 'invalid', 'forged MAC');
  const [id, exp, mac] = value.split('.');
  assert.equal(sessions.check(`ds_session=${id}.${Number(exp) + 1000}.${mac}`), 'invalid', 'extended expiry');
  assert.equal(new Sessions(createSecrets('token-number-two', null, salt), store.auth, clock).check(header), 'invalid', 'token changed');
  const elsewhere = new Sessions(secrets, store2.auth, clock);
  assert.equal(elsewhere.check(header), 'valid', 'another process with the same secret accepts it');

  now += SESSION_TTL_MS + 1000;
  assert.equal(sessions.check(header), 'invalid', 'expired');
  now -= SESSION_TTL_MS;
  const other = sessions.issue();
  sessions.revoke(`ds_session=${value}`);
  assert.equal(sessions.check(header), 'invalid', 'revoked');
  assert.equal(sessions.check(`ds_session=${other}`), 'valid', 'revoking one leaves the others');
  assert.equal(elsewhere.check(header), 'invalid', 'the revocation is in the shared database, not in one process');
  const third = elsewhere.issue();
  elsewhere.revokeAll();
  assert.equal(sessions.check(`ds_session=${other}`), 'invalid', 'log out everywhere voids every earlier session');
  assert.equal(sessions.check(`ds_session=${third}`), 'invalid', 'whichever process issued it');
  const fresh = sessions.issue();
  assert.equal(elsewhere.check(`ds_session=${fresh}`), 'valid', 'a login after it works everywhere');

  assert.deepEqual(readCookie('a=1; ds_session=x; ds_session=y', 'ds_session'), ['x', 'y']);
  assert.deepEqual(readCookie('x'.repeat(9000), 'ds_session'), []);
  const set = sessionCookie('v', false);
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=(Lax|Strict)/);
  assert.match(set, /Path=\//);
  assert.doesNotMatch(set, /Secure/);
  assert.match(sessionCookie('v', true), /; Secure/);
  assert.match(sessionCookie(null, false), /Max-Age=0/);
});

test('failed-login limiter: 10 failures a minute per address, sliding window, bounded memory', () => {
  let now = 0;
  const limiter = new FailureLimiter({ now: () => now, maxKeys: 3 });
  for (let i = 0; i < 10; i++) {
    assert.equal(limiter.retryAfterMs('a'), 0, `attempt ${i + 1} allowed`);
    limiter.fail('a');
    now += 1000;
  }
  assert.ok(limiter.retryAfterMs('a') > 0, 'the 11th attempt waits');
  assert.equal(limiter.retryAfterMs('b'), 0, 'other addresses are not affected');
  assert.equal(limiter.retryAfterMs('a'), 60_000 - 10_000 + 1 - 1);
  now = 60_001; // the first failure left the window
  assert.equal(limiter.retryAfterMs('a'), 0);
  limiter.fail('a');
  assert.ok(limiter.retryAfterMs('a') > 0);
  for (const k of ['b', 'c', 'd', 'e']) limiter.fail(k);
  assert.equal(limiter.retryAfterMs('a'), 0, 'the oldest address was forgotten beyond maxKeys');
});

test('what a signature can open, and URL splitting', () => {
  assert.ok(signable('GET', '/thumb/0123456789abcdef.jpg'));
  assert.ok(signable('HEAD', '/play/0123456789abcdef/2'));
  assert.ok(signable('GET', '/hsp/0123456789abcdef'));
  assert.ok(signable('POST', '/deovr/0123456789abcdef'));
  assert.ok(signable('POST', '/heresphere/0123456789abcdef/event'));
  assert.ok(!signable('POST', '/thumb/0123456789abcdef.jpg'), 'assets are read-only');
  assert.ok(!signable('GET', '/api/library'));
  assert.ok(!signable('POST', '/heresphere/0123456789abcdef'), 'a video write needs a real credential');
  assert.ok(signable('GET', '/deovr'), 'the DeoVR library: the signed address shown to a logged-in user');
  assert.ok(!signable('GET', '/heresphere'), 'HereSphere logs in itself');
  assert.deepEqual(splitUrl('/a/b?x=1&sig=abc'), { path: '/a/b', sigs: ['abc'] });
  assert.deepEqual(splitUrl('/a/b?sig=1&sig=2'), { path: '/a/b', sigs: ['1', '2'] });
  assert.deepEqual(splitUrl('/a/b'), { path: '/a/b', sigs: [] });
});

test('after login, only same-server paths', () => {
  assert.equal(safeNext('/heresphere'), '/heresphere');
  assert.equal(safeNext('/'), '/');
  for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', null, 5, '/a b', `/${'a'.repeat(600)}`]) {
    assert.equal(safeNext(bad), '/', String(bad));
  }
});
