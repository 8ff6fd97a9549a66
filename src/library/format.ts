// Small display formats shared by every adapter (sizes, durations, dates).

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** 1024-based: "512 B", "1.5 GB", "12.3 GB", "123 GB". Garbage or negative -> "0 B". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0 B';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)} B`;
  let text = v < 100 ? v.toFixed(1) : String(Math.round(v));
  if (Number(text) >= 1024 && u < UNITS.length - 1) {
    u++;
    text = (Number(text) / 1024).toFixed(1);
  }
  return `${text.replace(/\.0$/, '')} ${UNITS[u]}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "1:02:03" with hours, "12:34" without; garbage -> "0:00". */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/** `YYYY-MM-DD` in UTC; anything unparseable -> "1970-01-01" (HereSphere crashes on partial dates). */
const ISO_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T[\d:.]+Z$/;
const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;

function dayExists(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `YYYY-MM-DD` in UTC; anything unparseable -> "1970-01-01" (HereSphere crashes on partial dates). */
export function isoDate(iso: string): string {
  if (typeof iso !== 'string') return '1970-01-01';
  // Fast path for RD's own form "2026-08-20T21:04:11.000Z" (already UTC).
  if (ISO_UTC.test(iso) && Number(iso.slice(8, 10)) <= 28) return iso.slice(0, 10);
  // Date.parse rolls "02-30" over into March; a day that does not exist is garbage.
  const p = DATE_PREFIX.exec(iso);
  if (p && !dayExists(Number(p[1]), Number(p[2]), Number(p[3]))) return '1970-01-01';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '1970-01-01';
  const d = new Date(t);
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) return '1970-01-01';
  return `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}
