// The start-up warning for an open server: src/main.ts, started as users start it, warns that
// anyone on the LAN can browse the library exactly when auth is off and the listen address is not
// loopback (127.0.0.0/8, ::1, localhost). The warning is printed before the "running" banner, so
// once the banner is out its absence is final.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoopbackHost } from '../src/net.ts';
import { startMain } from './hardening.support.ts';

const WARNING = /WARNING: authentication is off and the server listens on the network/;

/** Whether this machine can listen on an address (127.0.0.2 exists on Linux, not on macOS by default). */
async function canListen(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(0, host, () => s.close(() => resolve(true)));
  });
}

test('which listen addresses are loopback only', () => {
  for (const h of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LocalHost']) {
    assert.ok(isLoopbackHost(h), `${h} is loopback`);
  }
  for (const h of ['0.0.0.0', '::', '[::]', '192.168.1.5', '10.0.0.1', '128.0.0.1', '::2', 'fe80::1', '::ffff:192.168.1.5', 'example.com', '127.0.0.1.example.com']) {
    assert.ok(!isLoopbackHost(h), `${h} is not loopback`);
  }
});

test('src/main.ts warns about an open server only when auth is off and the address is not loopback', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'debridsphere-startup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cases: Array<{ host: string; env?: Record<string, string>; warns: boolean }> = [
    { host: '0.0.0.0', warns: true },
    { host: '0.0.0.0', env: { HERESPHERE_AUTH_TOKEN: 'startup-token-0123' }, warns: false },
    { host: '127.0.0.1', warns: false },
  ];
  if (await canListen('127.0.0.2')) cases.push({ host: '127.0.0.2', warns: false });
  else t.diagnostic('127.0.0.2 is not configured on this machine: that case is covered by the loopback table only');

  await Promise.all(
    cases.map(async (c, i) => {
      const label = `HOST=${c.host}${c.env ? ' with auth' : ''}`;
      const main = await startMain({ HOST: c.host, DATA_DIR: join(dir, `data-${i}`), ...c.env }, dir);
      t.after(() => main.stop());
      // The banner is out (startMain waited for it), and the warning comes before it.
      const banner = main.stdout();
      assert.match(banner, /debridsphere is running/, label);
      if (c.warns) assert.match(banner, WARNING, `${label}: warns\n${main.output()}`);
      else assert.doesNotMatch(main.output(), WARNING, `${label}: no warning`);
      const health = await fetch(`${main.url}/healthz`);
      assert.equal(health.status, 200, `${label} answers`);
      await health.arrayBuffer();
    }),
  );
});
