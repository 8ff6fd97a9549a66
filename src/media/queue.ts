// The one place ffmpeg work waits its turn, on p-queue: at most `concurrency` jobs run, a job is
// known by its key (asking twice gives the same promise, never a second run), and a user looking
// at the screen ('now') goes before warm-up ('background'), also when an already queued job is
// asked for again. close() aborts running jobs through their AbortSignal and drops queued ones.
import PQueue from 'p-queue';

export type Priority = 'now' | 'background';

/** p-queue runs higher numbers first. Adding a priority is one row. */
const RANK: Readonly<Record<Priority, number>> = { now: 1, background: 0 };

interface Job {
  rank: number;
  started: boolean;
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

  constructor(concurrency: number) {
    if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
    this.pq = new PQueue({ concurrency });
  }

  get running(): number {
    return this.pq.pending;
  }

  get queued(): number {
    return this.pq.size;
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
    const job: Job = { rank: RANK[priority], started: false, work: null, promise: Promise.resolve(), controller };
    const task = async (): Promise<T> => {
      job.started = true;
      this.peak = Math.max(this.peak, this.pq.pending);
      const work = run(controller.signal);
      job.work = work;
      return work;
    };
    job.promise = (this.pq.add(task, { priority: job.rank, id: key, signal: controller.signal }) as Promise<T>)
      .catch((err: unknown) => {
        throw this.closed ? new QueueClosedError() : err;
      })
      .finally(() => {
        if (this.jobs.get(key) === job) this.jobs.delete(key);
      });
    this.jobs.set(key, job);
    return job.promise as Promise<T>;
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

  /** Moves a waiting job up when asked for with a higher priority; unknown keys are ignored. */
  raise(key: string, priority: Priority): void {
    const job = this.jobs.get(key);
    const rank = RANK[priority];
    if (!job || job.started || rank <= job.rank) return;
    job.rank = rank;
    // Re-queued behind earlier 'now' requests, as if asked for now.
    this.pq.setPriority(key, rank);
  }
}
