// Public ids derived from the torrent hash, so a video keeps its id (and the user's data,
// thumbnails, HereSphere favourites) when the torrent is deleted and re-added under a new
// RD torrent id. Hex hashes give the id directly; anything else is hashed (FNV-1a 64).

const HEX16 = /^[0-9a-f]{16}/;
const VIDEO_ID = /^[0-9a-f]{16}$/;

function fnv1a64Hex(s: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

function hexOf(hash: string): string {
  const h = String(hash ?? '').trim().toLowerCase();
  return HEX16.test(h) ? h.slice(0, 16) : fnv1a64Hex(h);
}

/** URL-safe, stable, short: the first 16 lower-case hex characters of the info hash. */
export function videoIdFromHash(hash: string): string {
  return hexOf(hash);
}

/** Strict: exactly 16 lower-case hex characters. */
export function isVideoId(s: string): boolean {
  return typeof s === 'string' && VIDEO_ID.test(s);
}

/**
 * DeoVR wants numeric ids: the first 13 hex characters (52 bits) of the same id, so it is a
 * positive integer below 2^53 and names the same video as `videoIdFromHash`.
 */
export function deovrNumericId(hash: string): number {
  return Number.parseInt(hexOf(hash).slice(0, 13), 16) || 1;
}

/** The same number from a video id, for adapters that only hold the `Video`. */
export function deovrIdFromVideoId(videoId: string): number {
  return Number.parseInt(videoId.slice(0, 13), 16) || 1;
}

/**
 * Map key of one file of a torrent (hash lower-cased, as stored): the store keys probes with it and
 * the media pipeline and catalog look them up with it, so there is exactly one definition.
 */
export function mediaKeyString(key: { hash: string; path: string; bytes: number }): string {
  return `${key.hash.toLowerCase()}\n${key.path}\n${key.bytes}`;
}
