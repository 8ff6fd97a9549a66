// Windowed grid: only the rows near the viewport exist in the DOM (≤ ~200 cards whatever the
// library size), absolutely placed inside a sizer as tall as the whole list; the page itself
// scrolls. Columns come from the container width (cards 220–320 px). Keyboard focus is a roving
// tabindex: one card is tabbable, arrows move it, and the focused card is kept while off-screen.
import type { CompactVideo } from './api.ts';
import { CardView } from './card.ts';

export const GAP = 16;
/** Height of a card's text block; must match `.card .info` in styles.css. */
export const INFO_H = 104;
/** The same on touch screens, where the stars are 44 px touch targets (styles.css, pointer: coarse). */
export const INFO_H_TOUCH = 124;
const MIN_W = 220;
const MAX_W = 320;
const TARGET_W = 268;
export const MAX_CARDS = 200;

export interface Layout {
  cols: number;
  cardW: number;
  cardH: number;
  pitch: number;
}

/** Columns for a width: near TARGET_W, within [MIN_W, MAX_W] whenever the width allows. */
export function computeLayout(width: number, infoH: number = INFO_H): Layout {
  const w = Math.max(200, width);
  let cols = Math.max(1, Math.round((w + GAP) / (TARGET_W + GAP)));
  const cardW = (c: number): number => (w - GAP * (c - 1)) / c;
  while (cols > 1 && cardW(cols) < MIN_W) cols--;
  while (cardW(cols) > MAX_W && cardW(cols + 1) >= MIN_W) cols++;
  const cw = Math.floor(cardW(cols));
  const cardH = Math.round((cw * 9) / 16) + infoH;
  return { cols, cardW: cw, cardH, pitch: cardH + GAP };
}

export interface GridOptions {
  /** Pixels of sticky header covering the top of the viewport. */
  topInset: () => number;
  onRemove: (view: CardView) => void;
  onRender: () => void;
}

export class VirtualGrid {
  items: CompactVideo[] = [];
  readonly views = new Map<string, CardView>();
  layout: Layout = computeLayout(1000);
  private currentId: string | null = null;
  private frame = 0;

  constructor(
    readonly root: HTMLElement,
    private readonly opts: GridOptions,
  ) {
    window.addEventListener('scroll', () => this.schedule(), { passive: true });
    window.addEventListener('resize', () => this.relayout());
    new ResizeObserver(() => this.relayout()).observe(root);
    root.addEventListener('focusin', (e) => {
      const card = (e.target as Element).closest<HTMLElement>('.card');
      if (card?.dataset['id']) this.setCurrent(card.dataset['id']);
    });
  }

  setItems(items: CompactVideo[]): void {
    this.items = items;
    if (this.currentId && !items.some((v) => v.id === this.currentId)) this.currentId = null;
    this.relayout();
  }

  /** Re-fill the card of one video if it is on screen. */
  refresh(video: CompactVideo): void {
    this.views.get(video.id)?.update(video);
  }

  indexOf(id: string): number {
    return this.items.findIndex((v) => v.id === id);
  }

  get current(): string | null {
    return this.currentId ?? this.items[0]?.id ?? null;
  }

