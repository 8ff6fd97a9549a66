// The toolbar's funscript filter (issue 17): scripted or not, or at least an intensity. Kept out
// of toolbar.ts so the toolbar's own layout changes do not collide with it; it joins the other
// filters and is bound to the same ViewState (the rule is src/library/view.ts).
import { h } from './dom.ts';
import { SCRIPTS, type ScriptFilter, type ViewState } from './state.ts';

export interface ScriptFilterControl {
  set(v: ViewState): void;
}

export function createScriptFilter(toolbar: HTMLElement, initial: ViewState, onChange: (patch: Partial<ViewState>) => void): ScriptFilterControl {
  const select = h('select', { attrs: { id: 'script' } }, ...SCRIPTS.map((s) => h('option', { text: s.label, attrs: { value: s.key } })));
  const wrap = h('label', { class: 'select' }, h('span', { class: 'sr', text: 'Funscript' }), select);
  (toolbar.querySelector('.filters') ?? toolbar).append(wrap);
  select.addEventListener('change', () => onChange({ script: select.value as ScriptFilter }));
  const set = (v: ViewState): void => {
    select.value = v.script;
  };
  set(initial);
  return { set };
}
