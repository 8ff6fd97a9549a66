// Big, rarely-changing JSON responses (library index, scan data, browser library, DeoVR scenes) are
// serialised once per library version and base URL, gzipped once, and answered with an ETag. The
// parts live in ./json/: the prepared body (body.ts), its caches (cache.ts), gzip pieces joined
// without re-compression (gzip-join.ts), chunked lists of every video (chunked.ts) and the reply
// (send.ts). Routes import from here.
export { cachedBody, GZIP_ONLY_BYTES, type CachedBody } from './json/body.ts';
export { JsonResponseCache, PerBaseUrl } from './json/cache.ts';
export { crc32Combine, type Piece } from './json/gzip-join.ts';
export { GzipJsonArray, GzipJsonLists, type JsonList } from './json/chunked.ts';
export { sendCachedJson } from './json/send.ts';
