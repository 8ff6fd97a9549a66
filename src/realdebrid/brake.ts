// The account brake and the daily cap on background unrestricts (issue 12 item 5). Fast bulk
// unrestricts are what RD users report before fair-use errors and account restrictions
// (rdt-client #433, #789; robofuse #8), and RD counts refused calls toward its limit. So one
// fair-use/traffic answer (codes 23, 36) or a ban-like one (account locked, IP not allowed) stops
// EVERY background unrestrict for an hour, not just the job that met it; and background
// unrestricts (probes, thumbnails, previews, warm, pack matching) never exceed a daily number.
// Plays are not braked: each is tried once and explained. Pure state over an injected clock;
// the scheduler enforces it and anything that plans background work (media probing, warm) asks
// `allowsBackgroundUnrestrict(now)` first and shows `state()`.
import { RdCooldownError, type RdError, type RdErrorKind } from './errors.ts';
import { RollingWindow } from './rolling-window.ts';

/** How long a brake holds background unrestricts. */
export const BRAKE_MS = 60 * 60_000;
export const DAY_MS = 24 * 3600_000;
/**
 * Default cap on background unrestricts per rolling 24 h (RD_BACKGROUND_UNRESTRICTS_PER_DAY). No
 * public RD figure says how many are safe; what hurt accounts was unrestricting a whole library at
 * once (robofuse #8), which the per-minute and per-10 s caps already prevent. The day's cap is sized
 * for the first day of a 1,000-video library: about 1,100 files with packs' parts, each probed once
 * (its link then serves its thumbnail and preview for 24 h), plus room for what a person browses.
 * At 1,000 the prober stopped 100 files short and finished the next day.
 */
export const DEFAULT_DAILY_CAP = 1500;

/** RD answers that engage the brake, with what the user is told (one row per kind; source in the comment). */
export const BRAKE_ON: Readonly<Partial<Record<RdErrorKind, string>>> = Object.freeze({
  // codes 23 traffic_exhausted and 36 fair_usage_limit (rdt-client #433, #789)
  fair_use: 'Real-Debrid reported its traffic / fair-use limit',
  // codes 9, 14, 15: a locked or restricted account (robofuse #8: restrictions after bulk unrestricts)
  permission: 'Real-Debrid denied the account (locked or restricted)',
  // code 22: RD refuses this IP address (VPN / data-centre IPs)
  ip_blocked: 'Real-Debrid does not allow this IP address',
});

export interface BrakeState {
  /** A brake is on: background unrestricts are stopped until `brakeUntil`. */
  braked: boolean;
  brakeUntil: number | null;
  brakeReason: string | null;
  /** RD's error code that engaged the brake, when it sent one. */
  brakeCode: number | null;
  /** Background unrestricts started in the last 24 h, and the cap. */
  backgroundUnrestrictsToday: number;
  dailyCap: number;
  capReached: boolean;
  /** When background unrestricts may start again (brake end or a cap slot), null when they may now. */
  resumesAt: number | null;
}

/** What is kept across restarts (the server's meta table), so a restart neither lifts a brake nor resets the day. */
export interface BrakePersistence {
  load(): string | null;
  save(doc: string): void;
}

export interface AccountBrakeOptions {
  dailyCap?: number;
  now?: () => number;
  persist?: BrakePersistence;
}

export class AccountBrake {
  readonly dailyCap: number;
  private readonly now: () => number;
  private readonly persist: BrakePersistence | undefined;
  private readonly day = new RollingWindow(DAY_MS);
  private until: number | null = null;
  private reason: string | null = null;
  private code: number | null = null;

  constructor(opts: AccountBrakeOptions = {}) {
    this.dailyCap = Math.max(0, Math.floor(opts.dailyCap ?? DEFAULT_DAILY_CAP));
    this.now = opts.now ?? Date.now;
    this.persist = opts.persist;
    this.restore();
  }

  /** Whether a background unrestrict may start now (brake off and a slot left in the day). */
  allowsBackgroundUnrestrict(now: number = this.now()): boolean {
    return this.waitMs(now) === 0;
  }

  /** Milliseconds until a background unrestrict may start (0 = now; Infinity with a cap of 0). */
  waitMs(now: number = this.now()): number {
    const brake = this.until !== null && now < this.until ? this.until - now : 0;
    return Math.max(brake, this.day.waitFor(this.dailyCap, now));
  }

  /** A background unrestrict was sent: it counts toward the day. */
  recordBackgroundUnrestrict(now: number = this.now()): void {
    this.day.add(now);
    this.save();
  }

  /** An RD error reached us: engages the brake when its kind is in BRAKE_ON. Returns whether it did. */
  report(err: RdError, now: number = this.now()): boolean {
    const why = BRAKE_ON[err.kind];
    if (why === undefined) return false;
    this.until = Math.max(this.until ?? 0, now + BRAKE_MS);
    this.reason = why;
    this.code = err.rdCode;
    this.save();
    return true;
  }

  /** The error a background unrestrict gets while the brake or the daily cap refuses it, else null. */
  refusal(now: number = this.now()): RdCooldownError | null {
    const wait = this.waitMs(now);
    if (wait === 0) return null;
    return new RdCooldownError(`background unrestricts are paused: ${this.describe(now) ?? 'account brake'}`, Number.isFinite(wait) ? { retryAfterMs: wait } : {});
  }

  state(now: number = this.now()): BrakeState {
    const braked = this.until !== null && now < this.until;
    const today = this.day.count(now);
    const wait = this.waitMs(now);
    return {
      braked,
      brakeUntil: braked ? this.until : null,
      brakeReason: braked ? this.reason : null,
      brakeCode: braked ? this.code : null,
      backgroundUnrestrictsToday: today,
      dailyCap: this.dailyCap,
      capReached: today >= this.dailyCap,
      resumesAt: wait === 0 ? null : Number.isFinite(wait) ? now + wait : null,
    };
  }

  /** One sentence for logs, warm and error messages: why background unrestricts wait and until when. */
  describe(now: number = this.now()): string | null {
    const s = this.state(now);
    const at = s.resumesAt !== null ? new Date(s.resumesAt).toISOString().slice(11, 16) + ' UTC' : null;
    if (s.braked) return `${s.brakeReason}${s.brakeCode !== null ? ` (code ${s.brakeCode})` : ''}: background Real-Debrid work is paused until ${at}`;
    if (s.capReached) {
      return `the daily cap of ${s.dailyCap} background unrestricts (RD_BACKGROUND_UNRESTRICTS_PER_DAY) is used up${at ? `: background work continues at ${at}` : ''}`;
    }
    return null;
  }

  private save(): void {
    if (!this.persist) return;
    const now = this.now();
    this.persist.save(JSON.stringify({ until: this.until, reason: this.reason, code: this.code, starts: this.day.times(now) }));
  }

  private restore(): void {
    const doc = this.persist?.load();
    if (!doc) return;
    try {
      const d = JSON.parse(doc) as { until?: unknown; reason?: unknown; code?: unknown; starts?: unknown };
      if (typeof d.until === 'number') this.until = d.until;
      if (typeof d.reason === 'string') this.reason = d.reason;
      if (typeof d.code === 'number') this.code = d.code;
      if (Array.isArray(d.starts)) for (const t of d.starts) if (typeof t === 'number') this.day.add(t);
    } catch {
      // an unreadable document only forgets the brake and the day's count
    }
  }
}
