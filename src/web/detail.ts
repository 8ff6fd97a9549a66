// The per-video dialog behind `#/v/<id>`: every file with its facts, a browser player, stream
// URLs to copy, subtitles, scripts, projection and tags, and the same favorite/rating/watched
// controls as the card. Shows the library's compact data at once, then the full detail.
import { getVideo, type CompactVideo, type UserPatch, type VideoDetail, type DetailFile } from './api.ts';
import { notePlaceholder, paintStars, starButtons, thumbSrc } from './card.ts';
import { copyText, h, icon } from './dom.ts';
import { dimensions, formatAgo, formatBytes, formatDate, formatDuration, plural, readableTags } from './format.ts';
import { toast } from './toast.ts';
import { safeUrl } from './url.ts';
import { scriptSection } from './heatmap.ts';
import { projectionEditor } from './projection-editor.ts';
import { vrOffered } from './vr/offer.ts';

export interface DetailDeps {
  find(id: string): CompactVideo | undefined;
  mutate(id: string, patch: UserPatch): void;
  /** Repaint a video everywhere after a change made here (the projection editor). */
  repaint?(v: CompactVideo): void;
  /** The dialog closed (Esc, button, backdrop): the router drops the hash. */
  onClosed(): void;
}

export class DetailDialog {
  readonly dialog: HTMLDialogElement;
  private readonly titleEl = h('h2', { class: 'd-title', attrs: { id: 'detail-title' } });
  private readonly media = h('div', { class: 'd-media' });
  private readonly actions = h('div', { class: 'd-actions' });
  private readonly facts = h('div', { class: 'd-facts-wrap' });
  private readonly body = h('div', { class: 'd-body' });
  private readonly favBtn = h('button', { class: 'btn d-fav', attrs: { type: 'button' } });
  private readonly watchedBtn = h('button', { class: 'btn d-watched', attrs: { type: 'button' } });
  private readonly stars = starButtons();
  private player: HTMLVideoElement | null = null;
  private openId: string | null = null;
  private seq = 0;

  constructor(private readonly deps: DetailDeps) {
    const close = h('button', { class: 'icon-btn d-close', attrs: { type: 'button', 'aria-label': 'Close (Esc)' } }, icon('close'));
    close.addEventListener('click', () => this.close());
    for (const s of this.stars) s.tabIndex = 0;
    this.actions.append(
      this.favBtn,
      h('div', { class: 'stars stars-lg', attrs: { role: 'group', 'aria-label': 'Rating' } }, ...this.stars),
      this.watchedBtn,
    );
    this.actions.addEventListener('click', (e) => this.onAction(e));
    this.dialog = h(
      'dialog',
      { class: 'detail', attrs: { 'aria-labelledby': 'detail-title' } },
      h(
        'div',
        { class: 'd-inner' },
        h('header', { class: 'd-head' }, this.titleEl, close),
        this.media,
        h('div', { class: 'd-side' }, this.actions, this.facts),
        this.body,
      ),
    );
    this.dialog.addEventListener('close', () => this.onClose());
    this.dialog.addEventListener('click', (e) => {
      if (e.target === this.dialog) this.close(); // backdrop
    });
    document.body.append(this.dialog);
  }

  get currentId(): string | null {
    return this.openId;
  }

  async open(id: string): Promise<void> {
    const seq = ++this.seq;
    this.openId = id;
    const compact = this.deps.find(id);
    this.unloadPlayer();
    this.facts.replaceChildren(h('p', { class: 'muted', text: 'Loading details…' }));
    this.body.replaceChildren();
    if (compact) this.paintHeader(compact);
    else this.titleEl.textContent = 'Video';
    this.actions.hidden = !compact;
    if (!this.dialog.open) this.dialog.showModal();
    try {
      const d = await getVideo(id);
      if (seq !== this.seq) return;
      this.paintHeader({ ...d, files: d.files.length });
      this.actions.hidden = false;
      this.paintBody(d);
    } catch (err) {
      if (seq !== this.seq) return;
      this.facts.replaceChildren(h('p', { class: 'error-text', text: `Could not load this video: ${(err as Error).message}` }));
    }
  }

