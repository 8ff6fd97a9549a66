// The fake RD account's data: the torrent library (newest first), the restricted links of each
// torrent, the unrestricted downloads the CDN serves, and magnet progression over the clock.

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { isStreamable, mimeTypeOf } from './content.ts';
import { alnumId, hashString, mulberry32 } from './prng.ts';
import type { FakeFileSpec, FakeTorrentSpec } from './types.ts';

export const DEFAULT_FILE_BYTES = 50_000_000;
export const LINK_PREFIX = 'https://real-debrid.com/d/';
/** Already in RD's (JS toJSON) date format. */
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export interface LinkRec {
  /** Full id as listed (13 chars, or 26 with longLinkIds). */
  id: string;
  /** Index into spec.files, or -1 for the archive link that stands for all selected files. */
  target: number;
}

export interface TorrentRec {
  spec: FakeTorrentSpec & { id: string; hash: string; status: string; added: string; files: FakeFileSpec[] };
  addedMs: number;
  endedMs: number;
  seq: number;
  links: LinkRec[];
  /** Magnet progression: the phase and when it started. */
  pending?: { phase: 'conversion' | 'download'; at: number };
}

export interface DownloadRec {
  id: string;
  filename: string;
  mimeType: string;
  filesize: number;
  link: string;
  generatedMs: number;
  /** Identifies the generated content (so the same file always has the same bytes). */
  key: string;
  source?: { path: string; size: number };
  noMediaInfo: boolean;
  bytesServed: number;
  active: number;
}

