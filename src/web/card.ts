// One video tile. Built once per visible video and refreshed in place (favorite, rating, a
// thumbnail that became ready) so focus, hover previews and images survive updates. Clicks are
// handled by delegation in main.ts through the data-action attributes set here.
import type { CompactVideo } from './api.ts';
import { h, icon } from './dom.ts';
import { formatBytes, formatDate, formatDuration, dimensions } from './format.ts';
import { bust, safeUrl } from './url.ts';

export type ThumbPhase = 'pending' | 'loading' | 'loaded' | 'missing';

export function starButtons(): HTMLButtonElement[] {
  return [1, 2, 3, 4, 5].map((n) =>
    h(
      'button',
      {
        class: 'star',
        attrs: { type: 'button', 'data-action': 'rate', 'data-value': n, 'aria-label': `${n} star${n > 1 ? 's' : ''}`, tabindex: -1 },
      },
      icon('star'),
    ),
  );
}

/** Full, half or empty per star; the pressed state tells assistive tech the current rating. */
export function paintStars(stars: readonly HTMLButtonElement[], rating: number): void {
  stars.forEach((b, i) => {
    const n = i + 1;
    b.classList.toggle('on', rating >= n);
    b.classList.toggle('half', rating >= n - 0.5 && rating < n);
    b.setAttribute('aria-pressed', String(rating >= n));
  });
}

/**
 * Videos whose placeholder this page has loaded, with the stamp of their real image (0 = not
 * yet). Their real thumbnail gets a fresh URL: the document's image cache would otherwise keep
 * answering the placeholder for the plain URL.
 */
const placeheld = new Map<string, number>();

/** A placeholder for this video is being shown outside a card (the detail dialog). */
export function notePlaceholder(id: string): void {
  if (!placeheld.has(id)) placeheld.set(id, 0);
}

export function thumbSrc(v: CompactVideo): string {
  const stamp = placeheld.get(v.id);
  if (stamp === undefined) return safeUrl(v.thumbUrl);
  const s = stamp || Date.now();
  placeheld.set(v.id, s);
  return bust(v.thumbUrl, s);
}

export class CardView {
  readonly el: HTMLDivElement;
  readonly thumb: HTMLDivElement;
  private readonly img: HTMLImageElement;
  private readonly ph: HTMLDivElement;
  private readonly proj: HTMLSpanElement;
  private readonly dur: HTMLSpanElement;
  private readonly watched: HTMLSpanElement;
  private readonly fav: HTMLButtonElement;
  private readonly title: HTMLDivElement;
  private readonly res: HTMLSpanElement;
  private readonly size: HTMLSpanElement;
  private readonly date: HTMLSpanElement;
  private readonly stars: HTMLButtonElement[];
  private readonly plays: HTMLSpanElement;
  private imgSrc = '';
  private readonly phText: HTMLSpanElement;
  phase: ThumbPhase = 'pending';
  video: CompactVideo;

  constructor(video: CompactVideo) {
    this.video = video;
    this.img = h('img', { attrs: { loading: 'lazy', decoding: 'async', draggable: 'false' } });
    this.img.addEventListener('load', () => this.phase === 'loading' && this.setPhase('loaded'));
    // The placeholder itself failing (404) means no thumbnail can be made for this video.
    this.img.addEventListener('error', () => {
      if (this.phase !== 'missing') this.setPhase('missing');
      this.markMissing();
    });
    // Says which: a thumbnail still being made (shimmer) or one that cannot be made (warning tone).
    this.phText = h('span', { class: 'ph-text', text: 'Making thumbnail…' });
    this.ph = h('div', { class: 'thumb-ph' }, icon('film', 'ph-icon'), this.phText);
    this.proj = h('span', { class: 'badge badge-proj' });
    this.dur = h('span', { class: 'badge badge-dur' });
    this.watched = h('span', { class: 'badge badge-watched' }, icon('check'), h('span', { text: 'Watched' }));
    this.fav = h(
      'button',
      { class: 'fav', attrs: { type: 'button', 'data-action': 'fav', 'aria-label': 'Favorite', tabindex: -1 } },
      icon('heart'),
    );
    this.thumb = h(
      'div',
      { class: 'thumb' },
      this.ph,
      this.img,
      this.proj,
      this.dur,
      this.watched,
      this.fav,
    );
    this.title = h('div', { class: 'title' });
    this.res = h('span', { class: 'res' });
    this.size = h('span', { class: 'size' });
    this.date = h('span', { class: 'date' });
    this.stars = starButtons();
    this.plays = h('span', { class: 'plays' });
    this.el = h(
      'div',
      { class: 'card', attrs: { role: 'listitem', tabindex: -1 } },
      this.thumb,
      h(
        'div',
        { class: 'info' },
        this.title,
        h('div', { class: 'meta' }, this.res, this.size, this.date),
        h('div', { class: 'row' }, h('div', { class: 'stars', attrs: { role: 'group', 'aria-label': 'Rating' } }, ...this.stars), this.plays),
      ),
    );
    this.update(video);
  }

