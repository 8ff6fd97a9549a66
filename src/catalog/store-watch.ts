// How the catalog of one process learns what other processes sharing the data directory wrote:
// SQLite's change counter says "something changed" cheaply, and a mark in the meta table, written
// by whoever rewrote the torrent list (the writer, in the same transaction), says "reload the list".
// Without the mark only user data is re-read, which is why every list change must set it.
import type { Store } from '../store/index.ts';

/** Meta key naming the last process that rewrote the stored torrent list. */
const LIBRARY_MARK = 'library.writtenBy';

export class StoreWatch {
  private seenChange = -1;
  private seenMark: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** After a full load: everything stored now has been seen. */
  seenAll(): void {
    this.seenChange = this.store.changeCounter();
    this.seenMark = this.store.meta.get(LIBRARY_MARK);
  }

  /** This process rewrote the stored torrent list: a new mark, which this process has seen. */
  markLibraryWritten(): void {
    this.seenMark = `${process.pid}-${this.now()}-${Math.random().toString(36).slice(2, 8)}`;
    this.store.meta.set(LIBRARY_MARK, this.seenMark);
  }

  /** What changed since the last look: nothing, the torrent list (another process's mark), or other data (user data). */
  check(): 'nothing' | 'library' | 'other' {
    const c = this.store.changeCounter();
    if (c === this.seenChange) return 'nothing';
    this.seenChange = c;
    const mark = this.store.meta.get(LIBRARY_MARK);
    if (mark === this.seenMark) return 'other';
    this.seenMark = mark;
    return 'library';
  }
}
