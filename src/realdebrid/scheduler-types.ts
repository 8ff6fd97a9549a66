// The scheduler's options and what it reports, apart from its logic (./scheduler.ts) so that file
// stays readable in one sitting; every name here is re-exported by the scheduler.
import type { AccountBrake, BrakeState } from './brake.ts';

export type RdPriority = 'interactive' | 'foreground' | 'background';

export interface RdSchedulerOptions {
  /** Calls started per rolling minute (hard cap) and token-bucket refill; default 180, clamped to RD's 250. */
  callsPerMinute?: number;
  /** Bucket capacity; default 8. */
  burst?: number;
  /** Concurrent requests; default 4. */
  maxInFlight?: number;
  /** Background calls started per rolling minute; default 60. */
  backgroundPerMinute?: number;
  /** Background calls with `lane: 'unrestrict'` per rolling minute; default 20. */
  backgroundUnrestrictsPerMinute?: number;
  /** Fair-use / ban brake and daily cap on background unrestricts (./brake.ts); none = no brake. */
  brake?: AccountBrake;
  /** Calls started in any 10 s (RD refuses beyond ~22 per 10 s, DMM); default: no limit beyond the minute (the product sets RD_SHORT_WINDOW_CALLS). */
  callsPer10s?: number;
  /** Background unrestricts started in any 10 s (no bursts at the account); default: no limit beyond the minute (the product sets 3). */
  backgroundUnrestrictsPer10s?: number;
  /**
   * Tokens and rolling-minute starts that foreground and background calls leave for interactive
   * ones (plus one of the in-flight slots); default 3. 0 turns the headroom off.
   */
  interactiveReserve?: number;
  /** Quiet time after which background calls may use the free budget; default IDLE_AFTER_MS, Infinity = never. */
  idleAfterMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Reserved for jittered schedules; the current policy is deterministic. */
  random?: () => number;
}

export interface RdBudgetSnapshot {
  callsPerMinute: number;
  callsLastMinute: number;
  inFlight: number;
  queued: Record<RdPriority, number>;
  cooldownUntil: number | null;
  cooldownReason: string | null;
  tokenRejected: boolean;
  totalCalls: number;
  /** The account brake and daily cap, when a brake is wired. */
  brake: BrakeState | null;
  /** When a queued background call may start under the background caps; null when none waits for them. */
  nextBackgroundAt: number | null;
}

export interface RdRunOptions {
  lane?: 'unrestrict';
  /** Interactive only: queue through a cooldown instead of failing at once. */
  waitCooldown?: boolean;
  /** Scheduler time after which a call still queued is dropped with RdTimeoutError (never sent). */
  deadline?: number;
}
