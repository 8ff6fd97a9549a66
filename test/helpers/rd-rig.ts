// The product's RD-facing parts (store, scheduler with the account brake, client, catalog, sync,
// resolver) on a temp data dir against the fake RD, all on one manual clock, for the issue-12
// tests and the soak: no real time passes, yet every call goes over real HTTP and into real SQLite.
import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeRd, type FakeRdOptions, type FakeTorrentSpec } from '../fake-rd/index.ts';
import { ManualClock, captureLogger, drive, quietWire } from '../realdebrid.support.ts';
import { AccountBrake, RdClient, RdScheduler } from '../../src/realdebrid/index.ts';
import { openStore } from '../../src/store/index.ts';
import { Catalog } from '../../src/catalog/catalog.ts';
import { LibrarySync } from '../../src/sync/library-sync.ts';
import { Resolver } from '../../src/play/resolver.ts';
import { LibraryWriter } from '../../src/catalog/writer.ts';

export interface RigOptions {
  fake?: FakeRdOptions;
  dailyCap?: number;
  backfillPerMinute?: number;
}

export async function rdRig(t: TestContext, torrents: FakeTorrentSpec[], opts: RigOptions = {}) {
  const clock = new ManualClock();
  // Pages of 100 so that "mid-listing" exists for a few hundred torrents.
  const fake = await startFakeRd({ now: clock.now, setTimer: clock.setTimer, torrents, maxPageSize: 100, ...opts.fake });
  const brake = new AccountBrake({ now: clock.now, ...(opts.dailyCap !== undefined ? { dailyCap: opts.dailyCap } : {}) });
  // The product's pacing (parts.ts): 20 calls and 3 background unrestricts in any 10 s.
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, brake, callsPer10s: 20, backgroundUnrestrictsPer10s: 3 });
  const rd = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, random: () => 0.5 });
  const dir = mkdtempSync(join(tmpdir(), 'debridsphere-rd-'));
  const store = openStore(dir);
  const catalog = new Catalog(store, clock.now);
  catalog.loadAll();
  const { logger, lines } = captureLogger();
  const writer = new LibraryWriter(store, catalog, clock.now);
  const sync = new LibrarySync({
    rd, store, catalog, writer, logger, ttlMs: 60_000, now: clock.now,
    backfillPerMinute: opts.backfillPerMinute ?? 0, setTimer: clock.setTimer, clearTimer: clock.clearTimer,
  });
  const resolver = new Resolver({ rd, store, catalog, writer, sync, logger, now: clock.now, brake, setTimer: clock.setTimer });
  t.after(async () => {
    sync.close();
    scheduler.close();
    rd.close();
    store.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const quiet = quietWire(scheduler, fake);
  const run = <T>(work: Promise<T>): Promise<T> => drive(clock, quiet, work);
  return { clock, fake, brake, scheduler, rd, store, catalog, writer, sync, resolver, run, lines };
}
