// The top of the page: exactly what to type into HereSphere and DeoVR on the headset (LAN
// address first, with copy buttons), and one banner saying what is wrong with Real-Debrid,
// if anything, in words the user can act on. Sync progress shows as a slim bar.
import type { LibraryProgress, LibraryResponse, LibraryStatus } from './api.ts';
import { copyText, h, icon } from './dom.ts';
import { formatAgo } from './format.ts';
import { toast } from './toast.ts';

function copyRow(label: string, url: string): HTMLElement {
  // Line breaks only after "//", "/", "." or ":" (a <wbr>), never inside a number or a word.
  const code = h('code', { class: 'addr' });
  for (const part of url.split(/(?<=\/\/|[/.:])/)) code.append(part, h('wbr'));
  const btn = h(
    'button',
    { class: 'icon-btn copy', attrs: { type: 'button', 'aria-label': `Copy the ${label} address` }, title: 'Copy' },
    icon('copy'),
  );
  btn.addEventListener('click', () => {
    void copyText(url).then((ok) => {
      toast(ok ? `${label} address copied` : 'Copy failed: select the address by hand', ok ? 'success' : 'error');
      if (ok) {
        btn.classList.add('copied');
        window.setTimeout(() => btn.classList.remove('copied'), 1200);
      }
    });
  });
  return h('span', { class: 'addr-row' }, code, btn);
}

/** Four grid cells per player: name, hint, first address, other addresses (or blanks). */
function player(name: string, hint: string, urls: string[]): HTMLElement {
  const [first, ...rest] = urls;
  const box = h('div', { class: 'connect-item' }, h('span', { class: 'connect-name', text: name }));
  if (!first) {
    box.append(h('span', { class: 'connect-hint', text: hint }), h('span', { class: 'muted', text: 'No address known yet' }), h('span'));
    return box;
  }
  box.append(h('span', { class: 'connect-hint', text: hint }), copyRow(name, first));
  box.append(
    rest.length
      ? h(
          'details',
          { class: 'more-addrs' },
          h('summary', { text: `+${rest.length} more`, title: 'Other addresses of this server' }),
          ...rest.map((u) => copyRow(name, u)),
        )
      : h('span'),
  );
  return box;
}

const CONNECT_KEY = 'debridsphere.connect';

function remembered(): string | null {
  try {
    return window.localStorage.getItem(CONNECT_KEY);
  } catch {
    return null;
  }
}

function remember(open: boolean): void {
  try {
    window.localStorage.setItem(CONNECT_KEY, open ? 'open' : 'closed');
  } catch {
    /* private mode: not remembered */
  }
}

type Players = LibraryResponse['players'];

/** "HereSphere connected 3 min ago" for the folded panel's title line; '' before any player has. */
function seenText(players: Players, now: number): string {
  const names = (['heresphere', 'deovr'] as const).filter((p) => players[p] !== null);
  const last = names.map((p) => players[p]!).sort().pop() ?? null;
  if (!last) return '';
  const label = names.map((p) => (p === 'heresphere' ? 'HereSphere' : 'DeoVR')).join(' and ');
  return `${label} connected ${formatAgo(last, now)}`;
}

/**
 * The headset addresses, in a panel that folds away once set up. Only the person's own toggle is
 * remembered, and it wins; otherwise the panel starts folded once HereSphere or DeoVR has loaded
 * the library from this server (or on a phone, where it took half the first screen), and folds
 * on its own when a player connects while the page is open.
 */
export function renderConnect(host: HTMLElement, connect: LibraryResponse['connect'], players: Players, now: number): void {
  const prev = host.querySelector<HTMLDetailsElement>('details.connect-box');
  const choice = remembered();
  const seen = seenText(players, now);
  let open: boolean;
  if (!prev) open = (choice ?? (seen || window.matchMedia('(max-width: 720px)').matches ? 'closed' : 'open')) === 'open';
  else open = prev.open && !(choice === null && seen !== '' && !prev.hasAttribute('data-seen'));
  const summary = h('summary', { class: 'connect-lead' }, icon('headset'), h('span', { text: 'On the headset' }));
  if (seen) summary.append(h('span', { class: 'connect-seen', text: seen }));
  const box = h(
    'details',
    { class: 'connect-box' },
    summary,
    h(
      'div',
      { class: 'connect-grid' },
      player('HereSphere', 'open its web browser and go to', connect.heresphere),
      player('DeoVR', 'in its browser tab enter', connect.deovr),
    ),
  );
  if (seen) box.setAttribute('data-seen', '');
  box.open = open;
  // A click (or Enter/Space) on the summary is the person's choice; opening or folding it here is not.
  summary.addEventListener('click', () => remember(!box.open));
  host.replaceChildren(box);
}

