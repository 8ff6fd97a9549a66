// Generated thumbnails and previews on disk, capped in size, least recently used evicted first
// (nothing expires by age: a file costs an unrestrict and an ffmpeg run to remake). An in-memory
// index is built from one directory scan at start-up; access times live in memory and are written
// back to the file's atime now and then so the order survives a restart, while mtime (the ETag)
// stays the time the file was made. Files arrive under a temporary name in the same directory and
// are renamed in whole, so a reader never sees half a file; temp files of dead processes are
// deleted at start-up.
import { mkdir, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';

export interface CacheEntry {
  name: string;
  file: string;
  size: number;
  etag: string;
  /** When the file was made (mtime), ms. */
  madeMs: number;
  /** Last use, ms. */
  usedMs: number;
}

export interface DiskCacheOptions {
  dir: string;
  maxBytes: number;
  now?: () => number;
  logger?: Logger;
}

const TEMP = /\.(\d+)-[0-9a-z]+\.tmp$/;
/** Write an access time back to disk at most this often per file. */
const PERSIST_USE_MS = 3600_000;
/** A temp file this old is stale even if its pid is alive (pid reuse). */
const STALE_TEMP_MS = 3600_000;

export class DiskCache {
  private readonly index = new Map<string, CacheEntry & { persistedUseMs: number }>();
  private total = 0;
  private changes = 0;
  private readonly now: () => number;

  constructor(private readonly opts: DiskCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  get dir(): string {
    return this.opts.dir;
  }

  get bytes(): number {
    return this.total;
  }

  get files(): number {
    return this.index.size;
  }

  /** Cached files whose name ends with `suffix` (e.g. thumbnails). */
  countEnding(suffix: string): number {
    let n = 0;
    for (const name of this.index.keys()) if (name.endsWith(suffix)) n++;
    return n;
  }

  /** Grows whenever a file is added or removed (callers cache views of what is ready). */
  get version(): number {
    return this.changes;
  }

  /** Scans the directory, removes stale temp files, evicts down to the cap. */
  async init(): Promise<{ files: number; bytes: number; tempRemoved: number }> {
    await mkdir(this.opts.dir, { recursive: true });
    this.index.clear();
    this.total = 0;
    let tempRemoved = 0;
    for (const d of await readdir(this.opts.dir, { withFileTypes: true })) {
      if (!d.isFile()) continue;
      const file = join(this.opts.dir, d.name);
      const st = await stat(file).catch(() => null);
      if (!st) continue;
      const temp = TEMP.exec(d.name);
      if (temp || d.name.endsWith('.tmp')) {
        if (!temp || !isAlive(Number(temp[1])) || this.now() - st.mtimeMs > STALE_TEMP_MS) {
          await unlink(file).catch(() => undefined);
          tempRemoved++;
        }
        continue;
      }
      this.add(d.name, st.size, st.mtimeMs, Math.max(st.atimeMs, st.mtimeMs));
    }
    await this.evict(null);
    return { files: this.index.size, bytes: this.total, tempRemoved };
  }

  /** The entry if cached, recording the use. */
  get(name: string): CacheEntry | null {
    const e = this.index.get(name);
    if (!e) return null;
    const now = this.now();
    e.usedMs = Math.max(e.usedMs, now);
    if (now - e.persistedUseMs > PERSIST_USE_MS) {
      e.persistedUseMs = now;
      utimes(e.file, now / 1000, e.madeMs / 1000).catch(() => undefined);
    }
    return { ...e };
  }

  /** The entry without recording a use. */
  peek(name: string): CacheEntry | null {
    const e = this.index.get(name);
    return e ? { ...e } : null;
  }

  /** A temp path in the cache directory for a file that will become `name`. */
  tempPath(name: string): string {
    return join(this.opts.dir, `${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  }

  /** Renames a finished temp file into place, indexes it, evicts others if over the cap. */
  async commit(name: string, tempFile: string): Promise<CacheEntry> {
    const file = join(this.opts.dir, name);
    await rename(tempFile, file);
    const st = await stat(file);
    const old = this.index.get(name);
    if (old) this.total -= old.size;
    this.index.delete(name);
    const e = this.add(name, st.size, st.mtimeMs, this.now());
    await this.evict(name);
    return { ...e };
  }

  async remove(name: string): Promise<void> {
    const e = this.index.get(name);
    if (!e) return;
    this.index.delete(name);
    this.total -= e.size;
    this.changes++;
    await unlink(e.file).catch(() => undefined);
  }

  private add(name: string, size: number, madeMs: number, usedMs: number): CacheEntry {
    const e = { name, file: join(this.opts.dir, name), size, etag: etagOf(size, madeMs), madeMs, usedMs, persistedUseMs: usedMs };
    this.index.set(name, e);
    this.total += size;
    this.changes++;
    return e;
  }

  /** Drops least recently used entries until under the cap; `keep` (just made) goes last of all. */
  private async evict(keep: string | null): Promise<void> {
    if (this.total <= this.opts.maxBytes) return;
    const order = [...this.index.values()].filter((e) => e.name !== keep).sort((a, b) => a.usedMs - b.usedMs);
    let removed = 0;
    for (const e of order) {
      if (this.total <= this.opts.maxBytes) break;
      await this.remove(e.name);
      removed++;
    }
    if (removed) this.opts.logger?.debug({ removed, bytes: this.total }, 'media cache evicted least recently used files');
  }
}

function etagOf(size: number, madeMs: number): string {
  return `"${size.toString(36)}-${Math.round(madeMs).toString(36)}"`;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false; // our own leftovers from before a restart can't exist: same pid = reused
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
