// What start-up prints for the headset: one URL per address, IPv6 literals bracketed, the public
// URL alone when one is configured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectUrls, lanAddresses } from '../src/net.ts';

test('connect URLs: a listen address as typed, IPv6 bracketed, HTTPS beside HTTP, PUBLIC_URL alone', () => {
  assert.deepEqual(connectUrls('/heresphere', { publicUrl: null, host: '192.168.1.20', port: 5090 }), ['http://192.168.1.20:5090/heresphere']);
  assert.deepEqual(connectUrls('/heresphere', { publicUrl: null, host: '::1', port: 5090 }), ['http://[::1]:5090/heresphere']);
  assert.deepEqual(connectUrls('/deovr', { publicUrl: null, host: '127.0.0.1', port: 5090, https: { port: 5091 } }), [
    'http://127.0.0.1:5090/deovr',
    'https://127.0.0.1:5091/deovr',
  ]);
  assert.deepEqual(connectUrls('/heresphere', { publicUrl: 'https://vr.example.com', host: '0.0.0.0', port: 5090 }), ['https://vr.example.com/heresphere']);
  const all = connectUrls('/', { publicUrl: null, host: '0.0.0.0', port: 5090 });
  assert.deepEqual(all, lanAddresses().map((a) => `http://${a}:5090/`), 'a wildcard listen lists every LAN address');
  for (const u of all) assert.doesNotThrow(() => new URL(u));
});
