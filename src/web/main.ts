// Entry point of the browser view: loads the library JSON once, keeps the view state in the URL
// and localStorage, and wires the grid, toolbar, detail dialog, previews and thumbnail polling.
// While open, it asks the server every few seconds what changed (GET /api/changes: durations,
// resolutions, thumbnails, failure reasons) and merges that in, re-sorting, without a reload.
import { getChanges, getLibrary, type CompactVideo, type LibraryResponse } from './api.ts';
import { createActions } from './actions.ts';
import { DetailDialog } from './detail.ts';
import { byId, h, icon } from './dom.ts';
import { VirtualGrid } from './grid.ts';
import { renderAccount, renderConnect, renderProgress, renderStatus } from './header.ts';
import { homeShelves, renderHome } from './home.ts';
import { PreviewController } from './preview.ts';
import { applyView, buildIndex, isFiltered, parseView, readStoredSort, storeSort, viewToQuery, DEFAULT_VIEW, type LibraryIndex, type ViewState } from './state.ts';
import { startThumbPoller } from './thumbs.ts';
import { createToolbar } from './toolbar.ts';
import { SavedViewsBar } from './saved-views.ts';
import { decorateCard } from './heatmap.ts';
import { createScriptFilter } from './script-filter.ts';
import { detailHash, detailIdFromHash } from './url.ts';
import { pollEvery } from './intervals.ts';

const SYNC_REFRESH_MS = pollEvery('sync', 4000);
/** How often an open page asks what changed (a small answer: only the changed videos). */
const CHANGES_EVERY_MS = pollEvery('changes', 3000);
/** Keys that move between cards; pressed with nothing focused, they focus the first card in view. */
const NAV_KEYS: ReadonlySet<string> = new Set(['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageDown', 'PageUp', 'j', 'k']);
const PROBLEM_REFRESH_MS = 30_000;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let view: ViewState = parseView(location.search, readStoredSort(storage()));
let lib: LibraryResponse | null = null;
let index: LibraryIndex | null = null;
const videos = new Map<string, CompactVideo>();
const find = (id: string): CompactVideo | undefined => videos.get(id);

const skeleton = byId('skeleton');
const empty = byId('empty');
const toolbar = createToolbar(view, (patch) => setView(patch));
const scriptFilter = createScriptFilter(toolbar.el, view, (patch) => setView(patch));
const savedViews = new SavedViewsBar({ host: toolbar.el, current: () => view, apply: (v) => setView(v) });
const preview = new PreviewController(400);
const thumbs = startThumbPoller(() => grid.views.values(), find);
const grid = new VirtualGrid(byId('grid'), {
  topInset: () => Math.max(0, toolbar.el.getBoundingClientRect().bottom),
  onRemove: (v) => preview.removed(v),
  onRender: () => {
    for (const v of grid.views.values()) {
      thumbs.decorate(v);
      decorateCard(v); // funscript heatmap strip
    }
  },
});

const repaint = (v: CompactVideo): void => {
  grid.refresh(v);
  detail.refresh(v);
};
const mutate = createActions(find, repaint);

let pushedHash = false;
const detail = new DetailDialog({
  find,
  mutate,
  repaint,
  onClosed() {
    if (detailIdFromHash(location.hash)) {
      if (pushedHash) history.back();
      else history.replaceState(history.state, '', location.pathname + location.search);
    }
    pushedHash = false;
  },
});

function openDetail(id: string): void {
  preview.stop();
  pushedHash = true;
  location.hash = detailHash(id);
}

function route(): void {
  const id = detailIdFromHash(location.hash);
  if (id) {
    preview.stop();
    if (detail.currentId !== id) void detail.open(id);
  } else detail.close();
}

function setView(patch: Partial<ViewState>): void {
  const next = { ...view, ...patch };
  const sortChanged = next.sort !== view.sort || next.dir !== view.dir;
  view = next;
  toolbar.set(view);
  scriptFilter.set(view);
  savedViews.refresh();
  history.replaceState(history.state, '', location.pathname + viewToQuery(view) + location.hash);
  if (sortChanged) storeSort(storage(), view);
  refreshList();
  const top = grid.root.getBoundingClientRect().top + window.scrollY - toolbar.el.offsetHeight - 16;
  if (window.scrollY > top) window.scrollTo({ top: Math.max(0, top) });
}

