// A benchmark server on a library: the fake RD (with latency) and the real server process on a
// fresh copy of the pre-synced fixture, started and settled (the start-up head check done), so
// RD call counts from here on belong to what the benchmark does.
import type { FakeRd } from '../../test/fake-rd/index.ts';
import { removeDir, startLibraryFake, syncedDataDir } from './fixture.ts';
import { spawnServer, type ServerProc } from './server.ts';

export interface LibraryServer {
  n: number;
  fake: FakeRd;
  proc: ServerProc;
  url: string;
  close(): Promise<void>;
}

/**
 * Polls /healthz until it answers and the library is not syncing, then waits for RD to go quiet
 * and for the server's CPU to go idle (the catalog builds its videos in the background after a
 * start), so what is measured next is not sharing the process with start-up work.
 */
export async function settle(proc: ServerProc, fake: FakeRd, timeoutMs = 120_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  let quietSince = performance.now();
  let lastCount = -1;
  for (;;) {
    if (proc.exited()) throw new Error('server exited');
    if (performance.now() > end) throw new Error('server did not settle');
    try {
      const res = await fetch(proc.url + '/healthz');
      const h = (await res.json()) as { library?: { syncing?: boolean } };
      const count = fake.count();
      if (count !== lastCount) {
        lastCount = count;
        quietSince = performance.now();
      }
      if (res.ok && h.library?.syncing === false && performance.now() - quietSince > 300) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  let last = await proc.cpuMs();
  for (let calm = 0; calm < 8; ) { // 1.6 s: longer than the catalog waits before building
    if (performance.now() > end) throw new Error('server CPU did not settle');
    await new Promise((r) => setTimeout(r, 200));
    const now = await proc.cpuMs();
    calm = now - last < 20 ? calm + 1 : 0;
    last = now;
  }
}

export async function startLibraryServer(n: number, opts: { latencyMs: number; env?: Record<string, string>; nodeArgs?: string[]; entry?: string[] }): Promise<LibraryServer> {
  const dataDir = await syncedDataDir(n);
  const fake = await startLibraryFake(n, { latencyMs: opts.latencyMs });
  let proc: ServerProc | null = null;
  try {
    proc = await spawnServer({ dataDir, fake, ...(opts.env ? { env: opts.env } : {}), ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}), ...(opts.entry ? { entry: opts.entry } : {}) });
    await settle(proc, fake);
  } catch (err) {
    await proc?.stop();
    await fake.close();
    removeDir(dataDir);
    throw err;
  }
  const p = proc;
  return {
    n,
    fake,
    proc: p,
    url: p.url,
    close: async () => {
      await p.stop();
      await fake.close();
      removeDir(dataDir);
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
