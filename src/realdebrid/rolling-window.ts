// Start times over a sliding span: how many fell in it, and how long until one more fits under a
// cap. The scheduler's rolling-minute limits (all calls, background calls, background unrestricts)
// are each one of these; a fixed-window counter would allow twice the cap across a boundary.

export class RollingWindow {
  private readonly times_: number[] = [];

  constructor(private readonly spanMs: number) {}

  add(t: number): void {
    this.times_.push(t);
  }

  /** Starts within the last `withinMs` (at most the span). */
  count(now: number, withinMs = this.spanMs): number {
    this.prune(now);
    let n = 0;
    for (const t of this.times_) if (t > now - withinMs) n++;
    return n;
  }

  /** Milliseconds until one more start fits under `cap` (0 = now, Infinity when cap ≤ 0). */
  waitFor(cap: number, now: number): number {
    if (cap <= 0) return Infinity;
    this.prune(now);
    if (this.times_.length < cap) return 0;
    return this.times_[this.times_.length - cap]! + this.spanMs - now;
  }

  /** The start times still inside the span (oldest first), e.g. to persist them. */
  times(now: number): number[] {
    this.prune(now);
    return [...this.times_];
  }

  private prune(now: number): void {
    let n = 0;
    while (n < this.times_.length && this.times_[n]! <= now - this.spanMs) n++;
    if (n > 0) this.times_.splice(0, n);
  }
}
