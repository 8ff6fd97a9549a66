// Pre-synced data directories for the benchmarks: a generated RD library of n torrents, listed
// and stored by the product's own sync, with torrent infos stored for all but a "cold pool" (every
// COLD_EVERY-th torrent, as if the background backfill had not reached it yet). Built once per day
// and size in the temp dir (the fake's `added` dates are anchored to that day) and copied per run,
// because the server writes to its data dir.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createParts } from '../../src/parts.ts';
import { openStore, SCHEMA_VERSION } from '../../src/store/index.ts';
import { toInfo } from '../../src/realdebrid/index.ts';
import type { RdTorrentInfo } from '../../src/realdebrid/types.ts';
import { generateLibrary, startFakeRd, type FakeRd, type FakeRdOptions, type FakeTorrentSpec } from '../../test/fake-rd/index.ts';
import { progress } from './report.ts';
import { since } from './stats.ts';

export const LIBRARY_SEED = 42;
export const FAKE_SEED = 1;
/** Every COLD_EVERY-th torrent (index % COLD_EVERY === COLD_EVERY / 2) has no stored info. */
export const COLD_EVERY = 100;
const ROOT = join(tmpdir(), 'debridsphere-bench');
const FIXTURE_VERSION = 1;

/** Midnight UTC today: the generated library's `added` dates end here. */
export function fixtureNow(): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

const libraries = new Map<number, FakeTorrentSpec[]>();

/** The generated library of n torrents (same every time for the day). */
export function libraryOf(n: number): FakeTorrentSpec[] {
  let lib = libraries.get(n);
  if (!lib) {
    lib = generateLibrary(n, { seed: LIBRARY_SEED, now: fixtureNow() });
    libraries.set(n, lib);
  }
  return lib;
}

export function isCold(index: number): boolean {
  return index % COLD_EVERY === COLD_EVERY / 2;
}

/** The fake RD serving library n exactly as the fixture was synced from (same ids, hashes, links). */
export function startLibraryFake(n: number, opts: FakeRdOptions = {}): Promise<FakeRd> {
  return startFakeRd({ torrents: libraryOf(n), seed: FAKE_SEED, ...opts });
}

/** Changes when the stored layout may have changed (schema, info encoding), so old copies are not reused. */
function storeCodeHash(): string {
  const h = createHash('sha1');
  for (const f of ['schema.ts', 'library.ts']) h.update(readFileSync(new URL(`../../src/store/${f}`, import.meta.url)));
  return h.digest('hex').slice(0, 8);
}

function fixtureDir(n: number): string {
  const day = new Date(fixtureNow()).toISOString().slice(0, 10);
  return join(ROOT, 'fixtures', `${day}-n${n}-schema${SCHEMA_VERSION}-v${FIXTURE_VERSION}-${storeCodeHash()}`);
}

let cleaned = false;

/** Drops fixtures of other days or of other store code (their suffix differs from `keep`'s). */
function removeStale(keep: string): void {
  const dir = join(ROOT, 'fixtures');
  if (!existsSync(dir)) return;
  const name = basename(keep);
  const day = name.slice(0, 10);
  const suffix = name.slice(name.indexOf('-schema'));
  for (const f of readdirSync(dir)) if (!f.startsWith('building-') && (!f.startsWith(day) || !f.endsWith(suffix))) rmSync(join(dir, f), { recursive: true, force: true });
}

async function fetchInfos(fake: FakeRd, ids: readonly string[], put: (info: RdTorrentInfo) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      const res = await fetch(`${fake.apiUrl}/torrents/info/${id}`, { headers: { authorization: `Bearer ${fake.token}` } });
      if (!res.ok) throw new Error(`fixture: info ${id} answered ${res.status}`);
      put((await res.json()) as RdTorrentInfo);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function build(n: number, dir: string): Promise<void> {
  const t0 = performance.now();
  progress(`building the ${n.toLocaleString('en-US')}-torrent fixture (once a day) in ${dir}`);
  mkdirSync(join(ROOT, 'fixtures'), { recursive: true });
  const tmp = mkdtempSync(join(ROOT, 'fixtures', 'building-'));
  const fake = await startLibraryFake(n, { latencyMs: 0, rateLimit: false });
  try {
    const env = { RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: tmp, HOST: '127.0.0.1', RD_INFO_BACKFILL_PER_MINUTE: '0' };
    const parts = createParts(loadConfig(env, tmp), { logger: silentLogger() });
    try {
      await parts.sync.refresh('full');
      const ids = libraryOf(n).filter((_, i) => !isCold(i)).map((t) => t.id as string);
      await fetchInfos(fake, ids, (raw) => parts.store.library.putInfo(toInfo(raw)));
    } finally {
      await parts.close();
    }
  } finally {
    await fake.close();
  }
  renameSync(tmp, dir);
  progress(`fixture ${n} built in ${(since(t0) / 1000).toFixed(1)} s`);
}

/**
 * A fresh copy of the pre-synced data dir for library n, marked as synced just now (so a server
 * started on it does a head check, not a 6-hourly full listing). Caller removes it.
 */
export async function syncedDataDir(n: number): Promise<string> {
  const dir = fixtureDir(n);
  if (!cleaned) {
    removeStale(dir);
    cleaned = true;
  }
  if (!existsSync(dir)) await build(n, dir);
  mkdirSync(join(ROOT, 'runs'), { recursive: true });
  const copy = mkdtempSync(join(ROOT, 'runs', `n${n}-`));
  cpSync(dir, copy, { recursive: true });
  const store = openStore(copy);
  try {
    const now = Date.now();
    store.meta.set('library.lastSyncAt', new Date(now).toISOString());
    store.meta.set('library.lastFullAt', String(now));
  } finally {
    store.close();
  }
  return copy;
}

/** An empty data dir (first start of a new install). Caller removes it. */
export function emptyDataDir(label: string): string {
  mkdirSync(join(ROOT, 'runs'), { recursive: true });
  return mkdtempSync(join(ROOT, 'runs', `${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