/** A logout button when login is on (POST /logout ends the session, then the login page). */
export function renderAccount(host: HTMLElement, auth: boolean): void {
  if (!auth) return void host.replaceChildren();
  if (host.querySelector('.logout')) return;
  const btn = h('button', { class: 'btn btn-ghost logout', attrs: { type: 'button' } }, h('span', { text: 'Log out' }));
  btn.addEventListener('click', () => {
    btn.disabled = true;
    void fetch('/logout', { method: 'POST', credentials: 'same-origin' })
      .then(() => location.assign('/login'))
      .catch(() => {
        btn.disabled = false;
        toast('Could not reach the server to log out', 'error');
      });
  });
  host.replaceChildren(btn);
}

type Tone = 'warn' | 'error' | 'info';

/** One banner for the most important problem; null when all is well. */
export function statusBanner(s: LibraryStatus, now: number): { tone: Tone; title: string; text: string } | null {
  const synced = s.lastSyncAt ? ` Last synced ${formatAgo(s.lastSyncAt, now)}.` : '';
  // The server's own words are more precise when it has them; ours are the fallback.
  const say = (fallback: string): string => s.message ?? fallback;
  if (s.token === 'missing')
    return { tone: 'warn', title: 'No Real-Debrid token yet', text: say("Add your Real-Debrid API token to this server's settings to load your library.") };
  if (s.token === 'rejected')
    return { tone: 'error', title: 'Real-Debrid rejected the token', text: `${say('The token is wrong, expired or revoked: paste a fresh one from real-debrid.com/apitoken.')}${synced}` };
  if (s.rd === 'unreachable')
    return { tone: 'warn', title: 'Real-Debrid is unreachable', text: `Showing the library stored on this server; it refreshes when Real-Debrid answers again.${synced}` };
  if (s.rd === 'throttled') {
    const wait = s.cooldownSeconds > 0 ? ` Next try in ${s.cooldownSeconds} s.` : '';
    return { tone: 'info', title: 'Real-Debrid is throttling requests', text: `Showing the stored library for now.${wait}` };
  }
  if (s.message) return { tone: 'info', title: 'Note', text: s.message };
  return null;
}

export function renderStatus(banner: HTMLElement, sync: HTMLElement, s: LibraryStatus, now: number): void {
  const b = statusBanner(s, now);
  banner.hidden = !b;
  if (b) {
    banner.className = `banner banner-${b.tone}`;
    banner.setAttribute('role', b.tone === 'error' ? 'alert' : 'status');
    banner.replaceChildren(icon('warning'), h('div', {}, h('strong', { text: b.title }), h('span', { text: ` ${b.text}` })));
  }
  sync.hidden = !s.syncing;
  if (s.syncing) {
    const p = s.syncProgress;
    const pct = p && p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
    const bar = h('div', { class: `sync-bar${pct === null ? ' indeterminate' : ''}` }, h('div', { class: 'sync-fill' }));
    if (pct !== null) (bar.firstElementChild as HTMLElement).style.width = `${pct}%`;
    sync.replaceChildren(
      h('span', { class: 'sync-text' }, icon('sync', 'spin'), h('span', { text: p && p.total > 0 ? `Syncing with Real-Debrid… ${p.done.toLocaleString()} / ${p.total.toLocaleString()}` : 'Syncing with Real-Debrid…' })),
      bar,
    );
    if (pct !== null) bar.setAttribute('aria-valuenow', String(pct));
    setProgressRole(bar);
  }
}

function setProgressRole(bar: HTMLElement): void {
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  bar.setAttribute('aria-label', 'Sync progress');
}

/** One line saying how far the library's own media work got and what waits for Real-Debrid. */
export function progressText(p: LibraryProgress, now: number): string | null {
  // The account brake shows even before anything is known: it is what the person must act on.
  const paused = p.accountPaused ? `Real-Debrid protection: ${p.accountPaused}.` : null;
  if (p.videoFiles === 0) return paused;
  const parts = [`Durations: ${p.probed.toLocaleString()} of ${p.videoFiles.toLocaleString()} files probed`, `${p.thumbnails.toLocaleString()} thumbnails made`];
  if (p.probeFailed > 0) parts.push(`${p.probeFailed.toLocaleString()} could not be read`);
  if (p.waitingForRd > 0) {
    const at = p.rdContinuesAt ? Date.parse(p.rdContinuesAt) : NaN;
    const secs = Number.isFinite(at) ? Math.max(1, Math.ceil((at - now) / 1000)) : null;
    parts.push(`${p.waitingForRd.toLocaleString()} waiting for the Real-Debrid budget${secs !== null ? `, next in ${secs < 120 ? `${secs} s` : `${Math.round(secs / 60)} min`}` : ''}`);
  }
  const line = `${parts.join(' · ')}.`;
  return paused ? `${paused} ${line}` : line;
}

export function renderProgress(el: HTMLElement, p: LibraryProgress, now: number): void {
  const text = progressText(p, now);
  el.hidden = text === null;
  el.textContent = text ?? '';
}
