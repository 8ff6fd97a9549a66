// RD restricted links in one canonical form. Ids are normally 13 characters; longer ones
// (26 chars seen in the wild) work when cut to 13, and peers (DMM, Decypharr) use the cut form
// as the cache key (realdebrid.md §1.4 "How links[] relate to files"). Links may also arrive
// percent-encoded.

const RD_LINK = /^https?:\/\/(?:www\.)?real-debrid\.com\/d\/([A-Za-z0-9]+)/i;
const ID_LENGTH = 13;

/** Percent-decoded when it decodes; as it is otherwise (RD names and links may hold a stray %). */
export function decodePercent(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `https://real-debrid.com/d/` + the first 13 characters of the id; other strings trimmed. */
export function normalizeLink(link: string): string {
  const s = decodePercent(String(link ?? '').trim());
  const m = RD_LINK.exec(s);
  if (!m) return s;
  return `https://real-debrid.com/d/${(m[1] as string).slice(0, ID_LENGTH)}`;
}

/** True for an RD restricted link (`https://real-debrid.com/d/<id>`). */
export function isRestrictedLink(link: string): boolean {
  return RD_LINK.test(decodePercent(String(link ?? '').trim()));
}
