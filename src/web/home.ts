// The top of the library for a returning user, as Jellyfin and Stash greet one: "Continue
// watching" (played, not finished), then the headset's own sections (Favorites, Recently added)
// as short rows above the full grid. Shown only on the unfiltered library; a search or filter is
// a question the grid answers alone.
import type { CompactVideo } from './api.ts';
import { h, icon } from './dom.ts';
import { detailHash, safeUrl } from './url.ts';

const PER_SHELF = 12;
const RECENT_MS = 7 * 86_400_000; // HereSphere's "Recently added" section: 7 days

export interface Shelf {
  title: string;
  videos: CompactVideo[];
}

/** The rows to show, empty ones left out. */
export function homeShelves(videos: readonly CompactVideo[], now: number): Shelf[] {
  const by = (f: (v: CompactVideo) => string) => (a: CompactVideo, b: CompactVideo) => (f(a) < f(b) ? 1 : f(a) > f(b) ? -1 : 0);
  const shelves: Shelf[] = [
    { title: 'Continue watching', videos: videos.filter((v) => v.lastPlayedAt && !v.watched).sort(by((v) => v.lastPlayedAt ?? '')) },
    { title: 'Favorites', videos: videos.filter((v) => v.favorite).sort(by((v) => v.added)) },
    { title: 'Recently added', videos: videos.filter((v) => now - Date.parse(v.added) < RECENT_MS).sort(by((v) => v.added)) },
  ];
  return shelves.filter((s) => s.videos.length > 0).map((s) => ({ ...s, videos: s.videos.slice(0, PER_SHELF) }));
}

function tile(v: CompactVideo): HTMLElement {
  const art = v.thumbReady
    ? h('img', { class: 'tile-img', attrs: { src: safeUrl(v.thumbUrl), alt: '', loading: 'lazy', decoding: 'async' } })
    : h('div', { class: 'tile-img tile-ph' }, icon('film'));
  return h('li', {}, h('a', { class: 'tile', attrs: { href: detailHash(v.id) } }, art, h('span', { class: 'tile-title', text: v.title })));
}

export function renderHome(host: HTMLElement, shelves: Shelf[]): void {
  host.hidden = shelves.length === 0;
  host.replaceChildren(
    ...shelves.map((s) =>
      h('section', { class: 'shelf', attrs: { 'aria-label': s.title } }, h('h2', { class: 'shelf-title', text: s.title }), h('ul', { class: 'shelf-row' }, ...s.videos.map(tile))),
    ),
  );
}
