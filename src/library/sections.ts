// The library's sections as HereSphere lists them (debrid-scout.md §1.1): Favorites (only
// if any), then rolling windows by date added: Recently added (<= 7 days), This month
// (<= 30 days), Older (the rest, and unparseable dates). Newest first in every section;
// empty sections are left out. `now` is passed in (ms since the epoch).
import type { Section, Video } from './model.ts';

const DAY = 24 * 60 * 60 * 1000;

export const SECTION_NAMES = {
  favorites: 'Favorites',
  recent: 'Recently added',
  month: 'This month',
  older: 'Older',
} as const;

/** [name, maximum age in ms]; the first window a video fits wins. */
const WINDOWS: ReadonlyArray<readonly [string, number]> = [
  [SECTION_NAMES.recent, 7 * DAY],
  [SECTION_NAMES.month, 30 * DAY],
  [SECTION_NAMES.older, Number.POSITIVE_INFINITY],
];

/** What a section needs of a video: the catalog can list the library without building any. */
export type SectionInput = Pick<Video, 'id' | 'addedAt'> & { user: Pick<Video['user'], 'favorite'> };

export function buildSections(videos: readonly SectionInput[], now: number): Section[] {
  const dated = videos.map((v) => {
    const t = Date.parse(v.addedAt);
    return { v, t: Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t };
  });
  // Newest first; equal dates by id so the order never flickers between requests.
  dated.sort((a, b) => (b.t !== a.t ? (b.t > a.t ? 1 : -1) : a.v.id < b.v.id ? -1 : a.v.id > b.v.id ? 1 : 0));

  const favorites: string[] = [];
  const buckets: string[][] = WINDOWS.map(() => []);
  for (const { v, t } of dated) {
    if (v.user.favorite) favorites.push(v.id);
    const age = now - t; // -Infinity date -> Infinity age -> Older; future dates -> recent
    const i = WINDOWS.findIndex(([, max]) => age <= max);
    buckets[i < 0 ? WINDOWS.length - 1 : i]!.push(v.id);
  }
  const out: Section[] = [];
  if (favorites.length > 0) out.push({ name: SECTION_NAMES.favorites, videoIds: favorites });
  WINDOWS.forEach(([name], i) => {
    const ids = buckets[i] as string[];
    if (ids.length > 0) out.push({ name, videoIds: ids });
  });
  return out;
}