  /** Re-reads the open video's detail (after a change made in the dialog) without touching the player. */
  private async reload(id: string): Promise<void> {
    const seq = this.seq;
    try {
      const d = await getVideo(id);
      if (seq === this.seq && this.openId === id) this.paintBody(d);
    } catch {
      // the dialog keeps what it shows; the change itself was saved
    }
  }

  close(): void {
    this.unloadPlayer();
    if (this.dialog.open) this.dialog.close();
  }

  /** Card actions happened elsewhere (or were rolled back): repaint the controls. */
  refresh(v: CompactVideo): void {
    if (v.id === this.openId) this.paintActions(v);
  }

  private onClose(): void {
    this.seq++;
    this.unloadPlayer();
    this.openId = null;
    this.deps.onClosed();
  }

  private onAction(e: Event): void {
    const id = this.openId;
    const v = id ? this.deps.find(id) : undefined;
    const btn = (e.target as Element).closest('button');
    if (!id || !v || !btn) return;
    if (btn === this.favBtn) this.deps.mutate(id, { favorite: !v.favorite });
    else if (btn === this.watchedBtn) this.deps.mutate(id, { watched: !v.watched });
    else if (btn.dataset['action'] === 'rate') {
      const n = Number(btn.dataset['value']);
      this.deps.mutate(id, { rating: v.rating === n ? 0 : n });
    }
  }

  private paintHeader(v: CompactVideo): void {
    this.titleEl.textContent = v.title;
    if (!this.player) {
      const img = h('img', { class: 'd-poster', attrs: { alt: v.title, decoding: 'async' } });
      if (!v.thumbReady) notePlaceholder(v.id);
      img.src = thumbSrc(v);
      img.addEventListener('error', () => img.replaceWith(h('div', { class: 'd-poster-missing' }, icon('film'))));
      this.media.replaceChildren(img);
    }
    this.paintActions(this.deps.find(v.id) ?? v);
  }

  private paintActions(v: CompactVideo): void {
    this.favBtn.replaceChildren(icon('heart'), h('span', { text: v.favorite ? 'Favorite' : 'Add to favorites' }));
    this.favBtn.setAttribute('aria-pressed', String(v.favorite));
    this.watchedBtn.replaceChildren(icon(v.watched ? 'check' : 'eye'), h('span', { text: v.watched ? 'Watched' : 'Mark watched' }));
    this.watchedBtn.setAttribute('aria-pressed', String(v.watched));
    paintStars(this.stars, v.rating);
  }

  private paintBody(d: VideoDetail): void {
    const p = d.projection;
    const facts: Array<[string, string]> = [
      ['Projection', `${d.projectionLabel} · ${p.projection}, ${p.stereo}, ${p.fov}°${p.lens !== 'Linear' ? `, ${p.lens}` : ''}${p.eyeSwapped ? ', eyes swapped' : ''} · from ${p.sourceLabel.toLowerCase()}`],
      ['Duration', formatDuration(d.durationMs)],
      ['Resolution', [d.resolution, dimensions(d.width, d.height)].filter(Boolean).join(' · ')],
      ['Size', formatBytes(d.bytes)],
      ['Added', formatDate(d.added)],
      ['Plays', d.playCount > 0 ? plural(d.playCount, 'time') : 'Never played'],
      ['Last played', formatAgo(d.lastPlayedAt, Date.now())],
      ['Resume at', formatDuration(d.resumeMs)],
    ];
    const dl = h('dl', { class: 'd-facts' });
    for (const [k, val] of facts) if (val) dl.append(h('dt', { text: k }), h('dd', { text: val }));
    this.facts.replaceChildren(dl);
    const parts: Node[] = [];
    if (d.unplayableReason) parts.push(h('p', { class: 'notice notice-warn', text: d.unplayableReason }));
    if (d.thumbProblem) {
      const why = `Thumbnail unavailable: ${d.thumbProblem}`;
      parts.push(h('p', { class: 'd-thumb-problem muted', text: why }));
      if (!this.player) this.media.replaceChildren(h('div', { class: 'd-poster-missing', title: why, attrs: { role: 'img', 'aria-label': why } }, icon('film')));
    }
    parts.push(h('h3', { text: d.files.length === 1 ? 'File' : `Files (${d.files.length})` }), this.filesTable(d.files, d));
    parts.push(projectionEditor(d.id, p, { ...this.deps, reload: () => void this.reload(d.id) }));
    if (d.subtitles.length) parts.push(h('h3', { text: 'Subtitles' }), linkList(d.subtitles.map((s) => ({ name: s.language ? `${s.name} (${s.language})` : s.name, url: s.url }))));
    parts.push(...scriptSection(d)); // heatmap, figures, reasons (heatmap.ts)
    const tags = readableTags(d.tags);
    if (tags.length) {
      const items = tags.map((t) => h('li', { class: 'tag' }, t.category ? h('span', { class: 'tag-cat', text: `${t.category} ` }) : null, h('span', { text: t.text })));
      parts.push(h('h3', { text: 'Tags' }), h('ul', { class: 'tags' }, ...items));
    }
    this.body.replaceChildren(...parts);
  }

