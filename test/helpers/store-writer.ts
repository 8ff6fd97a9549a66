// Child process for the store's multi-process tests: a second (third...) server writing the same
// database file. It prints "ready", waits for "go" on stdin (so several children start their
// work at the same moment, opening included), runs one scenario, prints "done" and exits.
// Usage: node --import tsx test/helpers/store-writer.ts <dataDir> <mode> [args...]
//   open <procId>                 open (migrating a fresh dir) and write meta proc:<procId>
//   user <procId> <n> <hash>      n rounds of counters, rating/favourite and tags (see userRounds)
//   burst                         endless acknowledged writes (library rows and user data);
//                                 prints each seq number after its commits
//   meta <key> <value>            one write
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { TorrentInfo } from '../../src/library/model.ts';
import { openStore, type Store } from '../../src/store/index.ts';

/** The info written for burst sequence number `seq` (the parent checks it field by field). */
export function burstInfo(seq: number): TorrentInfo {
  return {
    id: `B${seq}`,
    hash: seq.toString(16).padStart(40, '0'),
    filename: `Burst.${seq}.mp4`,
    bytes: 1000 + seq,
    status: 'downloaded',
    progress: 100,
    added: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    ended: null,
    links: [`https://real-debrid.com/d/BURST${seq}`],
    originalFilename: `Burst.${seq}.mp4`,
    files: [{ id: 1, path: `/Burst.${seq}.mp4`, bytes: 1000 + seq, selected: true }],
  };
}
/** Every 10th burst seq also writes a group of this many summaries in one transaction. */
export const BURST_GROUP = 200;

/** The user data burst sequence number `seq` writes (favourite, rating, tags, HSP), one write each. */
export function burstUser(seq: number): { hash: string; favorite: boolean; rating: number; tags: Array<{ name: string; start: number; end: number }>; hsp: Buffer } {
  return {
    hash: burstInfo(seq).hash,
    favorite: seq % 3 !== 0,
    rating: ((seq % 10) + 1) / 2,
    tags: [{ name: `Burst:${seq}`, start: seq, end: seq + 1 }],
    hsp: Buffer.from(`hsp-of-burst-${seq}`),
  };
}

/**
 * Per round: +2 play count on `hash` (two counted closes); even processes set the
 * rating of `hash`, odd ones its favourite flag (last round: 4.5 / true); each process replaces
 * the tags of its own `<hash>-tags-<procId>` and of the shared `<hash>-tags-shared`.
 */
function userRounds(store: Store, procId: number, n: number, hash: string): void {
  const at = (i: number): string => new Date(1_700_000_000_000 + i).toISOString();
  for (let i = 1; i <= n; i++) {
    store.user.recordClose(hash, i, true, false, at(i));
    store.user.recordClose(hash, i, true, false, at(i));
    if (procId % 2 === 0) store.user.setRating(hash, i === n ? 4.5 : (i % 10) / 2);
    else store.user.setFavorite(hash, i === n ? true : i % 2 === 0);
    const own = `${hash}-tags-${procId}`;
    store.user.setTags(own, Array.from({ length: (i % 7) + 1 }, (_, k) => ({ name: `P${procId}:${i}:${k}` })));
    store.user.setTags(own, [{ name: `P${procId}:last:${i}`, start: i, end: i + 1 }]);
    store.user.setTags(`${hash}-tags-shared`, [{ name: `P${procId}:${i}` }, { name: `P${procId}:${i}:b` }]);
  }
}

async function burst(store: Store): Promise<never> {
  for (let seq = 0; ; seq++) {
    store.library.putInfo(burstInfo(seq)); // summary + info in one transaction
    if (seq % 10 === 0) {
      store.library.upsertMany(Array.from({ length: BURST_GROUP }, (_, k) => ({ ...burstInfo(seq), id: `G${seq}-${k}` })));
    }
    // What a player changes through the API: four separate writes, each its own transaction.
    const u = burstUser(seq);
    store.user.setFavorite(u.hash, u.favorite);
    store.user.setRating(u.hash, u.rating);
    store.user.setTags(u.hash, u.tags);
    store.user.putHsp(u.hash, u.hsp);
    process.stdout.write(`${seq}\n`); // acknowledged: every transaction above committed
    // Yield so stdout reaches the parent on platforms where pipe writes are asynchronous.
    await new Promise((r) => setImmediate(r));
  }
}

async function run(dataDir: string, mode: string, args: readonly string[]): Promise<void> {
  const store = openStore(dataDir);
  try {
    if (mode === 'open') store.meta.set(`proc:${args[0] ?? '?'}`, 'ok');
    else if (mode === 'user') userRounds(store, Number(args[0]), Number(args[1]), args[2] ?? 'shared');
    else if (mode === 'burst') await burst(store);
    else if (mode === 'meta') store.meta.set(args[0] ?? 'k', args[1] ?? 'v');
    else throw new Error(`unknown mode ${mode}`);
  } finally {
    store.close();
  }
}

function main(dataDir: string, mode: string, args: readonly string[]): void {
  process.stdout.write('ready\n');
  const rl = createInterface({ input: process.stdin });
  rl.once('line', (line) => {
    rl.close();
    if (line.trim() !== 'go') process.exit(2);
    run(dataDir, mode, args).then(
      () => process.stdout.write('done\n', () => process.exit(0)),
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}

// Run only as a script: the tests import burstInfo from this file too.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dataDir, mode, ...args] = process.argv.slice(2);
  if (dataDir === undefined || mode === undefined) throw new Error('usage: store-writer <dataDir> <mode> [args...]');
  main(dataDir, mode, args);
}
