// Saved views (issue 17) as a rule, apart from storage and HTTP: what a valid name is, what a
// valid saved query is, and how saved views become index sections (HereSphere sections, DeoVR
// scenes) listing exactly what the browser shows for that query, through the same view rule
// (view.ts). Errors carry stable codes (SAVED_VIEW_ERRORS) the API answers with.
import type { Section } from './model.ts';
import { SECTION_NAMES } from './sections.ts';
import { applyView, parseViewStrict, viewToQuery, type LibraryIndex, type ViewItem } from './view.ts';

/** Longest name: a HereSphere tab shows about 30 characters, DeoVR fewer; 60 leaves room for sense. */
export const MAX_VIEW_NAME = 60;
/** More tabs than this is no longer something a headset user can scroll through. */
export const MAX_SAVED_VIEWS = 50;

/** Stable error codes of saved-view requests, with the HTTP status each one answers. */
export const SAVED_VIEW_ERRORS = {
  /** "" or only spaces. */
  VIEW_NAME_EMPTY: 400,
  /** Longer than MAX_VIEW_NAME. */
  VIEW_NAME_TOO_LONG: 400,
  /** Control characters (a pasted newline) would break a headset tab label. */
  VIEW_NAME_INVALID: 400,
  /** A built-in section already has that name ("Favorites"): two tabs of one name confuse both players. */
  VIEW_NAME_RESERVED: 409,
  /** Another saved view has that name (case and spacing ignored). */
  VIEW_NAME_TAKEN: 409,
  /** A key or value the browser's toolbar cannot produce. */
  VIEW_QUERY_INVALID: 400,
  VIEW_LIMIT: 409,
  VIEW_NOT_FOUND: 404,
} as const;
export type SavedViewCode = keyof typeof SAVED_VIEW_ERRORS;

export class SavedViewError extends Error {
  readonly status: number;
  constructor(
    readonly code: SavedViewCode,
    message: string,
  ) {
    super(message);
    this.status = SAVED_VIEW_ERRORS[code];
  }
}

/** The name as shown (trimmed, inner runs of spaces made one) and as compared for duplicates. */
export function cleanViewName(raw: string): { name: string; key: string } {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) throw new SavedViewError('VIEW_NAME_INVALID', 'A view name cannot contain line breaks or control characters.');
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name === '') throw new SavedViewError('VIEW_NAME_EMPTY', 'Give the view a name.');
  if ([...name].length > MAX_VIEW_NAME) throw new SavedViewError('VIEW_NAME_TOO_LONG', `A view name has at most ${MAX_VIEW_NAME} characters.`);
  const key = name.normalize('NFKC').toLowerCase();
  if (Object.values(SECTION_NAMES).some((s) => s.toLowerCase() === key)) {
    throw new SavedViewError('VIEW_NAME_RESERVED', `"${name}" is already a built-in tab of the headset library; choose another name.`);
  }
  return { name, key };
}

/** The query in its one canonical form (what is stored and compared), or VIEW_QUERY_INVALID. */
export function cleanViewQuery(raw: string): string {
  const parsed = parseViewStrict(raw);
  if ('problem' in parsed) throw new SavedViewError('VIEW_QUERY_INVALID', parsed.message);
  return viewToQuery(parsed.view);
}

export interface SavedViewDef {
  name: string;
  query: string;
}

/**
 * One section per saved view, in the given order, each listing what the browser shows for its
 * query. A stored query that no longer parses (edited by hand in the database) lists nothing
 * rather than something else; a view matching nothing is an empty tab, never a missing one.
 */
export function savedViewSections(views: readonly SavedViewDef[], index: LibraryIndex<ViewItem>): Section[] {
  return views.map((v) => {
    const parsed = parseViewStrict(v.query);
    return { name: v.name, videoIds: 'problem' in parsed ? [] : applyView(index, parsed.view).map((x) => x.id) };
  });
}
