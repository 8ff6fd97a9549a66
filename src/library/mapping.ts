// Which RD link belongs to which file (realdebrid.md §4.5). links[i] belongs to the i-th
// SELECTED file in API order; we never sort before zipping (DMM #212). When the counts
// differ we do not guess: one link for many files is RD's archive packing, any other
// mismatch needs name matching against unrestrict results. The ancestor zipped blindly and
// served RARs or the wrong file without noticing (debrid-scout.md §2.8, §10.1 item 6).
import type { LinkState, TorrentFile, TorrentInfo } from './model.ts';
import { basename } from './files.ts';
import { decodePercent, normalizeLink } from './links.ts';

export interface FileLinkMapping {
  fileId: number;
  /**
   * positional/matched: the file's link. archive: the single link RD made (probably the
   * archive; unrestrict it once to be sure). unmatched/missing: null.
   */
  link: string | null;
  state: LinkState;
}

/** RD may still be adding links right after `ended`; RDT waits 60 s, we wait 2 minutes. */
export const ARCHIVE_SETTLE_MS = 2 * 60 * 1000;

/** One entry per selected file, in API order. `now` in ms since the epoch. */
export function mapFilesToLinks(info: TorrentInfo, now: number): FileLinkMapping[] {
  const selected = info.files.filter((f) => f.selected);
  const links = info.links.filter((l) => typeof l === 'string' && l.trim() !== '').map(normalizeLink);
  if (links.length === 0) return each(selected, 'missing', null);
  if (links.length === selected.length) return selected.map((f, i) => ({ fileId: f.id, link: links[i] ?? null, state: 'positional' }));
  if (selected.length > 1 && links.length === 1) {
    const ended = info.ended === null ? Number.NaN : Date.parse(info.ended);
    // Unknown end time on a finished torrent: waiting would never end, so decide now.
    const settled = Number.isNaN(ended) ? info.status === 'downloaded' : now - ended >= ARCHIVE_SETTLE_MS;
    if (settled) return each(selected, 'archive', links[0] ?? null);
  }
  return each(selected, 'unmatched', null);
}

function each(files: readonly TorrentFile[], state: LinkState, link: string | null): FileLinkMapping[] {
  return files.map((f) => ({ fileId: f.id, link, state }));
}

const FORBIDDEN = /[|"\\?*:<>]/g;

/** The comparable form of a file name: decoded, NFC, lower-case, Windows-forbidden chars as `_`. */
export function normalizeName(name: string): string {
  return decodePercent(String(name ?? ''))
    .normalize('NFC')
    .toLowerCase()
    .replace(FORBIDDEN, '_')
    .trim();
}

/** Does RD's file name (unrestrict `filename`) name the file we expected? */
export function namesEquivalent(rdName: string, expectedName: string): boolean {
  return normalizeName(basename(rdName)) === normalizeName(basename(expectedName));
}

/** Verify an unrestrict answer against the file we meant: name, and size when RD knows it. */
export function verifyUnrestrict(
  expected: { path: string; bytes: number },
  result: { filename: string; filesize: number },
): boolean {
  if (!namesEquivalent(result.filename, basename(expected.path))) return false;
  return !(result.filesize > 0) || result.filesize === expected.bytes;
}

const ARCHIVE_NAME = /\.(?:rar|zip|7z|tar|gz|tgz|bz2|xz|r\d{2,3}|\d{3})$/i;

/** RD answered with an archive (a packed torrent), not a playable file. */
export function isArchiveName(name: string): boolean {
  return ARCHIVE_NAME.test(String(name ?? '').trim());
}

/**
 * Name-matching mode: map unrestrict results to selected files by (basename, size). The same
 * basename in two folders is told apart by size; same name and size go in API order
 * (results are taken in the order given, i.e. RD's link order). Archives match nothing.
 * Returns fileId -> normalised link.
 */
export function matchUnrestricted(
  files: readonly TorrentFile[],
  results: ReadonlyArray<{ link: string; filename: string; filesize: number }>,
): Map<number, string> {
  const byName = new Map<string, TorrentFile[]>();
  for (const f of files) {
    if (!f.selected) continue;
    const key = normalizeName(basename(f.path));
    const list = byName.get(key);
    if (list) list.push(f);
    else byName.set(key, [f]);
  }
  const out = new Map<number, string>();
  for (const r of results) {
    const candidates = (byName.get(normalizeName(basename(r.filename))) ?? []).filter((f) => !out.has(f.id));
    const sized = r.filesize > 0 ? candidates.filter((f) => f.bytes === r.filesize) : candidates;
    const chosen = sized[0];
    if (chosen) out.set(chosen.id, normalizeLink(r.link));
  }
  return out;
}
