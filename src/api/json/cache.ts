// Caches of prepared JSON bodies: one per key and library version (a repeat request costs a
// lookup, not a rebuild), and one builder per base URL (formatted entries embed absolute URLs).
import { cachedBody, type CachedBody } from './body.ts';

export class JsonResponseCache {
  private entries = new Map<string, { version: number; value: CachedBody }>();

  constructor(private readonly maxEntries = 16) {}

  /** The cached body of `key` for `version`, made from build()'s value (JSON.stringify) when stale. */
  get(key: string, version: number, build: () => unknown): CachedBody {
    return this.getBody(key, version, () => Buffer.from(JSON.stringify(build())));
  }

  /** Same, for a caller that makes the body itself (a Buffer of JSON, or a GzipJsonArray result). */
  getBody(key: string, version: number, build: () => Buffer | CachedBody): CachedBody {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const made = build();
    const value = Buffer.isBuffer(made) ? cachedBody(made) : made;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * One chunked builder per base URL: formatted entries embed absolute URLs, and a server is
 * reached under a few names at most (LAN address, localhost, public URL). The oldest goes first.
 */
export class PerBaseUrl<T> {
  private readonly byBase = new Map<string, T>();

  constructor(
    private readonly make: () => T,
    private readonly max = 4,
  ) {}

  get(base: string): T {
    let v = this.byBase.get(base);
    if (v === undefined) {
      if (this.byBase.size >= this.max) this.byBase.delete(this.byBase.keys().next().value!);
      this.byBase.set(base, (v = this.make()));
    }
    return v;
  }
}
