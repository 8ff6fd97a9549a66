// What the media pipeline remembers between runs: probes and failures keyed by the file's stable
// identity (hash, path, bytes). The product passes the SQLite store's MediaRepo (it satisfies this
// interface as is); tests use the in-memory version below.
import type { MediaProbe } from '../library/model.ts';
import { mediaKeyString } from '../library/ids.ts';

export interface MediaKey {
  hash: string;
  path: string;
  bytes: number;
}

export interface MediaFailureRecord {
  kind: string;
  reason: string;
  /** Failures in a row (the store increments it on every record). */
  attempts: number;
  /** Do not try again before this time (ms). */
  retryAt: number;
  /** When it failed (ms). */
  at: number;
}

export interface MediaFacts {
  getProbe(key: MediaKey): MediaProbe | null;
  putProbe(key: MediaKey, probe: MediaProbe): void;
  /** Increments attempts; returns the stored failure. */
  recordFailure(key: MediaKey, kind: string, reason: string, retryAt: number, at: number): MediaFailureRecord;
  getFailure(key: MediaKey, kind: string): MediaFailureRecord | null;
  clearFailure(key: MediaKey, kind: string): void;
  /** All stored failures (shown on the health page after a restart). Optional. */
  failures?(): Array<MediaKey & MediaFailureRecord>;
  /** All stored probes, keyed by mediaKeyString. Optional. */
  allProbes?(): Map<string, MediaProbe>;
}

export function mediaKeyOf(t: MediaKey): MediaKey {
  return { hash: t.hash.toLowerCase(), path: t.path, bytes: t.bytes };
}

export { mediaKeyString } from '../library/ids.ts';

/** In-memory MediaFacts for tests and tools that run without a database. */
export class MemoryMediaFacts implements MediaFacts {
  readonly probes = new Map<string, MediaProbe>();
  private readonly failed = new Map<string, MediaKey & MediaFailureRecord>();

  getProbe(key: MediaKey): MediaProbe | null {
    return this.probes.get(mediaKeyString(key)) ?? null;
  }

  putProbe(key: MediaKey, probe: MediaProbe): void {
    this.probes.set(mediaKeyString(key), { ...probe });
  }

  recordFailure(key: MediaKey, kind: string, reason: string, retryAt: number, at: number): MediaFailureRecord {
    const k = `${mediaKeyString(key)}\n${kind}`;
    const attempts = (this.failed.get(k)?.attempts ?? 0) + 1;
    const rec = { ...mediaKeyOf(key), kind, reason, attempts, retryAt, at };
    this.failed.set(k, rec);
    return { kind, reason, attempts, retryAt, at };
  }

  getFailure(key: MediaKey, kind: string): MediaFailureRecord | null {
    const f = this.failed.get(`${mediaKeyString(key)}\n${kind}`);
    return f ? { kind: f.kind, reason: f.reason, attempts: f.attempts, retryAt: f.retryAt, at: f.at } : null;
  }

  clearFailure(key: MediaKey, kind: string): void {
    this.failed.delete(`${mediaKeyString(key)}\n${kind}`);
  }

  failures(): Array<MediaKey & MediaFailureRecord> {
    return [...this.failed.values()].map((f) => ({ ...f }));
  }

  allProbes(): Map<string, MediaProbe> {
    return new Map([...this.probes].map(([k, p]) => [k, { ...p }]));
  }
}
