// Thumbnails still being generated: every ~3 s ask the server about the cards on screen whose
// image was not ready, and swap each one in (cache-busted) as soon as it is; failed ones get the
// fallback icon, titled with the server's reason. Nothing is polled for cards the user cannot
// see or while the tab is hidden.
import { getMediaStatus, type CompactVideo } from './api.ts';
import type { CardView } from './card.ts';
import { pollEvery } from './intervals.ts';

export const POLL_MS = 3000;

export function startThumbPoller(views: () => Iterable<CardView>, find: (id: string) => CompactVideo | undefined) {
  /** Video id → why its thumbnail cannot be made. */
  const failed = new Map<string, string>();
  let busy = false;

  async function poll(): Promise<void> {
    if (busy || document.hidden) return;
    const ids: string[] = [];
    for (const v of views()) {
      if (!v.video.thumbReady && !failed.has(v.video.id)) ids.push(v.video.id);
      if (ids.length >= 200) break;
    }
    if (!ids.length) return;
    busy = true;
    try {
      const status = await getMediaStatus(ids);
      const live = new Map<string, CardView>();
      for (const v of views()) live.set(v.video.id, v);
      for (const [id, s] of Object.entries(status)) {
        const video = find(id);
        if (!video) continue;
        if (s.thumb === 'ready') {
          video.thumbReady = true;
          live.get(id)?.thumbReady();
        } else if (s.thumb === 'failed') {
          const reason = s.reason || 'generation failed';
          failed.set(id, reason);
          live.get(id)?.markMissing(reason);
        }
      }
    } catch {
      // server busy or restarting: the next tick retries
    } finally {
      busy = false;
    }
  }

  window.setInterval(() => void poll(), pollEvery('thumbs', POLL_MS));
  return {
    poll,
    /** Called after each grid render so re-created cards keep their fallback icon. */
    decorate(view: CardView): void {
      const reason = failed.get(view.video.id);
      if (reason !== undefined) view.markMissing(reason);
    },
  };
}
