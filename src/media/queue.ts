// The one place ffmpeg work waits its turn, on p-queue: at most `concurrency` jobs run, a job is
// known by its key (asking twice gives the same promise, never a second run), and a user looking
// at the screen ('now') goes before warm-up ('background'), and a person waiting for this very
// file ('wait': a hovered card's preview, an opened video) before both, also when an already
// queued job is asked for again; lower() puts a job back when nobody waits for it any more.
// close() aborts running jobs through their AbortSignal and drops queued ones.
// Work nobody looks at ('background') never takes more than `backgroundSlots` of the slots, so a
// hover always finds one free: further background jobs wait outside p-queue until one ends (a job
// asked for again at a higher class goes in at once).
import PQueue from 'p-queue';

/** wait: a person waits for this file (hover preview, opened video); now: on screen (visible cards, a player's thumbnails); background: nobody looks. */
export type Priority = 'wait' | 'now' | 'background';

/** p-queue runs higher numbers first. Adding a priority is one row. */
export const RANK: Readonly<Record<Priority, number>> = { wait: 2, now: 1, background: 0 };

interface Job {
  rank: number;
  started: boolean;
  /** Counted against backgroundSlots (admitted as background and not raised since). */
  background: boolean;
  /** Set while the job waits outside p-queue for a background slot: puts it in. */
  admit: (() => void) | null;
  /** The job's own work, which may outlive `promise` when an abort settles the latter early. */
  work: Promise<unknown> | null;
  promise: Promise<unknown>;
  controller: AbortController;
}

export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
  readonly code = 'MEDIA_QUEUE_CLOSED';
  constructor() {
    super('media queue closed');
  }
}

export class JobQueue {
  private readonly pq: PQueue;
  private readonly jobs = new Map<string, Job>();
  private closed = false;
  /** Highest number of jobs that ever ran at once (tests check the bound with it). */
  peak = 0;
  /** Background jobs in p-queue (waiting or running). */
  private backgroundIn = 0;
  /** Background jobs waiting for a background slot, in arrival order. */
  private readonly parked: string[] = [];
  private readonly backgroundSlots: number;

  /** `backgroundSlots` defaults to all but one slot (at least one). */
  constructor(concurrency: number, backgroundSlots = Math.max(1, concurrency - 1)) {
    if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
    this.pq = new PQueue({ concurrency });
    this.backgroundSlots = Math.max(1, Math.min(concurrency, backgroundSlots));
  }

  /** Jobs waiting for a background slot (not yet in the ffmpeg queue). */
  get parkedCount(): number {
    return this.parked.length;
  }

  get running(): number {
    return this.pq.pending;
  }

  /** Jobs waiting for a slot (in p-queue, or parked for a background slot). */
  get queued(): number {
    return this.pq.size + this.parked.length;
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Runs `run` once per key at a time; a second add of a queued key only raises its priority. */
  add<T>(key: string, priority: Priority, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const existing = this.jobs.get(key);
    if (existing) {
      this.raise(key, priority);
      return existing.promise as Promise<T>;
    }
    if (this.closed) return Promise.reject(new QueueClosedError());
    const controller = new AbortController();
    const job: Job = { rank: RANK[priority], started: false, background: false, admit: null, promise: Promise.resolve(), work: null, controller };
    const task = async (): Promise<T> => {
      job.started = true;
      this.peak = Math.max(this.peak, this.pq.pending);
      const work = run(controller.signal);
      job.work = work;
      return work;
    };
    job.promise = new Promise<T>((resolve, reject) => {
      job.admit = () => {
        job.admit = null;
        job.background = job.rank === RANK.background;
        if (job.background) this.backgroundIn++;
        (this.pq.add(task, { priority: job.rank, id: key, signal: controller.signal }) as Promise<T>).then(resolve, reject);
      };
      controller.signal.addEventListener('abort', () => {
        if (job.admit) reject(new QueueClosedError()); // still parked: never started
      });
    })
      .catch((err: unknown) => {
        throw this.closed ? new QueueClosedError() : err;
      })
      .finally(() => {
        this.leaveBackground(job);
        if (this.jobs.get(key) === job) this.jobs.delete(key);
      });
    this.jobs.set(key, job);
    if (job.rank === RANK.background && this.backgroundIn >= this.backgroundSlots) this.parked.push(key);
    else job.admit!();
    return job.promise as Promise<T>;
  }

  /** The job no longer counts against the background slots (it ended, or someone looks at it now): a parked one may go in. */
  private leaveBackground(job: Job): void {
    if (!job.background) return;
    job.background = false;
    this.backgroundIn--;
    this.admitParked();
  }

  /** Lets parked background jobs in while background slots are free. */
  private admitParked(): void {
    while (this.backgroundIn < this.backgroundSlots && this.parked.length > 0) {
      const job = this.jobs.get(this.parked.shift()!);
      job?.admit?.();
    }
  }

  /** Resolves when nothing runs and nothing waits. */
  onIdle(): Promise<void> {
    return this.pq.onIdle();
  }

  /** Aborts running jobs and waits until their processes are gone; rejects waiting ones; later adds reject. */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.jobs.values()].map((j) => j.work).filter((w) => w !== null);
    for (const job of this.jobs.values()) job.controller.abort(new QueueClosedError());
    await Promise.allSettled(running);
  }

  /** The priority a job has now (raised or lowered since it was added), or null when unknown. */
  priorityOf(key: string): Priority | null {
    const job = this.jobs.get(key);
    if (!job) return null;
    return (Object.keys(RANK) as Priority[]).find((p) => RANK[p] === job.rank) ?? null;
  }

  /** Puts a job that has not started back to `priority` when it is above it (the person left). */
  lower(key: string, priority: Priority): void {
    const job = this.jobs.get(key);
    const rank = RANK[priority];
    if (!job || job.started || rank >= job.rank) return;
    job.rank = rank;
    if (job.admit) return; // parked jobs are background already
    this.pq.setPriority(key, rank);
  }

  /** Moves a waiting job up when asked for with a higher priority; unknown keys are ignored. */
  raise(key: string, priority: Priority): void {
    const job = this.jobs.get(key);
    const rank = RANK[priority];
    if (!job || job.started || rank <= job.rank) return;
    job.rank = rank;
    if (job.admit) {
      // Parked for a background slot: someone looks at it now, so it goes in at once.
      this.parked.splice(this.parked.indexOf(key), 1);
      job.admit();
      return;
    }
    this.leaveBackground(job);
    // Re-queued behind earlier 'now' requests, as if asked for now.
    this.pq.setPriority(key, rank);
  }
}
