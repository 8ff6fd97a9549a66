// How often the open page asks the server again (what changed, a sync in progress, thumbnails
// being made). Users always get the defaults; the browser tests set shorter ones on the window
// before the page's script runs (Playwright's addInitScript) so a test sees the next poll in a
// fraction of a second instead of waiting out seconds of real time.

export type PollName = 'changes' | 'sync' | 'thumbs';

/** The page's interval for `name`: the test's override when one is set, else `defaultMs`. */
export function pollEvery(name: PollName, defaultMs: number): number {
  const set = (window as unknown as { __debridspherePolls?: Partial<Record<PollName, number>> }).__debridspherePolls;
  const ms = set?.[name];
  return typeof ms === 'number' && ms > 0 ? ms : defaultMs;
}
