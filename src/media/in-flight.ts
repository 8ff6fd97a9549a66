// The media jobs in flight, one per key: asking for a job that is already running joins it, and the
// class it was asked for since it started is kept. A job spends its first moments outside the
// ffmpeg queue (fetching its link), where the queue cannot raise or lower it; the class asked for
// meanwhile is what it enters the queue with (a thumbnail asked as background, then by a card on
// screen, goes in as 'now').
import { RANK, type JobQueue, type Priority } from './queue.ts';
import type { MediaState } from './types.ts';

export class InFlightJobs {
  private readonly jobs = new Map<string, Promise<MediaState>>();
  private readonly asked = new Map<string, Priority>();

  constructor(private readonly queue: JobQueue) {}

  get size(): number {
    return this.jobs.size;
  }

  /** The running job of this key, or null. */
  get(key: string): Promise<MediaState> | null {
    return this.jobs.get(key) ?? null;
  }

  /** Starts the job of this key (none may run); it leaves the book when it settles. */
  start(key: string, work: () => Promise<MediaState>): Promise<MediaState> {
    const p = work().finally(() => {
      this.jobs.delete(key);
      this.asked.delete(key);
    });
    this.jobs.set(key, p);
    return p;
  }

  /** Asked for again at a higher class: raised in the queue, or remembered for when it gets there. */
  raise(key: string, priority: Priority): void {
    this.queue.raise(key, priority);
    const asked = this.asked.get(key);
    if (this.jobs.has(key) && (asked === undefined || RANK[priority] > RANK[asked])) this.asked.set(key, priority);
  }

  /** Nobody waits any more: back to `priority` in the queue, and when it gets there. */
  lower(key: string, priority: Priority): void {
    this.queue.lower(key, priority);
    const asked = this.asked.get(key);
    if (asked !== undefined && RANK[priority] < RANK[asked]) this.asked.set(key, priority);
  }

  /** The class the job enters the queue with: as started, or as asked for since. */
  classNow(key: string, started: Priority): Priority {
    return this.asked.get(key) ?? started;
  }

  /** Every job in flight (to wait for them). */
  all(): Array<Promise<MediaState>> {
    return [...this.jobs.values()];
  }
}
