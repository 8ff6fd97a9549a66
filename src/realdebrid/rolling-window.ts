// Start times over a sliding span: how many fell in it, and how long until one more fits under a
// cap. The scheduler's rolling-minute limits (all calls, background calls, background unrestricts)
// are each one of these; a fixed-window counter would allow twice the cap across a boundary.

export class RollingWindow {
  private readonly times: number[] = [];

  constructor(private readonly spanMs: number) {}

  add(t: number): void {
    this.times.push(t);
  }

  /** Starts within the last `withinMs` (at most the span). */
  count(now: number, withinMs = this.spanMs): number {
    this.prune(now);
    let n = 0;
    for (const t of this.times) if (t > now - withinMs) n++;
    return n;
  }

  /** Milliseconds until one more start fits under `cap` (0 = now, Infinity when cap ≤ 0). */
  waitFor(cap: number, now: number): number {
    if (cap <= 0) return Infinity;
    this.prune(now);
    if (this.times.length < cap) return 0;
    return this.times[this.times.length - cap]! + this.spanMs - now;
  }

  private prune(now: number): void {
    let n = 0;
    while (n < this.times.length && this.times[n]! <= now - this.spanMs) n++;
    if (n > 0) this.times.splice(0, n);
  }
}
