// URLs from the server go into src/href only through here: http(s) or same-origin paths pass,
// anything else (javascript:, data:) becomes a harmless "#". Pure apart from the base URL.

export function safeUrl(u: string, base: string = globalThis.location?.href ?? 'http://localhost/'): string {
  try {
    const url = new URL(u, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '#';
  } catch {
    return '#';
  }
}

/** Cache-busted thumbnail URL so a freshly generated image replaces the cached placeholder. */
export function bust(u: string, stamp: number): string {
  const url = safeUrl(u);
  if (url === '#') return url;
  return `${url}${url.includes('?') ? '&' : '?'}v=${stamp}`;
}

/** `#/v/<id>` → id, else null. */
export function detailIdFromHash(hash: string): string | null {
  const m = /^#\/v\/([^/?#]+)$/.exec(hash);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

export function detailHash(id: string): string {
  return `#/v/${encodeURIComponent(id)}`;
}
