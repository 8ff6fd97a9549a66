// Saved views (issue 17) in the browser: a row of chips under the toolbar, one per saved view
// (click = show that view), "Save view" to keep the current filters and sort under a name, and a
// "Manage" dialog to rename, reorder, re-save or delete. Each saved view is also a tab in
// HereSphere and DeoVR (the server lists it with the same rule, src/library/view.ts), so the
// messages say so. The server is the only judge of names and queries: its coded errors are shown
// as they come.
import { createView, deleteView, listViews, reorderViews, updateView, type SavedView } from './api.ts';
import { h, icon } from './dom.ts';
import { toast } from './toast.ts';
import { parseView, viewToQuery, type ViewState } from './state.ts';

/** Same limit as the server's (library/saved-views.ts MAX_VIEW_NAME): the field stops there. */
const NAME_MAX = 60;
/** A first click on Delete arms it for this long. */
const DISARM_MS = 4000;

export interface SavedViewsDeps {
  /** Where the row goes (the toolbar). */
  host: HTMLElement;
  current(): ViewState;
  apply(view: ViewState): void;
}

export class SavedViewsBar {
  readonly el = h('nav', { class: 'views-bar', attrs: { 'aria-label': 'Saved views', 'data-testid': 'saved-views' } });
  private readonly chips = h('div', { class: 'views-chips', attrs: { role: 'list' } });
  private readonly saveBtn = h('button', { class: 'btn btn-sm views-save', text: '+ Save view', attrs: { type: 'button' } });
  private readonly manageBtn = h('button', { class: 'btn btn-sm views-manage', text: 'Manage', attrs: { type: 'button' } });
  private readonly form = h('form', { class: 'views-form', attrs: { hidden: true } });
  private readonly nameInput = h('input', {
    class: 'views-name',
    attrs: { type: 'text', maxlength: NAME_MAX, placeholder: 'Name this view', 'aria-label': 'Name of the saved view', enterkeyhint: 'done', autocomplete: 'off' },
  });
  private readonly dialog = h('dialog', { class: 'views-dialog', attrs: { 'aria-labelledby': 'views-dialog-title' } });
  private readonly rows = h('ol', { class: 'views-rows' });
  private views: SavedView[] = [];

