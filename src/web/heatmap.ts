// Funscript heatmaps in the browser (issue 17): the strip under each card's thumbnail and the
// Script part of the detail view. Colours come from src/library/funscript.ts (bundled), the same
// code that draws the heatmap into thumbnails on the server, so both always agree. Drawn on a
// canvas from the 100-character heat string of the library JSON: no image request per card.
import type { VideoDetail } from './api.ts';
import type { CardView } from './card.ts';
import { h } from './dom.ts';
import { formatDuration } from './format.ts';
import { HEATMAP_SEGMENTS, heatmapRow, INTENSITY_LEVELS, intensityOf } from '../library/funscript.ts';
import { safeUrl } from './url.ts';

/** Canvas pixels per segment: the CSS stretches it, crisp (image-rendering: pixelated). */
const PX_PER_SEGMENT = 2;

const label = (speed: number): string => INTENSITY_LEVELS.find((l) => l.key === intensityOf(speed))?.label ?? '';

/** A strip for a heat string: one pixel row, stretched by the CSS. */
export function heatStrip(heat: string, cls: string, title: string): HTMLCanvasElement {
  const width = HEATMAP_SEGMENTS * PX_PER_SEGMENT;
  const canvas = h('canvas', { class: cls, title, attrs: { width, height: 1, role: 'img', 'aria-label': title, 'data-heat': heat } });
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const row = heatmapRow(heat, width);
    const img = ctx.createImageData(width, 1);
    for (let x = 0; x < width; x++) {
      img.data[x * 4] = row[x * 3]!;
      img.data[x * 4 + 1] = row[x * 3 + 1]!;
      img.data[x * 4 + 2] = row[x * 3 + 2]!;
      img.data[x * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }
  return canvas;
}

/** Adds, replaces or removes the strip at the bottom of a card's thumbnail (after each render). */
export function decorateCard(card: CardView): void {
  const { heat, scriptSpeed } = card.video;
  const old = card.thumb.querySelector<HTMLCanvasElement>('canvas.heat-card');
  if (old?.dataset['heat'] === (heat ?? undefined)) return;
  old?.remove();
  if (heat) card.thumb.append(heatStrip(heat, 'heat-strip heat-card', `Script: ${label(scriptSpeed)} intensity, ${scriptSpeed} /s on average`));
}

/** The detail view's Script part: heatmap, figures, and why a script gives none. */
export function scriptSection(d: VideoDetail): Node[] {
  if (!d.scripts.length) return [];
  const out: Node[] = [h('h3', { text: d.scripts.length === 1 ? 'Script' : `Scripts (${d.scripts.length})` })];
  const s = d.script;
  if (s && d.heat) {
    out.push(heatStrip(d.heat, 'heat-strip heat-detail', `Script heatmap: ${label(s.avgSpeed)} intensity`));
    const figures = [
      `Intensity: ${label(s.avgSpeed)}`,
      `${s.avgSpeed} /s average`,
      `${s.maxSpeed} /s fastest`,
      `${s.actions.toLocaleString()} actions`,
      `${formatDuration(s.lengthMs)} long`,
    ];
    out.push(h('p', { class: 'script-figures', text: figures.join(' · ') }));
  } else if (!d.scripts.some((f) => f.problem)) {
    out.push(h('p', { class: 'muted script-pending', text: 'The heatmap appears once the script has been read (in the background, a few seconds).' }));
  }
  out.push(
    h(
      'ul',
      { class: 'links' },
      ...d.scripts.map((f) =>
        h(
          'li',
          {},
          h('a', { text: f.name, attrs: { href: safeUrl(f.url), download: '', rel: 'noopener' } }),
          f.problem ? h('small', { class: 'script-problem', text: ` No heatmap: ${f.problem}` }) : null,
        ),
      ),
    ),
  );
  return out;
}
