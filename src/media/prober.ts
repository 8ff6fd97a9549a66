// Probes every video file of the library on its own, so durations and frame sizes arrive without a
// player or a browser asking for each video: newest torrents first, every part of a multi-part
// video, at background priority (the media queue's and RD's background lanes), and never more
// background jobs at once than `slots` (the media queue keeps a slot for what people look at).
// It walks a newest-first list with a cursor and starts over when the list changed (torrents added,
// file lists loaded), so a torrent added later is still reached early. Before each job it asks the account's brake
// (`backgroundWaitMs`, owned by the Real-Debrid room) whether background unrestricts may run now.
// A torrent whose file list is not known yet is one step too: its list is loaded (one info call),
// the library changes, and its files join the walk.
import type { MediaTarget } from './types.ts';
import type { MediaState } from './types.ts';
import type { Priority } from './queue.ts';

/** A torrent whose file list must be loaded before its files can join the walk. */
export interface FileListLoad {
  key: string;
  loadFiles: () => Promise<unknown>;
}

/** One step of the walk: probe a file (its target), or load a torrent's file list first. */
export type ProbeWork = MediaTarget | FileListLoad;

const isLoad = (w: ProbeWork): w is FileListLoad => 'loadFiles' in w;

/** Least time between two counts of the progress figures. */
export const RECOUNT_MS = 1000;

export interface ProberOptions<S> {
  /** What the walk goes through, newest torrent first (the product: its videos). */
  sources: () => readonly S[];
  /** Changes when the sources' order or file lists change: the walk starts over from the newest. */
  listKey: () => string;
  /**
   * What one source needs: a step per video file (every part), or its file list loaded first.
   * Made when the walk gets there and not kept: a 50k library has about 90k files, and holding a
   * target for each cost ~10 MB of the 300 MB memory budget (the memory benchmark).
   */
  work: (source: S) => readonly ProbeWork[];
  /**
   * False while the sources are not cheap to walk yet (the catalog still builds its videos in
   * slices after a start): status() then reports its last count instead of forcing the whole
   * build in one go (1.3 s blocking and ~40 MB of promoted garbage at 50k, when /healthz asked).
   */
  countable?: () => boolean;
  /** Changes whenever the library (file lists, probes) changed: the progress figures are counted again. */
  version: () => number;
  peek: (target: MediaTarget) => MediaState;
  ensure: (target: MediaTarget, priority: Priority) => Promise<MediaState>;
  /** Background probe jobs at once. */
  slots: number;
  /** Milliseconds until background unrestricts may run again (0 = now): the daily cap and the fair-use brake. */
  backgroundWaitMs: () => number;
  /** Pause before looking again when everything is probed or stopped (default 10 s). */
  idleMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

export interface ProberStatus {
  /** Video files known (every part). */
  files: number;
  /** Of those, probed (duration and frame size known). */
  probed: number;
  /** Probes that failed for good (reason in the media failures). */
  failed: number;
  /** Background probe jobs running or waiting for RD now. */
  active: number;
  /** When background unrestricts are held (daily cap, brake): when they may go on; else null. */
  heldUntil: number | null;
}

export class BackgroundProber<S> {
  private listKey: string | null = null;
  private cursor = 0;
  /** The rest of the work of the source before the cursor. */
  private current: ProbeWork[] = [];
  private active = 0;
  private readonly running = new Set<string>();
  private timer: unknown = null;
  private heldUntil: number | null = null;
  private closed = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly now: () => number;
  private counted: { version: number; files: number; probed: number; failed: number; at: number } | null = null;

  constructor(private readonly opts: ProberOptions<S>) {
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.now = opts.now ?? Date.now;
  }

  /** Looks for work now (after a sync, a start, a new file list). */
  kick(): void {
    if (this.closed) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.pump();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  status(): ProberStatus {
    const version = this.opts.version();
    const countable = this.opts.countable?.() ?? true;
    // At most one count a second: a 50k library has ~90k files, and every finished probe changes
    // the version while pages poll the progress (the count made ~15 MB of garbage each time).
    const due = !this.counted || (this.counted.version !== version && this.now() - this.counted.at >= RECOUNT_MS);
    if (countable && due) {
      let probed = 0;
      let failed = 0;
      let files = 0;
      for (const source of this.opts.sources()) {
        for (const w of this.opts.work(source)) {
          if (isLoad(w)) continue;
          files++;
          const s = this.opts.peek(w).state;
          if (s === 'ready') probed++;
          else if (s === 'failed' || s === 'unavailable') failed++;
        }
      }
      this.counted = { version, files, probed, failed, at: this.now() };
    }
    const { files, probed, failed } = this.counted ?? { files: 0, probed: 0, failed: 0 };
    return { files, probed, failed, active: this.active, heldUntil: this.heldUntil };
  }

  private wake(ms: number): void {
    if (this.closed || this.timer !== null) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.pump();
    }, ms);
  }

  private pump(): void {
    if (this.closed) return;
    const held = this.opts.backgroundWaitMs();
    if (held > 0) {
      this.heldUntil = this.now() + held;
      this.wake(held);
      return;
    }
    this.heldUntil = null;
    while (this.active < this.opts.slots) {
      const next = this.next();
      if (!next) {
        if (this.active === 0) this.wake(this.opts.idleMs ?? 10_000);
        return;
      }
      const key = keyOf(next);
      this.running.add(key);
      this.active++;
      (isLoad(next) ? next.loadFiles() : this.opts.ensure(next, 'background'))
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(key);
          this.active--;
          this.pump();
        });
    }
  }

  /** The next file whose probe is still to do, from the newest; a new list (torrents or file lists changed) starts over. */
  private next(): ProbeWork | null {
    const key = this.opts.listKey();
    if (key !== this.listKey) {
      this.listKey = key;
      this.cursor = 0;
      this.current = [];
    }
    const sources = this.opts.sources();
    for (;;) {
      for (let w = this.current.shift(); w !== undefined; w = this.current.shift()) {
        if (this.running.has(keyOf(w))) continue;
        if (isLoad(w) || this.opts.peek(w).state === 'pending') return w;
      }
      if (this.cursor >= sources.length) return null;
      this.current = [...this.opts.work(sources[this.cursor++]!)];
    }
  }
}

function keyOf(w: ProbeWork): string {
  return isLoad(w) ? `files ${w.key}` : `${w.hash}\n${w.path}\n${w.bytes}`;
}
