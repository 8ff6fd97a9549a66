// Deterministic randomness for the fake RD: ids, hashes, generated libraries and fault rolls
// must be the same on every run for a given seed, so failures reproduce.

/** mulberry32: tiny, fast, good enough for fixtures. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string: turns names into seeds. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Uppercase alphanumeric id like RD's torrent/link ids ("QX7D2MNB4KPLA"); 6 chars per draw. */
export function alnumId(rand: () => number, len = 13): string {
  let out = '';
  while (out.length < len) out += Math.floor(rand() * 2_176_782_336).toString(36).padStart(6, '0'); // 36^6
  return out.slice(0, len).toUpperCase();
}

/** Integer in [min, max]. */
export function intBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}
