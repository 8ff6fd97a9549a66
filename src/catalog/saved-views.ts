// The one owner of saved views (issue 17): every change to them goes through here (validated by
// library/saved-views.ts, stored by store/views.ts), and every player reads its sections from
// here, so the HereSphere index, the DeoVR scenes and the browser list agree. The sections list
// what the browser's view rule (library/view.ts) shows for each saved query, over the catalog's
// videos; the library index the rule needs is built once per catalog version.
import { createHash } from 'node:crypto';
import type { Store, SavedViewRow } from '../store/index.ts';
import type { Catalog } from './catalog.ts';
import type { Section } from '../library/model.ts';
import { buildIndex, viewItemOf, type LibraryIndex, type ViewItem } from '../library/view.ts';
import { MAX_SAVED_VIEWS, SavedViewError, cleanViewName, cleanViewQuery, savedViewSections } from '../library/saved-views.ts';

export interface SavedView {
  id: number;
  name: string;
  query: string;
}

/** What a cached index or scene list depends on: a key part and a version (see sectionsVersion). */
export interface SectionsStamp {
  key: string;
  version: number;
}

export class SavedViews {
  private index: { version: number; value: LibraryIndex<ViewItem> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every saved view in the user's order (read from the store: another process may have changed them). */
  list(): SavedView[] {
    return this.store.views.list().map(toView);
  }

  create(name: string, query: string): SavedView {
    const n = cleanViewName(name);
    const q = cleanViewQuery(query);
    if (this.store.views.list().length >= MAX_SAVED_VIEWS) {
      throw new SavedViewError('VIEW_LIMIT', `At most ${MAX_SAVED_VIEWS} views can be saved; delete one first.`);
    }
    const row = this.store.views.create(n.name, n.key, q, new Date(this.now()).toISOString());
    if (!row) throw taken(n.name);
    return toView(row);
  }

  /** Renames and/or replaces the filters of a view. */
  update(id: number, fields: { name?: string; query?: string }): SavedView {
    const n = fields.name === undefined ? undefined : cleanViewName(fields.name);
    const q = fields.query === undefined ? undefined : cleanViewQuery(fields.query);
    const done = this.store.views.update(id, { ...(n ? { name: n.name, nameKey: n.key } : {}), ...(q !== undefined ? { query: q } : {}) });
    if (done === false) throw notFound();
    if (done === null) throw taken(n?.name ?? '');
    const row = this.store.views.list().find((r) => r.id === id);
    if (!row) throw notFound();
    return toView(row);
  }

  /** The user's order: `ids` first in that order, any view not listed after them. */
  reorder(ids: readonly number[]): SavedView[] {
    this.store.views.reorder(ids);
    return this.list();
  }

  remove(id: number): void {
    if (!this.store.views.remove(id)) throw notFound();
  }

  /**
   * Built-in sections, then one per saved view in the user's order. With no video at all the
   * built-ins are empty and so is this (callers show their "no videos yet" message instead).
   */
  allSections(now: number): Section[] {
    const builtIn = this.catalog.sections(now);
    if (builtIn.length === 0) return builtIn;
    const views = this.store.views.list();
    return views.length === 0 ? builtIn : [...builtIn, ...savedViewSections(views, this.libraryIndex())];
  }

  /**
   * When allSections() may have changed. Without saved views the built-ins follow listVersion
   * (list, order, favourites); a saved view can depend on any field (rating, title, duration),
   * so then every catalog change counts. The key names the saved views themselves.
   */
  sectionsVersion(): SectionsStamp {
    const views = this.store.views.list();
    if (views.length === 0) return { key: 'builtin', version: this.catalog.listVersion };
    const digest = createHash('sha1');
    for (const v of views) digest.update(`${v.id}\u0000${v.name}\u0000${v.query}\u0001`);
    return { key: `views:${digest.digest('base64url').slice(0, 16)}`, version: this.catalog.version };
  }

  private libraryIndex(): LibraryIndex<ViewItem> {
    const version = this.catalog.version;
    if (this.index?.version !== version) this.index = { version, value: buildIndex(this.catalog.list().map(viewItemOf)) };
    return this.index.value;
  }
}

function toView(r: SavedViewRow): SavedView {
  return { id: r.id, name: r.name, query: r.query };
}

const notFound = (): SavedViewError => new SavedViewError('VIEW_NOT_FOUND', 'That saved view no longer exists; reload the page.');
const taken = (name: string): SavedViewError => new SavedViewError('VIEW_NAME_TAKEN', `A saved view named "${name}" already exists; choose another name.`);
