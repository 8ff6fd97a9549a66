// The background prober's rules on their own (no ffmpeg, no server): it walks the list it is given
// in order (the product gives newest first), never runs more than its slots, skips what is probed,
// failed or already running, loads a file list before its files, and does nothing while the Real-
// Debrid room's brake (backgroundWaitMs) holds background unrestricts, saying until when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackgroundProber, type ProbeWork } from '../src/media/prober.ts';
import type { MediaState, MediaTarget } from '../src/media/types.ts';

const target = (name: string): MediaTarget => ({ videoId: name, fileId: 1, hash: name, path: `/${name}.mp4`, bytes: 1, stereo: 'mono', durationMs: 0 }) as MediaTarget;
const tick = () => new Promise((r) => setImmediate(r));

function rig(names: string[], opts: { slots?: number; held?: () => number } = {}) {
  const state = new Map<string, MediaState['state']>(names.map((n) => [n, 'pending']));
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  let list: ProbeWork[] = names.map((n) => target(n));
  let listVersion = 0;
  const timers: Array<{ fn: () => void; ms: number }> = [];
  // Each source is one step of work here (the product: a video and its files).
  const prober = new BackgroundProber<ProbeWork>({
    sources: () => list,
    listKey: () => String(listVersion),
    work: (w) => [w],
    version: () => 0,
    peek: (t) => ({ state: state.get(t.hash) ?? 'pending' }) as MediaState,
    ensure: (t) =>
      new Promise<MediaState>((resolve) => {
        started.push(t.hash);
        finish.set(t.hash, () => {
          state.set(t.hash, 'ready');
          resolve({ state: 'ready', file: '', etag: '', size: 0 });
        });
      }),
    slots: opts.slots ?? 1,
    backgroundWaitMs: opts.held ?? (() => 0),
    setTimer: (fn, ms) => {
      const t = { fn, ms };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      const i = timers.indexOf(h as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
    now: () => 1_000,
  });
  return {
    prober,
    state,
    started,
    finish,
    timers,
    setList: (l: ProbeWork[]) => {
      list = l;
      listVersion++;
    },
  };
}

test('walks the list in order within its slots, skipping what is done or failed', async () => {
  const r = rig(['new', 'failed', 'done', 'mid', 'old'], { slots: 2 });
  r.state.set('failed', 'failed');
  r.state.set('done', 'ready');
  r.prober.kick();
  await tick();
  assert.deepEqual(r.started, ['new', 'mid'], 'two slots, done and failed skipped');
  r.finish.get('new')!();
  await tick();
  await tick();
  assert.deepEqual(r.started, ['new', 'mid', 'old']);
  r.finish.get('mid')!();
  r.finish.get('old')!();
  await tick();
  await tick();
  assert.equal(r.prober.status().active, 0);
  assert.equal(r.timers.length, 1, 'idle: looks again later');
  r.prober.close();
});

test('a torrent without a file list is loaded first; a new list starts over from the newest', async () => {
  const r = rig(['a']);
  let loaded = 0;
  r.setList([{ key: 'pack', loadFiles: async () => void loaded++ }, target('a')]);
  r.prober.kick();
  await tick();
  await tick();
  assert.equal(loaded, 1);
  assert.deepEqual(r.started, ['a']);
  r.setList([target('newest'), target('a')]);
  r.finish.get('a')!();
  await tick();
  await tick();
  assert.deepEqual(r.started, ['a', 'newest']);
  r.prober.close();
});

test('nothing runs while the Real-Debrid brake holds background unrestricts; status says until when', async () => {
  let held = 60_000;
  const r = rig(['x', 'y'], { held: () => held });
  r.prober.kick();
  await tick();
  assert.deepEqual(r.started, []);
  assert.equal(r.prober.status().heldUntil, 61_000);
  assert.equal(r.timers[0]?.ms, 60_000, 'looks again when the brake ends');
  held = 0;
  r.timers.shift()!.fn();
  await tick();
  assert.deepEqual(r.started, ['x']);
  assert.equal(r.prober.status().heldUntil, null);
  r.prober.close();
});
