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
export function isoDate(iso: string): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(t)) return '1970-01-01';
  const d = new Date(t);
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) return '1970-01-01';
  return `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}
