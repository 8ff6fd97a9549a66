// Configuration: every invalid value stops start-up with one clear message; no token still
// gives a running server that says what to set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseDotEnv, readEnvironment } from '../src/config.ts';
import { startHarness, postJson } from './helpers/harness.ts';

const INVALID: Array<[Record<string, string>, RegExp]> = [
  [{ PORT: 'abc' }, /^PORT must be a whole number/],
  [{ PORT: '70000' }, /^PORT must be between 1 and 65535/],
  [{ RD_CALLS_PER_MINUTE: '300' }, /^RD_CALLS_PER_MINUTE must be between 1 and 250/],
  [{ RD_API_URL: 'ftp://x' }, /^RD_API_URL must start with http/],
  [{ RD_API_URL: 'not a url' }, /^RD_API_URL must be an http\(s\) URL/],
  [{ PUBLIC_URL: 'vr.local' }, /^PUBLIC_URL must be an http\(s\) URL/],
  [{ PLAY_MODE: 'stream' }, /^PLAY_MODE must be "redirect" or "proxy"/],
  [{ ALLOW_DELETE: 'maybe' }, /^ALLOW_DELETE must be true or false/],
  [{ RD_API_TOKEN: 'has spaces in it!' }, /^RD_API_TOKEN looks malformed/],
  [{ REAL_DEBRID_API_KEY: 'has spaces in it!' }, /^REAL_DEBRID_API_KEY looks malformed/],
  [{ TLS_CERT: 'cert.pem' }, /^TLS_CERT and TLS_KEY must be set together/],
  [{ TLS_CERT: 'nope.pem', TLS_KEY: 'nope.key' }, /^TLS_CERT file not found/],
  [{ MEDIA_CACHE_SIZE: 'lots' }, /^MEDIA_CACHE_SIZE must be a size/],
  [{ HERESPHERE_AUTH_TOKEN: 'short' }, /^HERESPHERE_AUTH_TOKEN must be at least 8/],
  [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
  [{ HOST: 'bad host!' }, /^HOST must be an address/],
];

test('each invalid value throws ConfigError with one clear sentence', () => {
  for (const [env, re] of INVALID) {
    assert.throws(() => loadConfig(env, tmpdir()), (err: unknown) => {
      assert.ok(err instanceof ConfigError, `${JSON.stringify(env)} -> ConfigError`);
      assert.match(err.message, re);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  }
});

test('defaults, the ancestor token name and .env files', () => {
  const c = loadConfig({ REAL_DEBRID_API_KEY: 'ABCDEFGH12345678' }, tmpdir());
  assert.equal(c.rdToken, 'ABCDEFGH12345678');
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.rdApiUrl, 'https://api.real-debrid.com/rest/1.0');
  assert.equal(c.rdCallsPerMinute, 180);
  assert.equal(c.playMode, 'redirect');
  assert.ok(Object.isFrozen(c));
  assert.deepEqual(parseDotEnv('# c\nA=1\nexport B="two words"\nC=x # note\n'), { A: '1', B: 'two words', C: 'x' });
  const dir = mkdtempSync(join(tmpdir(), 'ds-env-'));
  try {
    writeFileSync(join(dir, '.env'), 'PORT=6000\nHOST=127.0.0.1\n');
    const env = readEnvironment({ HOST: '::1' }, dir);
    assert.equal(env.PORT, '6000');
    assert.equal(env.HOST, '::1', 'the real environment wins over .env');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start with a bad value exits with one clear line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-cfg-'));
  try {
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'src', 'main.ts')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), 'debridsphere cannot start: PORT must be a whole number between 1 and 65535 (got "eighty").');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a token the server runs and its single section says what to set', async (t) => {
  const h = await startHarness({ noToken: true, media: false });
  t.after(() => h.close());
  const r = await postJson(`${h.url}/heresphere`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.library.length, 1);
  assert.match(r.json.library[0].name, /RD_API_TOKEN/);
  assert.deepEqual(r.json.library[0].list, []);
  assert.equal(h.fake.count(), 0);
  const health = await (await fetch(`${h.url}/healthz`)).json();
  assert.equal(health.realDebrid.tokenConfigured, false);
});
