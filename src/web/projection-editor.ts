// The detail view's projection block (issue 14 items 3-4): how the video is shown, where that came
// from (file name, file metadata, picture, frame size, your setting: words from the server), and a
// small form to set projection, layout, FOV, lens and eye swap by hand, or go back to automatic.
// Every field left on "Automatic" follows the automatic decision. Kept apart from detail.ts so the
// dialog only places it.
import { setProjection, type CompactVideo, type ProjectionDetail, type ProjectionOverride, type Stereo } from './api.ts';
import { h } from './dom.ts';
import { toast } from './toast.ts';

type Choice = readonly [value: string, label: string];
const PROJECTIONS: readonly Choice[] = [
  ['perspective', 'Flat screen'],
  ['equirectangular', '180° (equirectangular)'],
  ['equirectangular360', '360° (equirectangular)'],
  ['fisheye', 'Fisheye'],
  ['equiangularCubemap', 'EAC cube map'],
  ['cubemap', 'Cube map'],
];
const LAYOUTS: readonly Choice[] = [
  ['mono', 'Mono (one picture)'],
  ['sbs', 'Side by side'],
  ['tb', 'Top and bottom'],
];
const LENSES: readonly Choice[] = [
  ['Linear', 'Standard'],
  ['MKX200', 'MKX200 (200°)'],
  ['MKX220', 'MKX220 (220°)'],
  ['VRCA220', 'VRCA220 (220°)'],
];
const EYES: readonly Choice[] = [
  ['false', 'Left eye first'],
  ['true', 'Swapped (right eye first)'],
];

function select(name: string, label: string, choices: readonly Choice[], value: string | undefined, auto: string): HTMLLabelElement {
  const s = h('select', { attrs: { name } }, h('option', { text: `Automatic (${auto})`, attrs: { value: '' } }), ...choices.map(([v, l]) => h('option', { text: l, attrs: { value: v } })));
  s.value = value ?? '';
  return h('label', { class: 'p-field' }, h('span', { text: label }), h('span', { class: 'select' }, s));
}

function labelOf(choices: readonly Choice[], value: string): string {
  return choices.find(([v]) => v === value)?.[1] ?? value;
}

export interface ProjectionEditorDeps {
  find(id: string): CompactVideo | undefined;
  /** The card and other views show the new projection. */
  repaint?(v: CompactVideo): void;
  /** The rest of the detail view (facts, tags) is re-read after a change. */
  reload?(): void;
}

/** The projection section of one video's detail view. */
export function projectionEditor(id: string, detail: ProjectionDetail, deps: ProjectionEditorDeps): HTMLElement {
  const section = h('section', { class: 'd-proj', attrs: { 'aria-label': 'Projection' } });
  const paint = (p: ProjectionDetail): void => {
    const a = p.auto;
    const o: ProjectionOverride = p.override ?? {};
    const now = h('p', { class: 'p-now' }, h('strong', { text: p.label }), ` · decided by ${p.sourceLabel.toLowerCase()}`);
    const autoNote = p.override ? h('p', { class: 'muted p-auto', text: `Automatic would be ${a.label} (from ${a.sourceLabel.toLowerCase()}).` }) : null;
    const fov = h('input', { attrs: { name: 'fov', type: 'number', min: 30, max: 360, step: 1, inputmode: 'numeric', placeholder: `Automatic (${a.fov}°)` } });
    if (o.fov !== undefined) fov.value = String(o.fov);
    const save = h('button', { class: 'btn btn-sm', text: 'Save', attrs: { type: 'submit' } });
    const reset = h('button', { class: 'btn btn-sm', text: 'Back to automatic', attrs: { type: 'button' } });
    reset.disabled = !p.override;
    const form = h(
      'form',
      { class: 'p-form' },
      select('projection', 'Projection', PROJECTIONS, o.projection, labelOf(PROJECTIONS, a.projection)),
      select('stereo', 'Layout', LAYOUTS, o.stereo, labelOf(LAYOUTS, a.stereo)),
      h('label', { class: 'p-field' }, h('span', { text: 'Field of view (°)' }), fov),
      select('lens', 'Lens', LENSES, o.lens, labelOf(LENSES, a.lens)),
      select('eyeSwapped', 'Eyes', EYES, o.eyeSwapped === undefined ? undefined : String(o.eyeSwapped), labelOf(EYES, String(a.eyeSwapped))),
      h('div', { class: 'p-buttons' }, save, reset),
    );
    const send = async (body: ProjectionOverride | { automatic: true }): Promise<void> => {
      save.disabled = true;
      reset.disabled = true;
      try {
        const answer = await setProjection(id, body);
        const v = deps.find(id);
        if (v) {
          v.kind = answer.kind;
          v.stereo = answer.stereo;
          v.projectionLabel = answer.projectionLabel;
          deps.repaint?.(v);
        }
        paint(answer.projection);
        deps.reload?.();
        toast(`Shown as ${answer.projectionLabel}`, 'success');
      } catch (err) {
        toast(`Could not save the projection: ${(err as Error).message}`, 'error');
        paint(p);
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const body: ProjectionOverride = {};
      const text = (k: string): string => String(data.get(k) ?? '');
      if (text('projection')) body.projection = text('projection');
      if (text('stereo')) body.stereo = text('stereo') as Stereo;
      if (text('lens')) body.lens = text('lens');
      if (text('eyeSwapped')) body.eyeSwapped = text('eyeSwapped') === 'true';
      if (text('fov')) body.fov = Math.round(Number(text('fov')));
      void send(Object.keys(body).length > 0 ? body : { automatic: true });
    });
    reset.addEventListener('click', () => void send({ automatic: true }));
    section.replaceChildren(h('h3', { text: 'Projection' }), now, ...(autoNote ? [autoNote] : []), form);
  };
  paint(detail);
  return section;
}
