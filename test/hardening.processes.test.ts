// Two real server processes (src/main.ts, as users start it) on one data dir, both with auth on:
// they agree on the server secret (an auth-token or cookie from one opens the other), and
// favorites, ratings, watched flags, tags and HSP files written through HTTP to both at once are
// all kept: no write is lost to the other process, and each process sees the other's writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeRd, type FakeTorrentSpec } from './fake-rd/index.ts';
import { openStore } from '../src/store/index.ts';
import { startMain, type MainProcess } from './hardening.support.ts';
import { waitFor } from './helpers/wait.ts';

const TOKEN = 'two-process-token-0123';
const VIDEOS = 12;
/** How long a process may take to list the library the other one synced (a bound, not a pace). */
const LIBRARY_WAIT_MS = 60_000;

type Server = MainProcess;

const bearer = { authorization: `Bearer ${TOKEN}` };
type Library = { total: number; videos: Array<{ id: string; title: string; thumbUrl: string; favorite: boolean; rating: number; watched: boolean }> };

async function library(s: Server, headers: Record<string, string> = bearer): Promise<Library> {
  const res = await fetch(`${s.url}/api/library`, { headers });
  assert.equal(res.status, 200, `${s.url}: ${await res.clone().text()}`);
  return (await res.json()) as Library;
}

/** Polls until a server lists the whole library (bounded: LIBRARY_WAIT_MS). */
async function waitForLibrary(s: Server, name: string): Promise<void> {
  let got = await library(s);
  await waitFor(async () => (got = await library(s)).total >= VIDEOS, `${name} to list the whole library`, { timeoutMs: LIBRARY_WAIT_MS, everyMs: 100 }).catch(() => undefined);
  assert.equal(got.total, VIDEOS, `${name} lists the library the other process synced within ${LIBRARY_WAIT_MS / 1000} s: ${JSON.stringify((got as unknown as { status: unknown }).status)}\n${s.output()}`);
}

function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const torrents: FakeTorrentSpec[] = Array.from({ length: VIDEOS }, (_, i) => ({
    filename: `Shared.Scene.${String(i).padStart(2, '0')}.180.LR.mp4`,
    files: [{ path: `/Shared.Scene.${String(i).padStart(2, '0')}.180.LR.mp4`, bytes: 1_000_000 + i }],
  }));
  const dataDir = mkdtempSync(join(tmpdir(), 'debridsphere-twoproc-'));
  const servers: Server[] = [];
  let fake: Awaited<ReturnType<typeof startFakeRd>> | null = null;
  t.after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    dataDir,
    async env() {
      fake ??= await startFakeRd({ torrents });
      return { RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: dataDir, HERESPHERE_AUTH_TOKEN: TOKEN };
    },
    async start(env: Record<string, string>): Promise<Server> {
      const s = await startMain({ ...env, LOG_LEVEL: process.env.TWOPROC_LOG ?? 'warn' }, dataDir);
      servers.push(s);
      return s;
    },
  };
}

test('two processes started at once on a fresh data dir both serve the library one of them synced', async (t) => {
  const ctx = setup(t);
  const env = await ctx.env();
  // They race to create the data dir, the database and the auth salt, and to sync the library.
  const [a, b] = await Promise.all([ctx.start(env), ctx.start(env)]);
  await waitForLibrary(a, 'A');
  await waitForLibrary(b, 'B');
  const hs = (await (await fetch(`${a.url}/heresphere/auth`, { method: 'POST', body: JSON.stringify({ username: 'u', password: TOKEN }) })).json()) as { 'auth-token': string };
  assert.equal((await library(b, { 'auth-token': hs['auth-token'] })).total, VIDEOS, 'one secret: an auth-token from A opens B');
});

test('two server processes on one data dir share the secret and keep every write', async (t) => {
  const ctx = setup(t);
  const env = await ctx.env();
  // A syncs first; B starts on the data A filled (so this test is about writes, not sync).
  const a = await ctx.start(env);
  await waitForLibrary(a, 'A');
  const b = await ctx.start(env);
  await waitForLibrary(b, 'B');

  // One secret: credentials minted by one process open the other.
  const hs = (await (await fetch(`${a.url}/heresphere/auth`, { method: 'POST', body: JSON.stringify({ username: 'u', password: TOKEN }) })).json()) as { 'auth-token': string };
  const login = await fetch(`${b.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  assert.equal((await library(b, { 'auth-token': hs['auth-token'] })).total, VIDEOS, 'auth-token from A works on B');
  assert.equal((await library(a, { cookie })).total, VIDEOS, 'cookie from B works on A');
  const thumbFromA = (await library(a)).videos[0]!.thumbUrl;
  assert.equal((await fetch(`${b.url}${thumbFromA}`)).status, 200, 'a URL signed by A opens on B');

  // Every (video, field) written once, half through each process, all at the same time.
  const ids = (await library(a)).videos.map((v) => v.id).sort();
  const rating = (i: number) => ((i % 10) + 1) / 2;
  const writes: Array<() => Promise<Response>> = [];
  ids.forEach((id, i) => {
    const [p, q] = i % 2 === 0 ? [a, b] : [b, a];
    const json = (s: Server, path: string, body: unknown) => () =>
      fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer }, body: JSON.stringify(body) });
    writes.push(json(p, `/api/videos/${id}`, { favorite: true }));
    writes.push(json(q, `/api/videos/${id}`, { rating: rating(i) }));
    writes.push(json(p, `/api/videos/${id}`, { watched: true }));
    writes.push(json(q, `/heresphere/${id}`, { tags: [{ name: `Mine:tag-${i}` }], needsMediaSource: false }));
    writes.push(json(p, `/heresphere/${id}`, { hsp: Buffer.from(`hsp-${i}`).toString('base64'), needsMediaSource: false }));
  });
  const results = await Promise.all(writes.map((w) => w()));
  for (const r of results) assert.equal(r.status, 200, await r.text());

  for (const s of [a, b]) {
    const seen = new Map((await library(s)).videos.map((v) => [v.id, v]));
    ids.forEach((id, i) => {
      const v = seen.get(id)!;
      assert.deepEqual({ favorite: v.favorite, rating: v.rating, watched: v.watched }, { favorite: true, rating: rating(i), watched: true }, `${s.url} ${id}`);
    });
    for (const [i, id] of ids.entries()) {
      const res = await fetch(`${s.url}/heresphere/${id}`, { method: 'POST', headers: bearer, body: JSON.stringify({ needsMediaSource: false }) });
      const v = (await res.json()) as { tags: Array<{ name: string }>; hsp?: string };
      assert.ok(v.tags.some((tag) => tag.name === `Mine:tag-${i}`), `${s.url} ${id} kept its tag`);
      assert.ok(v.hsp, `${s.url} ${id} has an HSP`);
      assert.equal(await (await fetch(v.hsp!)).text(), `hsp-${i}`);
    }
  }

  await Promise.all([a.stop(), b.stop()]);
  assert.doesNotMatch(a.output() + b.output(), new RegExp(TOKEN), 'the token never reached a log line');
  const store = openStore(ctx.dataDir);
  try {
    const user = store.user.all();
    assert.equal([...user.values()].filter((u) => u.favorite && u.watched && u.rating > 0 && u.hasHsp && u.tags.some((tag) => tag.name.startsWith('Mine:tag-'))).length, VIDEOS, 'on disk too');
  } finally {
    store.close();
  }
});
