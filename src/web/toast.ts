// Short-lived messages (a save that failed, a URL copied) in a polite live region, so screen
// readers hear them too. At most a few at once; each dismisses itself or on click.
import { h, icon } from './dom.ts';

export type ToastKind = 'info' | 'error' | 'success';

const MAX = 4;
let region: HTMLElement | null = null;

function host(): HTMLElement {
  if (!region) {
    region = h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } });
    document.body.append(region);
  }
  return region;
}

export function toast(message: string, kind: ToastKind = 'info', ms = kind === 'error' ? 6000 : 2500): void {
  const r = host();
  const el = h(
    'div',
    { class: `toast toast-${kind}` },
    kind === 'error' ? icon('warning') : kind === 'success' ? icon('check') : null,
    h('span', { text: message }),
  );
  const close = (): void => {
    el.classList.add('leaving');
    window.setTimeout(() => el.remove(), 200);
  };
  el.addEventListener('click', close);
  r.append(el);
  while (r.children.length > MAX) r.firstElementChild?.remove();
  window.setTimeout(close, ms);
}