  constructor(private readonly deps: SavedViewsDeps) {
    const cancel = h('button', { class: 'btn btn-sm', text: 'Cancel', attrs: { type: 'button' } });
    this.form.append(this.nameInput, h('button', { class: 'btn btn-sm', text: 'Save', attrs: { type: 'submit' } }), cancel);
    this.el.append(this.chips, this.saveBtn, this.form, this.manageBtn);
    deps.host.append(this.el);

    this.saveBtn.addEventListener('click', () => this.showForm(true));
    cancel.addEventListener('click', () => this.showForm(false));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    this.nameInput.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.showForm(false);
    });
    this.chips.addEventListener('click', (e) => {
      const id = Number((e.target as Element).closest<HTMLElement>('[data-view]')?.dataset['view']);
      const v = this.views.find((x) => x.id === id);
      if (v) deps.apply(parseView(v.query, null));
    });

    const close = h('button', { class: 'icon-btn', attrs: { type: 'button', 'aria-label': 'Close' } }, icon('close'));
    close.addEventListener('click', () => this.dialog.close());
    this.dialog.append(
      h('header', { class: 'views-dialog-head' }, h('h2', { text: 'Saved views', attrs: { id: 'views-dialog-title' } }), close),
      h('p', { class: 'muted', text: 'Each saved view is a tab in HereSphere and DeoVR, in this order, after the built-in tabs. Changes show on the headset’s next library load.' }),
      this.rows,
    );
    this.dialog.addEventListener('click', (e) => {
      if (e.target === this.dialog) this.dialog.close();
    });
    this.rows.addEventListener('click', (e) => void this.onRowAction(e));
    this.rows.addEventListener('change', (e) => void this.onRename(e));
    document.body.append(this.dialog);
    this.manageBtn.addEventListener('click', () => {
      this.renderRows();
      this.dialog.showModal();
    });
  }

  /** Loads the list (on start-up; errors are quiet: the library matters more than the chips). */
  async load(): Promise<void> {
    try {
      this.set((await listViews()).views);
    } catch {
      this.set([]);
    }
  }

  /** Marks the chip of the view now shown, if any. */
  refresh(): void {
    const q = viewToQuery(this.deps.current());
    for (const chip of this.chips.querySelectorAll<HTMLElement>('[data-view]')) {
      const v = this.views.find((x) => x.id === Number(chip.dataset['view']));
      chip.setAttribute('aria-pressed', String(v?.query === q));
    }
  }

  private set(views: SavedView[]): void {
    this.views = views;
    this.chips.replaceChildren(
      ...views.map((v) =>
        h('button', { class: 'views-chip', text: v.name, title: `Show “${v.name}”`, attrs: { type: 'button', role: 'listitem', 'data-view': v.id } }),
      ),
    );
    this.manageBtn.hidden = views.length === 0;
    this.refresh();
    if (this.dialog.open) this.renderRows();
  }

  private showForm(show: boolean): void {
    this.form.hidden = !show;
    this.saveBtn.hidden = show;
    if (show) {
      this.nameInput.value = '';
      this.nameInput.focus();
    }
  }

  private async save(): Promise<void> {
    try {
      const v = await createView(this.nameInput.value, viewToQuery(this.deps.current()));
      this.showForm(false);
      this.set([...this.views, v]);
      toast(`Saved “${v.name}”: a tab in HereSphere and DeoVR from their next library load`, 'success', 4000);
    } catch (err) {
      toast((err as Error).message, 'error');
      this.nameInput.focus();
    }
  }

  private renderRows(): void {
    const n = this.views.length;
    this.rows.replaceChildren(
      ...this.views.map((v, i) =>
        h(
          'li',
          { class: 'views-row', attrs: { 'data-view': v.id } },
          h('input', { class: 'views-rename', attrs: { type: 'text', value: v.name, maxlength: NAME_MAX, 'aria-label': `Name of “${v.name}”`, 'data-view': v.id } }),
          h('button', { class: 'icon-btn', attrs: { type: 'button', 'data-act': 'up', 'aria-label': `Move “${v.name}” up`, disabled: i === 0 } }, icon('up')),
          h('button', { class: 'icon-btn', attrs: { type: 'button', 'data-act': 'down', 'aria-label': `Move “${v.name}” down`, disabled: i === n - 1 } }, icon('down')),
          h('button', { class: 'btn btn-sm', text: 'Use current filters', attrs: { type: 'button', 'data-act': 'resave' } }),
          h('button', { class: 'btn btn-sm views-delete', text: 'Delete', attrs: { type: 'button', 'data-act': 'delete' } }),
        ),
      ),
    );
  }

  private async onRowAction(e: Event): Promise<void> {
    const btn = (e.target as Element).closest<HTMLButtonElement>('button[data-act]');
    const id = Number(btn?.closest<HTMLElement>('li[data-view]')?.dataset['view']);
    const i = this.views.findIndex((x) => x.id === id);
    const v = this.views[i];
    if (!btn || !v) return;
    const act = btn.dataset['act'];
    try {
      if (act === 'up' || act === 'down') {
        const ids = this.views.map((x) => x.id);
        const j = act === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= ids.length) return;
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
        this.set((await reorderViews(ids)).views);
        this.rows.querySelector<HTMLButtonElement>(`li[data-view="${id}"] button[data-act="${act}"]:not(:disabled)`)?.focus();
      } else if (act === 'resave') {
        const updated = await updateView(id, { query: viewToQuery(this.deps.current()) });
        this.set(this.views.map((x) => (x.id === id ? updated : x)));
        toast(`“${updated.name}” now shows the current filters and sort`, 'success');
      } else if (act === 'delete') {
        // Two clicks, no confirm(): headset browsers handle native dialogs badly.
        if (btn.dataset['armed'] !== '1') {
          btn.dataset['armed'] = '1';
          btn.textContent = 'Delete: sure?';
          btn.title = 'Its tab leaves HereSphere and DeoVR too';
          window.setTimeout(() => {
            delete btn.dataset['armed'];
            btn.textContent = 'Delete';
          }, DISARM_MS);
          return;
        }
        await deleteView(id);
        this.set(this.views.filter((x) => x.id !== id));
      }
    } catch (err) {
      toast((err as Error).message, 'error');
    }
  }

  private async onRename(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const id = Number(input.dataset['view']);
    const v = this.views.find((x) => x.id === id);
    if (!v || input.value === v.name) return;
    try {
      const updated = await updateView(id, { name: input.value });
      this.set(this.views.map((x) => (x.id === id ? updated : x)));
    } catch (err) {
      input.value = v.name;
      toast((err as Error).message, 'error');
    }
  }
}