  update(v: CompactVideo): void {
    this.video = v;
    const el = this.el;
    el.dataset['id'] = v.id;
    el.setAttribute('aria-label', v.title);
    el.classList.toggle('is-watched', v.watched);
    el.classList.toggle('is-fav', v.favorite);
    el.classList.toggle('unplayable', !v.playable);
    this.title.textContent = v.title;
    this.title.title = v.title;
    this.img.alt = v.title;
    this.proj.textContent = v.projectionLabel;
    this.proj.dataset['kind'] = v.kind;
    this.dur.textContent = formatDuration(v.durationMs);
    this.dur.hidden = v.durationMs <= 0;
    this.watched.hidden = !v.watched;
    this.fav.setAttribute('aria-pressed', String(v.favorite));
    this.fav.title = v.favorite ? 'Remove from favorites (f)' : 'Add to favorites (f)';
    this.res.textContent = v.resolution;
    this.res.title = dimensions(v.width, v.height);
    this.size.textContent = formatBytes(v.bytes);
    this.date.textContent = formatDate(v.added);
    this.date.title = `Added ${this.date.textContent}`;
    paintStars(this.stars, v.rating);
    this.plays.textContent = v.playCount > 0 ? `▶ ${v.playCount.toLocaleString()}` : '';
    this.plays.title = v.playCount > 0 ? `Played ${v.playCount} time${v.playCount === 1 ? '' : 's'}` : '';
    if (v.thumbReady) {
      if (!this.imgSrc || this.phase === 'pending') this.showThumb(thumbSrc(v));
    } else if (!this.imgSrc && this.phase !== 'missing') {
      // Requesting the URL queues generation on the server; its placeholder JPEG stays hidden
      // behind ours until the poller reports the real image ready.
      notePlaceholder(v.id);
      this.imgSrc = safeUrl(v.thumbUrl);
      this.setPhase('pending');
      this.img.src = this.imgSrc;
    }
  }

  /** The poller says the real thumbnail exists now. */
  thumbReady(): void {
    this.video.thumbReady = true;
    this.showThumb(thumbSrc(this.video));
  }

  /** Point the image at a URL; a new URL (cache-busted) swaps a placeholder without reload. */
  showThumb(url: string): void {
    if (url === this.imgSrc) return;
    this.imgSrc = url;
    this.setPhase('loading');
    this.img.src = url;
  }

  /** No thumbnail will come (generation failed): the film icon for good, saying why on hover. */
  markMissing(reason?: string): void {
    if (this.phase === 'pending') this.setPhase('missing');
    if (this.phase !== 'missing') return;
    const text = reason ? `Thumbnail unavailable: ${reason}` : 'No thumbnail';
    if ((reason || !this.ph.title) && this.ph.title !== text) {
      this.ph.title = text;
      this.ph.setAttribute('role', 'img');
      this.ph.setAttribute('aria-label', text);
    }
  }

  private setPhase(p: ThumbPhase): void {
    this.phase = p;
    this.thumb.dataset['phase'] = p;
    this.phText.textContent = p === 'missing' ? 'No thumbnail' : p === 'loaded' ? '' : 'Making thumbnail…';
  }
}
