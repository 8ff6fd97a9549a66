// When a sync replaces the torrent list, the catalog keeps every Video whose inputs did not change:
// these pure helpers tell. A fingerprint of every summary field (so a Video needs no copy of its
// summary), the link matches compared, and the one case where time alone changes a Video.
import type { TorrentSummary, Video } from '../library/model.ts';

/** Two 32-bit FNV-1a style hashes of every field, folded into one 53-bit number (a missed change would need a collision on both). */
export function fingerprint(s: TorrentSummary): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    a = Math.imul(a ^ 0xff, 0x01000193); // field separator
    b = Math.imul(b ^ 0xff, 0x5bd1e995) ^ (b >>> 15);
  };
  mix(s.id);
  mix(s.hash);
  mix(s.filename);
  mix(String(s.bytes));
  mix(s.status);
  mix(String(s.progress));
  mix(s.added);
  mix(s.ended ?? '\u0000null');
  mix(String(s.links.length));
  for (const l of s.links) mix(l);
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

export function sameMatches(a: ReadonlyMap<number, string> | undefined, b: ReadonlyMap<number, string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** An 'unmatched' file may turn into an archive as time passes (mapping.ts): such a video is rebuilt, not re-used. */
export function timeDependent(v: Video): boolean {
  for (const list of [v.videos, v.subtitles, v.scripts]) for (const f of list) if (f.linkState === 'unmatched') return true;
  return false;
}