/** RD's rename of characters Windows can't store. */
export function rdFilename(path: string): string {
  return posix.basename(path).replace(/[|"\\?*:<>]/g, '_');
}

export class LibraryState {
  readonly byId = new Map<string, TorrentRec>();
  /** Newest `added` first; ties: later insertion first. */
  readonly order: TorrentRec[] = [];
  private readonly linkIndex = new Map<string, { rec: TorrentRec; index: number }>();
  readonly downloads = new Map<string, DownloadRec>();
  /** Unrestricts in order (newest last): what /downloads lists. */
  readonly history: DownloadRec[] = [];
  private readonly pendingSet = new Set<TorrentRec>();
  private readonly idRand: () => number;
  private readonly dlRand: () => number;
  private seq = 0;

  constructor(
    private readonly now: () => number,
    seed: number,
    private readonly timings: { conversionMs: number; downloadMs: number },
  ) {
    this.idRand = mulberry32(seed);
    this.dlRand = mulberry32(seed ^ 0x9e3779b9);
  }

  /** Resolves defaults and inserts the torrent at its place in the newest-first order. */
  add(input: FakeTorrentSpec, defaultAddedMs = this.now()): TorrentRec {
    if (input.id !== undefined && this.byId.has(input.id)) throw new Error(`fake-rd: duplicate torrent id ${input.id}`);
    const id = input.id ?? this.freshId(13, this.idRand, this.byId);
    const addedMs = input.added !== undefined ? Date.parse(input.added) : defaultAddedMs;
    if (!Number.isFinite(addedMs)) throw new Error(`fake-rd: bad added date for ${input.filename}`);
    const files = input.files.map(resolveFile);
    const selected = files.filter((f) => f.selected !== false);
    const renamed = input.renamedToFile === true && selected.length === 1 ? rdFilename((selected[0] as FakeFileSpec).path) : null;
    const spec: TorrentRec['spec'] = {
      ...input,
      ...(renamed !== null ? { filename: renamed, originalFilename: input.originalFilename ?? input.filename } : {}),
      id,
      hash: input.hash ?? createHash('sha1').update(input.filename).digest('hex'),
      status: input.status ?? 'downloaded',
      added: input.added !== undefined && ISO_MS.test(input.added) ? input.added : new Date(addedMs).toISOString(),
      files,
      linkMode: input.linkMode ?? 'normal',
    };
    const rec: TorrentRec = { spec, addedMs, endedMs: addedMs + 2000 + (hashString(id) % 40_000), seq: this.seq++, links: [] };
    this.byId.set(id, rec);
    const at = this.insertAt(rec);
    if (at === this.order.length) this.order.push(rec); // the common case: specs come newest first
    else this.order.splice(at, 0, rec);
    if (hasLinks(spec.status)) this.buildLinks(rec);
    return rec;
  }

  /** A torrent created by addMagnet: magnet_conversion now, files known after conversion. */
  addMagnet(input: FakeTorrentSpec): TorrentRec {
    const rec = this.add({ ...input, status: 'magnet_conversion', added: new Date(this.now()).toISOString() });
    rec.pending = { phase: 'conversion', at: this.now() };
    this.pendingSet.add(rec);
    return rec;
  }

  /** After selectFiles: downloading for a while, then downloaded with links. */
  startDownload(rec: TorrentRec): void {
    rec.spec.status = 'downloading';
    rec.pending = { phase: 'download', at: this.now() };
    this.pendingSet.add(rec);
    this.advance();
  }

  /** Applies magnet progression up to the current clock. */
  advance(): void {
    if (this.pendingSet.size === 0) return;
    const now = this.now();
    for (const rec of this.pendingSet) {
      const p = rec.pending;
      if (!p) continue;
      if (p.phase === 'conversion' && now >= p.at + this.timings.conversionMs) {
        rec.spec.status = 'waiting_files_selection';
        rec.pending = undefined;
        this.pendingSet.delete(rec);
      } else if (p.phase === 'download' && now >= p.at + this.timings.downloadMs) {
        rec.spec.status = 'downloaded';
        rec.endedMs = p.at + this.timings.downloadMs;
        rec.pending = undefined;
        this.pendingSet.delete(rec);
        this.buildLinks(rec);
      }
    }
  }

  remove(id: string): boolean {
    const rec = this.byId.get(id);
    if (!rec) return false;
    this.byId.delete(id);
    this.pendingSet.delete(rec);
    const at = this.order.indexOf(rec);
    if (at >= 0) this.order.splice(at, 1);
    for (const l of rec.links) this.linkIndex.delete(l.id.slice(0, 13));
    return true;
  }

  /** Finds a restricted link by the first 13 chars of its id (RD accepts long ids truncated). */
  findLink(linkParam: string): { rec: TorrentRec; index: number } | undefined {
    const m = /\/d\/([A-Za-z0-9]+)/.exec(linkParam.trim());
    const id = m?.[1] ?? (/^[A-Za-z0-9]{13,}$/.test(linkParam.trim()) ? linkParam.trim() : undefined);
    return id === undefined ? undefined : this.linkIndex.get(id.slice(0, 13));
  }

  /** Creates a fresh download for one file (or the archive when target is -1). */
  mint(rec: TorrentRec, target: number, link: string, listed: boolean): DownloadRec {
    const selected = rec.spec.files.filter((f) => f.selected !== false);
    const file = target >= 0 ? rec.spec.files[target] : undefined;
    const filename = file ? rdFilename(file.path) : rdFilename(`${rec.spec.filename}.rar`);
    const filesize = file ? (file.bytes as number) : selected.reduce((s, f) => s + (f.bytes as number), 0);
    const dl: DownloadRec = {
      id: this.freshId(15, this.dlRand, this.downloads),
      filename,
      mimeType: mimeTypeOf(filename),
      filesize,
      link,
      generatedMs: this.now(),
      key: `${rec.spec.hash}:${file ? target + 1 : 'rar'}`,
      noMediaInfo: rec.spec.noMediaInfo === true,
      bytesServed: 0,
      active: 0,
    };
    if (file?.source) dl.source = { path: file.source, size: statSync(file.source).size };
    this.downloads.set(dl.id, dl);
    if (listed) this.history.push(dl);
    return dl;
  }

  streamable(dl: DownloadRec): 0 | 1 {
    return isStreamable(dl.mimeType) ? 1 : 0;
  }

  private buildLinks(rec: TorrentRec): void {
    for (const l of rec.links) this.linkIndex.delete(l.id.slice(0, 13));
    const { files, linkMode, longLinkIds, missingIndex } = rec.spec;
    const selected: number[] = [];
    files.forEach((f, i) => {
      if (f.selected !== false) selected.push(i);
    });
    let targets = selected;
    if (linkMode === 'archive') targets = selected.length > 0 ? [-1] : [];
    if (linkMode === 'missing-link' && selected.length > 0) {
      const drop = Math.min(Math.max(0, missingIndex ?? selected.length - 1), selected.length - 1);
      targets = selected.filter((_, i) => i !== drop);
    }
    const rand = mulberry32(hashString(rec.spec.id + '#links'));
    rec.links = targets.map((target, index) => {
      let id = alnumId(rand, longLinkIds ? 26 : 13);
      while (this.linkIndex.has(id.slice(0, 13))) id = alnumId(rand, longLinkIds ? 26 : 13);
      this.linkIndex.set(id.slice(0, 13), { rec, index });
      return { id, target };
    });
  }

  private insertAt(rec: TorrentRec): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const o = this.order[mid] as TorrentRec;
      if (o.addedMs > rec.addedMs || (o.addedMs === rec.addedMs && o.seq > rec.seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private freshId(len: number, rand: () => number, taken: Map<string, unknown>): string {
    let id = alnumId(rand, len);
    while (taken.has(id)) id = alnumId(rand, len);
    return id;
  }
}

/** Statuses whose torrents carry restricted links (dead torrents keep theirs; they just fail). */
export function hasLinks(status: string): boolean {
  return status === 'downloaded' || status === 'dead';
}

function resolveFile(f: FakeFileSpec): FakeFileSpec {
  if (!f.path.startsWith('/')) throw new Error(`fake-rd: file path must start with "/": ${f.path}`);
  if (typeof f.bytes === 'number' && typeof f.selected === 'boolean') return f; // already resolved: share it (never mutated)
  const bytes = f.bytes ?? (f.source ? statSync(f.source).size : DEFAULT_FILE_BYTES);
  const out: FakeFileSpec = { path: f.path, bytes, selected: f.selected !== false };
  if (f.source) out.source = f.source;
  return out;
}