  private filesTable(files: DetailFile[], d: VideoDetail): HTMLElement {
    const rows = files.map((f) => {
      const url = safeUrl(f.playUrl);
      const play = h('button', { class: 'btn btn-sm', attrs: { type: 'button', 'aria-label': `Play ${f.name}` } }, icon('play'), h('span', { text: 'Play' }));
      const copy = h('button', { class: 'btn btn-sm', attrs: { type: 'button', 'aria-label': `Copy stream URL of ${f.name}` } }, icon('copy'), h('span', { text: 'Copy URL' }));
      play.disabled = !f.playable;
      copy.disabled = !f.playable;
      play.addEventListener('click', () => this.play(url, f.name));
      const vr = vrOffered(d.projection) ? this.vrButton(d, f, url) : null;
      copy.addEventListener('click', () => {
        void copyText(url).then((ok) => toast(ok ? 'Stream URL copied' : 'Copy failed: select the URL by hand', ok ? 'success' : 'error'));
      });
      return h(
        'tr',
        {},
        h('td', { class: 'f-name' }, h('span', { text: f.name, title: f.name }), f.reason ? h('small', { class: 'f-reason', text: f.reason }) : null),
        h('td', { class: 'num', text: formatBytes(f.bytes) }),
        h('td', { class: 'num', text: dimensions(f.width, f.height) }),
        h('td', { class: 'num', text: formatDuration(f.durationMs) }),
        h('td', { class: 'f-actions' }, play, vr, copy),
      );
    });
    const head = h('tr', {}, ...['Name', 'Size', 'Resolution', 'Duration', 'Actions'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'd-files' }, h('thead', {}, head), h('tbody', {}, ...rows)));
  }

  /** "Play in VR": the viewer's code (src/web/vr/) is fetched only on the first press. */
  private vrButton(d: VideoDetail, f: DetailFile, url: string): HTMLButtonElement {
    const b = h('button', { class: 'btn btn-sm d-vr', attrs: { type: 'button', 'aria-label': `Play ${f.name} in VR` } }, icon('headset'), h('span', { text: 'Play in VR' }));
    b.disabled = !f.playable;
    b.addEventListener('click', () => {
      this.unloadPlayer();
      const req = { videoId: d.id, url, name: f.name, projection: d.projection, width: f.width || d.width, height: f.height || d.height, resumeMs: d.resumeMs };
      import('./vr/viewer.ts').then((m) => m.openVr(req), () => toast('The VR viewer could not be loaded. Reload the page and try again.', 'error'));
    });
    return b;
  }

  private play(url: string, name: string): void {
    this.unloadPlayer();
    const v = h('video', { class: 'd-player', attrs: { controls: true, playsinline: true, 'aria-label': `Playing ${name}` } });
    v.preload = 'metadata';
    v.src = url;
    // Only while this player is the one shown: unloading it (removing its source) fires error too.
    v.addEventListener('error', () => {
      if (this.player === v) toast('This file cannot play in the browser (codec or link). Try the copied URL in a player.', 'error');
    });
    this.media.replaceChildren(v);
    this.player = v;
    v.play().catch(() => undefined);
  }

  private unloadPlayer(): void {
    const v = this.player;
    this.player = null;
    if (!v) return;
    v.pause();
    v.removeAttribute('src');
    v.load();
    v.remove();
  }
}

function linkList(items: Array<{ name: string; url: string }>): HTMLElement {
  return h(
    'ul',
    { class: 'links' },
    ...items.map((i) => h('li', {}, h('a', { text: i.name, attrs: { href: safeUrl(i.url), download: '', rel: 'noopener' } }))),
  );
}
