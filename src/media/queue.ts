// The one place ffmpeg work waits its turn: at most `concurrency` jobs run, a job is known by its
// key (asking twice gives the same promise, never a second run), and a user looking at the screen
// ('now') goes before warm-up ('background'), also when an already queued job is asked for again.
// close() aborts running jobs through their AbortSignal and drops the queued ones.

export type Priority = 'now' | 'background';

/** Queue order: lower first. Adding a priority is one row. */
const RANK: Readonly<Record<Priority, number>> = { now: 0, background: 1 };

interface Job<T> {
  key: string;
  rank: number;
  seq: number;
  run: (signal: AbortSignal) => Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
  promise: Promise<T>;
  controller: AbortController;
}

export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
  constructor() {
    super('media queue closed');
  }
}

export class JobQueue {
  private readonly waiting: Job<unknown>[] = [];
  private readonly jobs = new Map<string, Job<unknown>>();
  private active = 0;
  private seq = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  /** Highest number of jobs that ever ran at once (tests check the bound with it). */
  peak = 0;

  constructor(private readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Runs `run` once per key at a time; a second add of a queued key only raises its priority. */
  add<T>(key: string, priority: Priority, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const existing = this.jobs.get(key);
    if (existing) {
      this.raiseJob(existing, RANK[priority]);
      return existing.promise as Promise<T>;
    }
    if (this.closed) return Promise.reject(new QueueClosedError());
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job<T> = { key, rank: RANK[priority], seq: this.seq++, run, resolve, reject, promise, controller: new AbortController() };
    this.jobs.set(key, job as Job<unknown>);
    this.insert(job as Job<unknown>);
    this.pump();
    return promise;
  }

  /** Resolves when nothing runs and nothing waits. */
  onIdle(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts running jobs, rejects waiting ones; later adds reject. */
  close(): void {
    this.closed = true;
    for (const job of this.waiting.splice(0)) {
      this.jobs.delete(job.key);
      job.reject(new QueueClosedError());
    }
    for (const job of this.jobs.values()) job.controller.abort();
    this.checkIdle();
  }

  /** Moves a waiting job up when asked for with a higher priority; unknown keys are ignored. */
  raise(key: string, priority: Priority): void {
    const job = this.jobs.get(key);
    if (job) this.raiseJob(job, RANK[priority]);
  }

  private raiseJob(job: Job<unknown>, rank: number): void {
    if (rank >= job.rank) return;
    job.rank = rank;
    job.seq = this.seq++; // queued as if asked for now: behind earlier 'now' requests
    const i = this.waiting.indexOf(job);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      this.insert(job);
    }
  }

  /** Keeps `waiting` sorted by (rank, seq): stable FIFO within a priority. */
  private insert(job: Job<unknown>): void {
    let i = this.waiting.length;
    while (i > 0) {
      const prev = this.waiting[i - 1]!;
      if (prev.rank < job.rank || (prev.rank === job.rank && prev.seq < job.seq)) break;
      i--;
    }
    this.waiting.splice(i, 0, job);
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      void this.execute(job);
    }
    this.checkIdle();
  }

  private async execute(job: Job<unknown>): Promise<void> {
    try {
      job.resolve(await job.run(job.controller.signal));
    } catch (err) {
      job.reject(err);
    } finally {
      this.active--;
      this.jobs.delete(job.key);
      this.pump();
    }
  }

  private checkIdle(): void {
    if (this.active !== 0 || this.waiting.length !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