function refreshList(): void {
  if (!index || !lib) return;
  const t0 = performance.now();
  const items = applyView(index, view);
  grid.root.dataset['viewMs'] = (performance.now() - t0).toFixed(2);
  grid.setItems(items);
  renderHome(byId('home'), isFiltered(view) ? [] : homeShelves(index.videos, Date.now()));
  toolbar.setCount(items.length, index.videos.length);
  renderEmpty(items.length);
}

function renderEmpty(shown: number): void {
  const total = index?.videos.length ?? 0;
  empty.hidden = shown > 0;
  if (shown > 0 || !lib) return;
  if (total > 0 && isFiltered(view)) {
    const clear = h('button', { class: 'btn', text: 'Clear filters', attrs: { type: 'button' } });
    clear.addEventListener('click', () => setView({ ...DEFAULT_VIEW, sort: view.sort, dir: view.dir }));
    empty.replaceChildren(icon('search', 'empty-icon'), h('h2', { text: 'No videos match these filters' }), h('p', { text: `${total.toLocaleString()} videos are hidden by the search or filters.` }), clear);
    return;
  }
  const s = lib.status;
  const [title, text] =
    s.token === 'missing'
      ? ['Connect Real-Debrid', 'Once this server has your Real-Debrid token, your video torrents appear here.']
      : s.token === 'rejected'
        ? ['Real-Debrid rejected the token', 'Replace the token in the server settings; your library will load right after.']
        : s.syncing
          ? ['Loading your library…', 'The first sync with Real-Debrid is running; videos appear as it goes.']
          : ['No videos yet', 'Torrents with video files appear here once Real-Debrid has downloaded them.'];
  empty.replaceChildren(icon('film', 'empty-icon'), h('h2', { text: title }), h('p', { text: text }));
}

function applyLibrary(data: LibraryResponse, sentAt = -Infinity): void {
  lib = data;
  changesSeen = data.changes;
  const shown = new Map(videos);
  videos.clear();
  for (const v of data.videos) videos.set(v.id, mutate.keepOwn(v, shown.get(v.id), sentAt));
  index = buildIndex(data.videos);
  skeleton.hidden = true;
  renderConnect(byId('connect'), data.connect, data.players, Date.now());
  renderAccount(byId('account'), data.auth === true);
  renderStatus(byId('banner'), byId('sync'), data.status, Date.now());
  refreshList();
}

let changesSeen = '';
let changesTimer = 0;

/** Videos that changed on the server: replaced in place, the list re-sorted and re-filtered. */
function mergeVideos(changed: readonly CompactVideo[], sentAt: number): void {
  if (!lib) return;
  const known = changed.filter((v) => videos.has(v.id));
  if (known.length === 0) return;
  // A person's change newer than this news stays on screen (their save answers for it).
  for (const v of known) videos.set(v.id, mutate.keepOwn(v, videos.get(v.id), sentAt));
  lib.videos = lib.videos.map((v) => videos.get(v.id) ?? v);
  index = buildIndex(lib.videos);
  refreshList();
  for (const v of known) repaint(v);
}

async function pollChanges(): Promise<void> {
  changesTimer = 0;
  if (lib && !document.hidden) {
    try {
      const sentAt = performance.now();
      const c = await getChanges(changesSeen);
      renderProgress(byId('progress'), c.progress, Date.now());
      if (c.reload) await load(false);
      else {
        changesSeen = c.token;
        mergeVideos(c.videos, sentAt);
      }
    } catch {
      // the server is away for a moment: ask again next time
    }
  }
  if (!changesTimer) changesTimer = window.setTimeout(() => void pollChanges(), CHANGES_EVERY_MS);
}

let refreshTimer = 0;
async function load(initial: boolean): Promise<void> {
  window.clearTimeout(refreshTimer);
  try {
    const sentAt = performance.now();
    const data = await getLibrary();
    applyLibrary(data, sentAt);
    const st = data.status;
    if (st.syncing) refreshTimer = window.setTimeout(() => void load(false), SYNC_REFRESH_MS);
    else if (st.rd === 'unreachable' || st.rd === 'throttled') {
      // look again later so the notice goes away by itself once Real-Debrid is back
      refreshTimer = window.setTimeout(() => void load(false), Math.max(PROBLEM_REFRESH_MS, st.cooldownSeconds * 1000));
    }
  } catch (err) {
    if (!initial && lib) {
      refreshTimer = window.setTimeout(() => void load(false), SYNC_REFRESH_MS * 2);
      return;
    }
    skeleton.hidden = true;
    const retry = h('button', { class: 'btn', text: 'Try again', attrs: { type: 'button' } });
    retry.addEventListener('click', () => {
      empty.hidden = true;
      skeleton.hidden = false;
      void load(true);
void savedViews.load();
    });
    empty.hidden = false;
    empty.replaceChildren(icon('warning', 'empty-icon'), h('h2', { text: 'Could not load the library' }), h('p', { text: (err as Error).message }), retry);
  }
}

