// When a torrent may leave the library (issue 12 item 1). RD has answered a page of /torrents with
// `{}` and the sync read it as the end: 400 torrents became 0. So a trusted listing only marks the
// torrents it lacks as missing; one leaves when a second trusted listing at least a few minutes
// later still lacks it, or when RD answers 404 for its info (asked here for a few at a time). A
// listing that would remove a large share at once gets no 404 shortcut: it is held, logged, until
// the second listing confirms it. Pure: the sync feeds it stored state and does the I/O.

/** A second listing confirms a removal only this long after the first one lacked the torrent. */
export const CONFIRM_GAP_MS = 3 * 60_000;
/** At most this many absent torrents are checked with an info call per listing (404 = gone now). */
export const CONFIRM_BY_INFO_MAX = 10;
/** A removal is "mass" above this many torrents at once ... */
export const MASS_REMOVAL_COUNT = 50;
/** ... or above this share of the library (when more than MASS_REMOVAL_MIN torrents). */
export const MASS_REMOVAL_SHARE = 0.1;
const MASS_REMOVAL_MIN = 3;
/** Removed torrents keep their row, file list, link matches and media facts this long. */
export const REMOVED_KEEP_MS = 30 * 24 * 3600_000;

export interface RemovalInput {
  /** Live stored torrents -> when a trusted listing first lacked them (null: listed last time). */
  stored: ReadonlyMap<string, number | null>;
  /** Ids in the trusted listing just read. */
  listed: ReadonlySet<string>;
  now: number;
}

export interface RemovalDecision {
  /** Confirmed by an earlier listing at least CONFIRM_GAP_MS ago: remove now. */
  remove: string[];
  /** Absent but not yet confirmed: ask RD for their info; a 404 removes them now. */
  confirmByInfo: string[];
  /** Absent torrents in all. */
  absent: number;
  /** Too many at once: nothing removed without the second listing (logged by the caller). */
  mass: boolean;
}

export function isMassRemoval(absent: number, storedCount: number): boolean {
  return absent > MASS_REMOVAL_COUNT || (absent > MASS_REMOVAL_MIN && absent > storedCount * MASS_REMOVAL_SHARE);
}

export function decideRemovals({ stored, listed, now }: RemovalInput): RemovalDecision {
  const absentIds: Array<[string, number | null]> = [];
  for (const [id, since] of stored) if (!listed.has(id)) absentIds.push([id, since]);
  const mass = isMassRemoval(absentIds.length, stored.size);
  const remove: string[] = [];
  const unconfirmed: string[] = [];
  for (const [id, since] of absentIds) {
    if (since !== null && now - since >= CONFIRM_GAP_MS) remove.push(id);
    else unconfirmed.push(id);
  }
  return { remove, confirmByInfo: mass ? [] : unconfirmed.slice(0, CONFIRM_BY_INFO_MAX), absent: absentIds.length, mass };
}
