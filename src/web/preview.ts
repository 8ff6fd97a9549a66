// Hover previews: after a short dwell the hovered card plays its clip muted and looped in a
// <video> made on demand; leaving pauses it and unloads the source so no download lingers.
// A clip that is not ready (503) just leaves the thumbnail; the next hover tries again.
import type { CardView } from './card.ts';
import { h } from './dom.ts';
import { safeUrl } from './url.ts';

export class PreviewController {
  private timer = 0;
  private hovered: CardView | null = null;
  private video: HTMLVideoElement | null = null;

  constructor(private readonly delayMs = 400) {}

  enter(view: CardView): void {
    if (this.hovered === view) return;
    this.stop();
    this.hovered = view;
    this.timer = window.setTimeout(() => this.start(view), this.delayMs);
  }

  leave(view: CardView): void {
    if (this.hovered === view) this.stop();
  }

  /** The grid dropped this card from the DOM (scrolled away). */
  removed(view: CardView): void {
    this.leave(view);
  }

  private start(view: CardView): void {
    this.timer = 0;
    if (this.hovered !== view || !view.video.previewUrl) return;
    const v = h('video', { class: 'preview', attrs: { 'aria-hidden': 'true', tabindex: -1 } });
    v.muted = true;
    v.defaultMuted = true;
    v.loop = true;
    v.playsInline = true;
    v.preload = 'auto';
    v.disablePictureInPicture = true;
    v.addEventListener('playing', () => view.thumb.classList.add('previewing'), { once: true });
    v.addEventListener('error', () => {
      if (this.video === v) this.unload();
    });
    v.src = safeUrl(view.video.previewUrl);
    view.thumb.append(v);
    this.video = v;
    v.play().catch(() => {
      // autoplay refused or source failed: the error listener (if any) cleans up
    });
  }

  private unload(): void {
    const v = this.video;
    this.video = null;
    if (!v) return;
    v.closest('.thumb')?.classList.remove('previewing');
    v.pause();
    v.removeAttribute('src');
    v.load();
    v.remove();
  }

  stop(): void {
    if (this.timer) window.clearTimeout(this.timer);
    this.timer = 0;
    this.hovered = null;
    this.unload();
  }
}
