// Numbers into the short words a card has room for. Pure (node-testable); unknown values give ''
// so the card simply leaves the slot empty instead of showing "0:00" or "0 B".

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1024-based; one decimal from GB up, none below ("812 MB", "12.4 GB"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '';
  let u = 0;
  let n = bytes;
  while (n >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  const digits = u >= 3 && n < 100 ? 1 : 0;
  return `${n.toFixed(digits)} ${UNITS[u]}`;
}

/** "1:02:03", "42:07", "0:09". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function dimensions(width: number, height: number): string {
  return width > 0 && height > 0 ? `${width}×${height}` : '';
}

const dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? dateFmt.format(t) : '';
}

/** "3 min ago", "2 days ago"; absolute date after a month. */
export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 86400 * 31) return `${Math.floor(s / 86400)} days ago`;
  return formatDate(iso);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/**
 * The server's HereSphere-style tags as a person reads them: `Feature:Projection: 180°` becomes
 * `Projection: 180°`, `Talent:Someone` stays a category and a value. Tags that repeat state the
 * detail view shows live (watched, favorite) are left out, so they never contradict the controls.
 */
const STATE_TAGS: ReadonlySet<string> = new Set(['Feature:Watched', 'Feature:Unwatched', 'Feature:Favorite']);
const HIDDEN_PREFIXES = ['Feature:', 'Release:'];

export function readableTags(tags: readonly string[]): Array<{ category: string | null; text: string }> {
  const out: Array<{ category: string | null; text: string }> = [];
  for (const t of tags) {
    if (STATE_TAGS.has(t)) continue;
    const hidden = HIDDEN_PREFIXES.find((p) => t.startsWith(p));
    if (hidden) {
      out.push({ category: null, text: t.slice(hidden.length) });
      continue;
    }
    const i = t.indexOf(':');
    out.push(i > 0 && i < t.length - 1 ? { category: t.slice(0, i), text: t.slice(i + 1).trim() } : { category: null, text: t });
  }
  return out;
}