  relayout(): void {
    const infoH = window.matchMedia('(pointer: coarse)').matches ? INFO_H_TOUCH : INFO_H;
    const l = computeLayout(this.root.clientWidth, infoH);
    this.root.style.setProperty('--info-h', `${infoH}px`);
    this.layout = l;
    const rows = Math.ceil(this.items.length / l.cols);
    this.root.style.height = `${Math.max(0, rows * l.pitch - GAP)}px`;
    this.root.style.setProperty('--card-w', `${l.cardW}px`);
    this.root.style.setProperty('--card-h', `${l.cardH}px`);
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Index range [start, end) worth having in the DOM right now. */
  range(): [number, number] {
    const { cols, pitch } = this.layout;
    const top = this.root.getBoundingClientRect().top;
    const viewTop = -top;
    const viewBottom = viewTop + window.innerHeight;
    const visibleRows = Math.ceil(window.innerHeight / pitch) + 1;
    const overscan = Math.max(0, Math.min(2, Math.floor((Math.floor(MAX_CARDS / cols) - visibleRows) / 2)));
    const first = Math.max(0, Math.floor(viewTop / pitch) - overscan);
    const last = Math.max(first, Math.floor(viewBottom / pitch) + overscan);
    const maxRows = Math.max(1, Math.floor(MAX_CARDS / cols));
    const lastCapped = Math.min(last, first + maxRows - 1);
    return [first * cols, Math.min(this.items.length, (lastCapped + 1) * cols)];
  }

  render(): void {
    const [start, end] = this.range();
    const { cols, cardW, pitch } = this.layout;
    const keep = new Set<string>();
    for (let i = start; i < end; i++) keep.add(this.items[i]!.id);
    const active = document.activeElement;
    for (const [id, view] of this.views) {
      if (keep.has(id)) continue;
      if (id === this.currentId && active && view.el.contains(active) && this.indexOf(id) >= 0) {
        keep.add(id); // keyboard focus lives here: keep it even off-screen
        continue;
      }
      this.views.delete(id);
      view.el.remove();
      this.opts.onRemove(view);
    }
    const current = this.current;
    const fresh: HTMLElement[] = [];
    const ordered: HTMLElement[] = [];
    const place = (i: number): void => {
      const video = this.items[i]!;
      let view = this.views.get(video.id);
      if (!view) {
        view = new CardView(video);
        this.views.set(video.id, view);
        fresh.push(view.el);
      } else if (view.video !== video) view.update(video);
      const x = (i % cols) * (cardW + GAP);
      const y = Math.floor(i / cols) * pitch;
      view.el.style.transform = `translate(${x}px, ${y}px)`;
      view.el.setAttribute('aria-posinset', String(i + 1));
      view.el.setAttribute('aria-setsize', String(this.items.length));
      view.el.tabIndex = video.id === current ? 0 : -1;
      ordered.push(view.el);
    };
    let kept: HTMLElement | null = null; // the focused card kept off-screen: first or last in order
    if (this.currentId && this.views.has(this.currentId)) {
      const ci = this.indexOf(this.currentId);
      if (ci >= 0 && ci < start) place(ci);
      else if (ci >= end) kept = this.views.get(this.currentId)!.el;
    }
    for (let i = start; i < end; i++) place(i);
    if (kept) place(this.indexOf(this.currentId!));
    if (fresh.length) this.root.append(...fresh);
    orderChildren(this.root, ordered);
    this.opts.onRender();
  }

  private setCurrent(id: string): void {
    if (this.currentId === id) return;
    const prev = this.currentId ? this.views.get(this.currentId) : undefined;
    if (prev) prev.el.tabIndex = -1;
    this.currentId = id;
    const v = this.views.get(id);
    if (v) v.el.tabIndex = 0;
  }

  /** Move keyboard focus to item `index` (clamped), scrolling just enough to show its row. */
  focusIndex(index: number): void {
    if (!this.items.length) return;
    const i = Math.max(0, Math.min(this.items.length - 1, index));
    const { cols, pitch, cardH } = this.layout;
    const rootTop = this.root.getBoundingClientRect().top + window.scrollY;
    const y = rootTop + Math.floor(i / cols) * pitch;
    const inset = this.opts.topInset();
    if (y - inset < window.scrollY) window.scrollTo({ top: y - inset - GAP });
    else if (y + cardH > window.scrollY + window.innerHeight) window.scrollTo({ top: y + cardH - window.innerHeight + GAP });
    this.setCurrent(this.items[i]!.id);
    this.render();
    this.views.get(this.items[i]!.id)?.el.focus({ preventScroll: true });
  }

  /** Arrow/Home/End/Page keys relative to the focused card; true when handled. */
  handleKey(key: string, fromId: string): boolean {
    const i = this.indexOf(fromId);
    if (i < 0) return false;
    const { cols, pitch } = this.layout;
    const pageRows = Math.max(1, Math.floor((window.innerHeight - this.opts.topInset()) / pitch));
    const target: Record<string, number> = {
      ArrowLeft: i - 1,
      ArrowRight: i + 1,
      ArrowUp: i - cols,
      ArrowDown: i + cols,
      Home: 0,
      End: this.items.length - 1,
      PageUp: i - cols * pageRows,
      PageDown: i + cols * pageRows,
    };
    const t = target[key];
    if (t === undefined) return false;
    if ((key === 'ArrowUp' && t < 0) || (key === 'ArrowDown' && t >= this.items.length && Math.floor(i / cols) === Math.floor((this.items.length - 1) / cols)))
      return true;
    this.focusIndex(t);
    return true;
  }
}

/**
 * Puts the cards in the DOM in list order (cards are placed absolutely, so the DOM order is what
 * screen readers and Tab follow: after a sort it must be the visual order). The card holding focus
 * is never moved (moving it would drop focus); the others are moved around it, only when out of place.
 */
function orderChildren(root: HTMLElement, ordered: HTMLElement[]): void {
  if (ordered.length < 2) return;
  const active = document.activeElement;
  let k = ordered.findIndex((el) => active !== null && el.contains(active));
  if (k < 0) k = 0;
  const anchor = ordered[k]!;
  let ref: HTMLElement = anchor;
  for (let j = k - 1; j >= 0; j--) {
    const el = ordered[j]!;
    if (el.nextElementSibling !== ref) root.insertBefore(el, ref);
    ref = el;
  }
  ref = anchor;
  for (let j = k + 1; j < ordered.length; j++) {
    const el = ordered[j]!;
    if (ref.nextElementSibling !== el) ref.after(el);
    ref = el;
  }
}
