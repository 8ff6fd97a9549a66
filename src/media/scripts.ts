// Reads each video's funscript once (issue 17): through the resolver's lazy, budgeted link path
// (background priority: the same RD budget and lanes as thumbnails and probes), at most
// MAX_FUNSCRIPT_BYTES read, analysed by the pure library/funscript.ts, stored per file identity
// and handed to the catalog, so the browser, HereSphere tags and thumbnails all see it. One script
// at a time: scripts are small and nothing waits on them. A file that reads but is broken keeps
// its reason (stored, never fetched again); a passing failure (RD busy, CDN down, no link yet)
// is retried after RETRY_MS, in memory only.
import type { Logger } from 'pino';
import { analyseFunscript, MAX_FUNSCRIPT_BYTES, type ScriptFacts } from '../library/funscript.ts';
import { mediaKeyString } from '../library/ids.ts';
import type { Video, VideoFile } from '../library/model.ts';

/** A script that could not be fetched is tried again after this long. */
const RETRY_MS = 10 * 60_000;
/** The CDN gets this long to deliver a script. */
const FETCH_TIMEOUT_MS = 30_000;

export interface ScriptReaderDeps {
  /** Direct download URL of one file (the resolver, background priority). */
  resolve(video: Video, file: VideoFile): Promise<string>;
  /** Stores the facts and updates the catalog. */
  onFacts(key: { hash: string; path: string; bytes: number }, facts: ScriptFacts): void;
  /** Every video now in the library (for sweep()). */
  list(): readonly Video[];
  /** Changes when the list changes: a sweep with the same version has nothing new to find. */
  version(): number;
  logger: Logger;
  now: () => number;
  fetch?: typeof fetch;
}

export class ScriptReader {
  private readonly queue: Array<{ video: Video; file: VideoFile }> = [];
  private readonly queued = new Set<string>();
  private readonly failedAt = new Map<string, number>();
  private running = false;
  private closed = false;
  private readonly fetchFn: typeof fetch;
  private idle: Array<() => void> = [];
  private sweptVersion = -1;

  constructor(private readonly deps: ScriptReaderDeps) {
    this.fetchFn = deps.fetch ?? fetch;
  }

  /** Queues the main script of a video when it has not been read yet. */
  request(video: Video): void {
    const file = video.scripts[0];
    if (!file || file.script || this.closed) return;
    const key = mediaKeyString({ hash: video.hash, path: file.path, bytes: file.bytes });
    if (this.queued.has(key)) return;
    const failed = this.failedAt.get(key);
    if (failed !== undefined && this.deps.now() - failed < RETRY_MS) return;
    this.queued.add(key);
    this.queue.push({ video, file });
    if (!this.running) void this.run();
  }

  /** Queues every unread script of the library; cheap when the list did not change since the last sweep. */
  sweep(): void {
    const version = this.deps.version();
    if (version === this.sweptVersion) return;
    this.sweptVersion = version;
    for (const v of this.deps.list()) if (v.scripts.length > 0) this.request(v);
  }

  /** Resolves once nothing is queued or being read (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.queue.shift(); next && !this.closed; next = this.queue.shift()) {
        const { video, file } = next;
        const key = { hash: video.hash, path: file.path, bytes: file.bytes };
        try {
          const facts = await this.read(video, file);
          if (!this.closed) this.deps.onFacts(key, facts);
        } catch (err) {
          this.failedAt.set(mediaKeyString(key), this.deps.now());
          this.deps.logger.info({ video: video.id, err: err instanceof Error ? err.message : String(err) }, 'funscript not read this time');
        } finally {
          this.queued.delete(mediaKeyString(key));
        }
      }
    } finally {
      this.running = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** The facts of one script; throws only for passing failures (retried later). */
  private async read(video: Video, file: VideoFile): Promise<ScriptFacts> {
    const url = await this.deps.resolve(video, file);
    const res = await this.fetchFn(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok || !res.body) throw new Error(`the CDN answered ${res.status}`);
    const declared = Number(res.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > MAX_FUNSCRIPT_BYTES) {
      await res.body.cancel();
      return analyseFunscript('', declared);
    }
    // Read up to one byte past the limit: enough to know it is too large, never more.
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_FUNSCRIPT_BYTES) {
        await reader.cancel();
        return analyseFunscript('', total);
      }
      chunks.push(value);
    }
    return analyseFunscript(Buffer.concat(chunks).toString('utf8'), total);
  }
}
