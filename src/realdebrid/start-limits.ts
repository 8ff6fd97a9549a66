// How many Real-Debrid calls may start, and when the next may: the token bucket (burst) and the
// rolling windows (every call over a minute and over 10 s; background calls and background
// unrestricts over a minute; background unrestricts over 10 s), with the reserve that calls nobody
// waits for leave to a person's call. Pure arithmetic over start times on the scheduler's clock:
// the scheduler (./scheduler.ts) owns the queues and decides which entry goes next; this module only
// answers "may it start now, else how long until it may" and records a start.
import { RollingWindow } from './rolling-window.ts';

export type StartPriority = 'interactive' | 'foreground' | 'background';

export const MINUTE = 60_000;
const TEN_SECONDS = 10_000;
/** Starts of the 10-second window that calls nobody waits for leave to a person's calls (at most `reserve`). */
const SHORT_WINDOW_RESERVE = 2;
/**
 * The rolling-minute cap counts starts over a minute plus this margin: a request reaches RD a
 * little after it starts, and uneven network delays must not squeeze 60 s of starts into less
 * than 60 s of arrivals at RD.
 */
export const WINDOW_GUARD_MS = 1_000;

export interface StartLimitsOptions {
  perMinute: number;
  burst: number;
  bgPerMinute: number;
  bgUnrestrictsPerMinute: number;
  per10s: number;
  bgUnrestrictsPer10s: number;
  /** Tokens and rolling-minute starts that calls other than interactive ones leave free. */
  reserve: number;
  now: number;
}

export class StartLimits {
  private tokens: number;
  private refilledAt: number;
  private readonly starts = new RollingWindow(MINUTE + WINDOW_GUARD_MS);
  private readonly shortStarts = new RollingWindow(TEN_SECONDS + WINDOW_GUARD_MS);
  private readonly bgStarts = new RollingWindow(MINUTE);
  private readonly bgUnrestrictStarts = new RollingWindow(MINUTE);
  private readonly bgUnrestrictShortStarts = new RollingWindow(TEN_SECONDS);

  constructor(private readonly o: StartLimitsOptions) {
    this.tokens = o.burst;
    this.refilledAt = o.now;
  }

  get reserve(): number {
    return this.o.reserve;
  }

  callsLastMinute(now: number): number {
    return this.starts.count(now, MINUTE);
  }

  refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.o.burst, this.tokens + (elapsed * this.o.perMinute) / MINUTE);
    this.refilledAt = now;
  }

  /**
   * Time until a background entry may start under the background caps (0 = now). `idle` lifts the
   * background minute cap: calls other than unrestricts may then use the budget nobody uses, and
   * unrestricts are held by their own caps only. (Holding unrestricts to the background cap while
   * idle let the file-list backfill, which fills it, starve the prober: 10 unrestricts in 2 min, not 40.)
   */
  backgroundWait(lane: string | null, idle: boolean, now: number): number {
    const cap = idle ? this.o.perMinute : this.o.bgPerMinute;
    const all = this.bgStarts.waitFor(cap, now);
    const unrestricts =
      lane === 'unrestrict'
        ? Math.max(this.bgUnrestrictStarts.waitFor(this.o.bgUnrestrictsPerMinute, now), this.bgUnrestrictShortStarts.waitFor(this.o.bgUnrestrictsPer10s, now))
        : 0;
    return Math.max(all, unrestricts);
  }

  /** Time until a call of this priority may start under the bucket and the windows (0 = now); call refill first. */
  wait(priority: StartPriority, now: number): number {
    // What this call must leave behind: nothing for a person's call, the reserve for the rest.
    const keep = priority === 'interactive' ? 0 : this.o.reserve;
    if (this.tokens < 1 + keep) return Math.ceil(((1 + keep - this.tokens) * MINUTE) / this.o.perMinute);
    // The short window keeps starts for a person's call too: two, because a headset opening a new
    // video asks for its file list and then its link within a second (the interactive-rd bench saw
    // the play wait ~0.8 s behind on-screen thumbnails when only one was kept).
    const shortCap = this.o.per10s - Math.min(keep, SHORT_WINDOW_RESERVE, this.o.per10s - 1); // at least 1
    return Math.max(this.starts.waitFor(this.o.perMinute - keep, now), this.shortStarts.waitFor(shortCap, now));
  }

  /** A call starts now: it spends a token and counts in every window it belongs to. */
  record(priority: StartPriority, lane: string | null, now: number): void {
    this.tokens -= 1;
    this.starts.add(now);
    this.shortStarts.add(now);
    if (priority !== 'background') return;
    this.bgStarts.add(now);
    if (lane === 'unrestrict') {
      this.bgUnrestrictStarts.add(now);
      this.bgUnrestrictShortStarts.add(now);
    }
  }
}
