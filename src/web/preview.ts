// Hover previews: after a short dwell the hovered card plays its clip muted and looped in a
// <video> made on demand; leaving pauses it and unloads the source so no download lingers.
// Before making the <video>, we ask whether the clip is ready (HEAD with `x-media-probe: 1`): a clip
// the server is still making answers 202 + Retry-After, not an error, so nothing lands in the
// console or the server log. While the pointer stays on the card we ask again after that delay (a
// few times at most) and play once it is ready. Leaving the card cancels the wait, so nothing is
// fetched for a card the user is no longer on.
import type { CardView } from './card.ts';
import { h } from './dom.ts';
import { safeUrl } from './url.ts';

/** Readiness checks per hover; with the server's 5 s Retry-After about a minute of hovering. */
export const MAX_WAITS = 12;
/** Video elements per hover: a clip that is "ready" yet fails to play is not retried forever. */
const MAX_PLAYS = 2;

/** Retry-After (seconds or HTTP date) as a delay, kept within [1 s, 10 s]; 5 s when absent. */
export function retryDelayMs(header: string | null, now: number = Date.now()): number {
  const raw = header?.trim() ?? '';
  let ms = 5000;
  if (/^\d+$/.test(raw)) ms = Number(raw) * 1000;
  else if (raw && Number.isFinite(Date.parse(raw))) ms = Date.parse(raw) - now;
  return Math.max(1000, Math.min(10_000, ms));
}

export class PreviewController {
  private timer = 0;
  private hovered: CardView | null = null;
  private video: HTMLVideoElement | null = null;
  private probe: AbortController | null = null;
  private waits = 0;
  private plays = 0;

  constructor(private readonly delayMs = 400) {}

  enter(view: CardView): void {
    if (this.hovered === view) return;
    this.stop();
    this.hovered = view;
    this.waits = 0;
    this.plays = 0;
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      void this.check(view);
    }, this.delayMs);
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
    if (this.hovered !== view || !view.video.previewUrl || this.plays >= MAX_PLAYS) return;
    this.plays++;
    const v = h('video', { class: 'preview', attrs: { 'aria-hidden': 'true', tabindex: -1 } });
    v.muted = true;
    v.defaultMuted = true;
    v.loop = true;
    v.playsInline = true;
    v.preload = 'auto';
    v.disablePictureInPicture = true;
    v.addEventListener('playing', () => view.thumb.classList.add('previewing'), { once: true });
    v.addEventListener('error', () => {
      if (this.video !== v) return;
      this.unload();
      // Said ready yet failed (evicted from the cache meanwhile): ask again, a bounded number of times.
      if (this.hovered === view) void this.check(view);
    });
    v.src = safeUrl(view.video.previewUrl);
    view.thumb.append(v);
    this.video = v;
    v.play().catch(() => {
      // autoplay refused or source failed: the error listener (if any) cleans up
    });
  }

  /** Asks the server whether the clip exists yet: ready → play, 202 (503 from an older server) → wait Retry-After, else give up. */
  private async check(view: CardView): Promise<void> {
    const ctl = new AbortController();
    this.probe = ctl;
    let res: Response;
    try {
      if (!view.video.previewUrl) return;
      res = await fetch(safeUrl(view.video.previewUrl), { method: 'HEAD', headers: { 'x-media-probe': '1' }, credentials: 'same-origin', cache: 'no-store', signal: ctl.signal });
    } catch {
      return; // left the card (aborted) or the server is away: the next hover tries again
    } finally {
      if (this.probe === ctl) this.probe = null;
    }
    if (this.hovered !== view) return;
    if (res.status === 200 || res.status === 206) this.start(view);
    else if ((res.status === 202 || res.status === 503) && this.waits < MAX_WAITS) {
      this.waits++;
      this.timer = window.setTimeout(() => {
        this.timer = 0;
        if (this.hovered === view) void this.check(view);
      }, retryDelayMs(res.headers.get('retry-after')));
    }
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
    this.probe?.abort();
    this.probe = null;
    this.hovered = null;
    this.unload();
  }
}
