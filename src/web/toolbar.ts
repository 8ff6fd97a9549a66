// The controls above the grid, two-way bound to the ViewState: filled from it on load, and
// reporting each change (search debounced) as a partial state to apply.
import { byId, h, icon } from './dom.ts';
import { KINDS, SORTS, STEREOS, defaultDir, type KindFilter, type SortKey, type StereoFilter, type ViewState } from './state.ts';

export const SEARCH_DEBOUNCE_MS = 150;

export interface Toolbar {
  el: HTMLElement;
  search: HTMLInputElement;
  set(v: ViewState): void;
  setCount(shown: number, total: number): void;
}

export function createToolbar(initial: ViewState, onChange: (patch: Partial<ViewState>) => void): Toolbar {
  const el = byId('toolbar');
  const search = byId<HTMLInputElement>('q');
  const kind = byId<HTMLSelectElement>('kind');
  const stereo = byId<HTMLSelectElement>('stereo');
  const fav = byId<HTMLInputElement>('fav');
  const unwatched = byId<HTMLInputElement>('unwatched');
  const minRating = byId<HTMLSelectElement>('minRating');
  const sort = byId<HTMLSelectElement>('sort');
  const dir = byId<HTMLButtonElement>('dir');
  const count = byId('count');
  let current = initial;

  kind.replaceChildren(...KINDS.map((k) => h('option', { text: k.label, attrs: { value: k.key } })));
  stereo.replaceChildren(...STEREOS.map((k) => h('option', { text: k.label, attrs: { value: k.key } })));
  sort.replaceChildren(...SORTS.map((s) => h('option', { text: s.label, attrs: { value: s.key } })));
  minRating.replaceChildren(
    h('option', { text: 'Any rating', attrs: { value: 0 } }),
    ...[1, 2, 3, 4, 5].map((n) => h('option', { text: `${'★'.repeat(n)}${n < 5 ? ' & up' : ''}`, attrs: { value: n } })),
  );

  let timer = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => onChange({ q: search.value }), SEARCH_DEBOUNCE_MS);
  });
  kind.addEventListener('change', () => onChange({ kind: kind.value as KindFilter }));
  stereo.addEventListener('change', () => onChange({ stereo: stereo.value as StereoFilter }));
  fav.addEventListener('change', () => onChange({ fav: fav.checked }));
  unwatched.addEventListener('change', () => onChange({ unwatched: unwatched.checked }));
  minRating.addEventListener('change', () => onChange({ minRating: Number(minRating.value) }));
  sort.addEventListener('change', () => {
    const key = sort.value as SortKey;
    onChange({ sort: key, dir: defaultDir(key) });
  });
  dir.addEventListener('click', () => onChange({ dir: current.dir === 'asc' ? 'desc' : 'asc' }));

  const set = (v: ViewState): void => {
    current = v;
    if (search.value !== v.q && document.activeElement !== search) search.value = v.q;
    kind.value = v.kind;
    stereo.value = v.stereo;
    fav.checked = v.fav;
    unwatched.checked = v.unwatched;
    minRating.value = String(v.minRating);
    sort.value = v.sort;
    const asc = v.dir === 'asc';
    dir.replaceChildren(icon(asc ? 'up' : 'down'));
    dir.dataset['dir'] = v.dir;
    const label = asc ? 'Ascending: click for descending' : 'Descending: click for ascending';
    dir.setAttribute('aria-label', `Sort direction. ${label}`);
    dir.title = label;
  };
  set(initial);

  return {
    el,
    search,
    set,
    setCount(shown, total) {
      count.textContent =
        shown === total ? `${total.toLocaleString()} video${total === 1 ? '' : 's'}` : `${shown.toLocaleString()} of ${total.toLocaleString()}`;
    },
  };
}