// ---- events -------------------------------------------------------------------------------

function cardOf(target: EventTarget | null): { el: HTMLElement; id: string } | null {
  const el = target instanceof Element ? target.closest<HTMLElement>('.card') : null;
  const id = el?.dataset['id'];
  return el && id ? { el, id } : null;
}

grid.root.addEventListener('click', (e) => {
  const card = cardOf(e.target);
  if (!card) return;
  const v = find(card.id);
  const btn = (e.target as Element).closest<HTMLElement>('button[data-action]');
  if (v && btn?.dataset['action'] === 'fav') mutate(v.id, { favorite: !v.favorite });
  else if (v && btn?.dataset['action'] === 'rate') {
    const n = Number(btn.dataset['value']);
    mutate(v.id, { rating: v.rating === n ? 0 : n });
  } else if (!(e.target as Element).closest('.stars')) openDetail(card.id);
});

grid.root.addEventListener('keydown', (e) => {
  const card = cardOf(e.target);
  if (!card || e.target !== card.el || e.altKey || e.ctrlKey || e.metaKey) return;
  const v = find(card.id);
  if (!v) return;
  let handled = true;
  if (e.key === 'Enter' || e.key === ' ') openDetail(v.id);
  else if (e.key === 'f' || e.key === 'F') mutate(v.id, { favorite: !v.favorite });
  else if (e.key === 'w' || e.key === 'W') mutate(v.id, { watched: !v.watched });
  else if (/^[0-5]$/.test(e.key)) {
    const n = Number(e.key);
    mutate(v.id, { rating: v.rating === n ? 0 : n });
  } else handled = grid.handleKey(e.key, v.id);
  if (handled) e.preventDefault();
});

// Hover previews follow the element the mouse enters. pointerover on the document, not pointerout
// on the grid: the element left may be a preview <video> just removed from the page, whose
// pointerout never bubbles up, while pointerover always comes from the element now under the mouse.
document.addEventListener('pointerover', (e) => {
  if (e.pointerType !== 'mouse') return;
  const card = e.target instanceof Node && grid.root.contains(e.target) ? cardOf(e.target) : null;
  const view = card ? grid.views.get(card.id) : undefined;
  if (view) preview.enter(view);
  else preview.stop();
});
document.addEventListener('pointerout', (e) => {
  if (e.relatedTarget === null) preview.stop(); // left the window
});

document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  const typing = t.closest('input, select, textarea, dialog') !== null;
  if (e.key === '/' && !typing) {
    e.preventDefault();
    toolbar.search.focus();
    toolbar.search.select();
  } else if (e.key === 'Escape' && t === toolbar.search && toolbar.search.value) {
    // type=search clears itself on Esc in some browsers; make it the same everywhere
    toolbar.search.value = '';
    setView({ q: '' });
  } else if (e.key === 'ArrowDown' && t === toolbar.search && grid.items.length) {
    e.preventDefault();
    grid.focusIndex(0);
  } else if (!typing && NAV_KEYS.has(e.key) && !e.altKey && !e.ctrlKey && !e.metaKey && grid.items.length && !t.closest('.card, button, a, summary, [tabindex]')) {
    // Nothing focused yet (the page just opened, or a click on the background): the arrows start
    // on the first card in view, so shortcuts work without Tabbing to a card first.
    e.preventDefault();
    grid.focusIndex(grid.range()[0]);
  }
});
document.addEventListener('visibilitychange', () => {
  if (document.hidden) preview.stop();
});
window.addEventListener('hashchange', route);
window.addEventListener('popstate', () => {
  const next = parseView(location.search, readStoredSort(storage()));
  if (viewToQuery(next) !== viewToQuery(view)) {
    view = next;
    toolbar.set(view);
    scriptFilter.set(view);
    savedViews.refresh();
    refreshList();
  }
});

history.replaceState(history.state, '', location.pathname + viewToQuery(view) + location.hash);
route();
void load(true).then(() => {
  changesTimer = window.setTimeout(() => void pollChanges(), CHANGES_EVERY_MS);
});
void savedViews.load();
