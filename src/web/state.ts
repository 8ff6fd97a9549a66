// What the user is looking at (sort + filters) and how a library becomes the visible list. The
// rule itself is src/library/view.ts, shared with the server (saved views in the headsets list
// the same videos in the same order); this module adds what only the browser has: the sort
// remembered in localStorage.
import type { CompactVideo } from './api.ts';
import { defaultDir, isDir, isSort, type LibraryIndex as SharedIndex, type SortPref } from '../library/view.ts';

export {
  applyView,
  buildIndex,
  DEFAULT_VIEW,
  defaultDir,
  isFiltered,
  KINDS,
  matches,
  normalizeText,
  parseView,
  SCRIPTS,
  SORTS,
  STEREOS,
  viewToQuery,
} from '../library/view.ts';
export type { KindFilter, ScriptFilter, SortDir, SortKey, StereoFilter, ViewState } from '../library/view.ts';

export type LibraryIndex = SharedIndex<CompactVideo>;

export const STORAGE_KEY = 'debridsphere.view.sort';

/** Sort from storage, or null when absent or garbage (storage is user-editable). */
export function readStoredSort(storage: Pick<Storage, 'getItem'> | null): SortPref | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as { sort?: unknown; dir?: unknown };
    const sort = typeof v.sort === 'string' ? v.sort : null;
    const dir = typeof v.dir === 'string' ? v.dir : null;
    if (!isSort(sort)) return null;
    return { sort, dir: isDir(dir) ? dir : defaultDir(sort) };
  } catch {
    return null;
  }
}

export function storeSort(storage: Pick<Storage, 'setItem'> | null, v: SortPref): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify({ sort: v.sort, dir: v.dir }));
  } catch {
    // private mode or quota: the URL still carries the choice
  }
}

