// The RD token must never leak: not in any response (headers or body, API or CDN), not in a
// download URL or id, not in the fake's request log, whichever way the client sent it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edgeCaseFixtures, PACK_WITH_JUNK, startFakeRd } from './fake-rd/index.ts';

const TOKEN = 'ZQ4MNB7XKWLE2HQ9T3VRC5YJ8DPA6FGS1UOI0ZQ4MNB7XKWLE2HQ'; // RD-like: 52 uppercase alnum

test('the token appears in no response and no log entry', async () => {
  const fake = await startFakeRd({ token: TOKEN, torrents: edgeCaseFixtures(), rateLimit: { max: 30, windowMs: 60_000, retryAfterSeconds: 5 } });
  const seen: string[] = [];
  const record = async (res: Response) => {
    seen.push(JSON.stringify([...res.headers]), Buffer.from(await res.arrayBuffer()).toString('latin1'));
    return res;
  };
  const auth = { Authorization: `Bearer ${TOKEN}` };
  try {
    const paths = ['/user', '/torrents?limit=5', `/torrents/info/${PACK_WITH_JUNK.id}`, '/downloads', '/torrents/activeCount', '/nope', '/torrents/instantAvailability/x'];
    for (const p of paths) {
      await record(await fetch(`${fake.apiUrl}${p}`, { headers: auth }));
      await record(await fetch(`${fake.apiUrl}${p}${p.includes('?') ? '&' : '?'}auth_token=${TOKEN}`));
      await record(await fetch(`${fake.apiUrl}${p}?auth_token=${TOKEN}x`)); // a wrong token near the real one
    }
    const info = (await (await fetch(`${fake.apiUrl}/torrents/info/${PACK_WITH_JUNK.id}`, { headers: auth })).json()) as { links: string[] };
    const u = await fetch(`${fake.apiUrl}/unrestrict/link?auth_token=${TOKEN}`, { method: 'POST', body: new URLSearchParams({ link: info.links[0]! }) });
    const body = (await u.clone().json()) as { download: string; id: string };
    await record(u);
    assert.ok(!body.download.includes(TOKEN) && !body.id.includes(TOKEN.slice(0, 8)));
    await record(await fetch(body.download, { headers: { Range: 'bytes=0-99' } }));
    await record(await fetch(`${fake.apiUrl}/torrents/addMagnet`, { method: 'POST', headers: auth, body: new URLSearchParams({ magnet: `magnet:?xt=urn:btih:${'cd'.repeat(20)}&dn=Some.Name` }) }));
    await record(await fetch(`${fake.apiUrl}/user?note=${TOKEN}`, { headers: auth })); // token somewhere else in the URL
    for (let i = 0; i < 30; i++) await record(await fetch(`${fake.apiUrl}/user`, { headers: auth })); // into 429s

    assert.ok(seen.some((s) => s.includes('too_many_requests')), 'the rate limit was reached too');
    for (const s of seen) assert.ok(!s.includes(TOKEN), `leak in response: ${s.slice(0, 200)}`);
    const log = JSON.stringify(fake.requests);
    assert.ok(fake.requests.length > 50);
    assert.ok(!log.includes(TOKEN), 'leak in the request log');
    assert.ok(log.includes('auth_token=[redacted]'));
  } finally {
    await fake.close();
  }
});
