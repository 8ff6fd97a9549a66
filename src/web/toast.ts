// Short-lived messages (a save that failed, a URL copied) in a polite live region, so screen
// readers hear them too. At most a few at once; each dismisses itself or on click. The region is a
// manual popover, re-shown with each message: that puts it in the browser's top layer above an
// open modal dialog (the detail view), instead of behind the dialog's dimmed, blurred backdrop.
// While a modal is open the region lives inside it (the rest of the page is inert then). A message
// already on screen is not shown a second time.
import { h, icon } from './dom.ts';

export type ToastKind = 'info' | 'error' | 'success';

const MAX = 4;
let region: HTMLElement | null = null;

function host(): HTMLElement {
  if (!region) {
    region = h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } });
    if ('showPopover' in region) region.setAttribute('popover', 'manual');
    document.body.append(region);
  }
  return region;
}

/**
 * Brings the region to the top of the top layer (above a modal opened since it was shown). Inside
 * an open modal dialog: everything outside it is inert (not clickable, skipped by screen readers).
 */
function raise(r: HTMLElement): void {
  const parent = document.querySelector('dialog[open]') ?? document.body;
  if (r.parentElement !== parent) parent.append(r);
  if (!('showPopover' in r)) return;
  if (r.matches(':popover-open')) r.hidePopover();
  r.showPopover();
}

export function toast(message: string, kind: ToastKind = 'info', ms = kind === 'error' ? 6000 : 2500): void {
  const r = host();
  for (const el of r.children) {
    if ((el as HTMLElement).dataset['message'] === `${kind}:${message}` && !el.classList.contains('leaving')) return raise(r);
  }
  const el = h(
    'div',
    { class: `toast toast-${kind}` },
    kind === 'error' ? icon('warning') : kind === 'success' ? icon('check') : null,
    h('span', { text: message }),
  );
  el.dataset['message'] = `${kind}:${message}`;
  const close = (): void => {
    el.classList.add('leaving');
    window.setTimeout(() => {
      el.remove();
      if (r.childElementCount === 0 && 'hidePopover' in r && r.matches(':popover-open')) r.hidePopover();
    }, 200);
  };
  el.addEventListener('click', close);
  r.append(el);
  while (r.children.length > MAX) r.firstElementChild?.remove();
  raise(r);
  window.setTimeout(close, ms);
}
