// What the server tells people and monitors about work they cannot see: the account brake and
// daily cap on background Real-Debrid work (issue 12), and how far the library's own probing got
// (issue 13). One module so /healthz, /api/library and /api/changes say the same thing in the same
// words, and none of those route modules needs another.
import type { Parts } from '../parts.ts';
import type { BackgroundUnrestrictsStatus, LibraryProgress } from '../contract/web-api.ts';

/** The account brake and daily cap (realdebrid/brake.ts) as /healthz and the browser's status show them. */
export function brakeView(parts: Pick<Parts, 'brake' | 'now'>): BackgroundUnrestrictsStatus {
  const s = parts.brake.state(parts.now());
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    paused: s.braked || s.capReached,
    braked: s.braked,
    brakeUntil: iso(s.brakeUntil),
    brakeReason: s.brakeReason,
    brakeCode: s.brakeCode,
    today: s.backgroundUnrestrictsToday,
    dailyCap: s.dailyCap,
    capReached: s.capReached,
    resumesAt: iso(s.resumesAt),
    message: parts.brake.describe(parts.now()),
  };
}

export type ProgressParts = Pick<Parts, 'scheduler' | 'media' | 'prober' | 'brake' | 'now'>;

/** When RD work that waits now goes on: the latest of the cooldown, the background brake and the background lane; null = not waiting. */
export function rdContinuesAt(...times: Array<number | null>): string | null {
  const known = times.filter((t): t is number => t !== null);
  return known.length === 0 ? null : new Date(Math.max(...known)).toISOString();
}

export function libraryProgress(parts: ProgressParts): LibraryProgress {
  const budget = parts.scheduler.snapshot();
  const media = parts.media.status();
  const probes = parts.prober.status();
  return {
    videoFiles: probes.files,
    probed: probes.probed,
    probeFailed: probes.failed,
    thumbnails: media.cacheThumbs,
    probing: probes.active,
    waitingForRd: budget.queued.background + budget.queued.foreground,
    rdContinuesAt: rdContinuesAt(budget.cooldownUntil, probes.heldUntil, budget.nextBackgroundAt),
    // The account brake or the daily cap (issue 12), in words, while either holds background work.
    accountPaused: parts.brake.describe(parts.now()),
  };
}

