// Lists of every video as gzip pieces of a few hundred entries: a change to one video re-formats
// and re-compresses one piece, not the whole library (HereSphere scan, browser library, DeoVR scenes).
import type { CachedBody } from './body.ts';
import { joinPieces, piece, type Piece } from './gzip-join.ts';

interface Chunk<T> {
  items: T[];
  stamps: unknown[] | null;
  piece: Piece;
}

/**
 * The JSON `${head}[item,item,...]${tail}` of a long list (every video), kept as gzip pieces of
 * CHUNK items: when a few items change (a probe, a rating), only their chunks are formatted and
 * compressed again, and the answer is the pieces joined (no re-compression of the whole). Items
 * are compared by identity (Videos are rebuilt, never edited) plus an optional stamp per item for
 * outside state the format depends on. Memory: the compressed pieces only.
 */
export class GzipJsonArray<T extends object> {
  private chunks: Array<Chunk<T>> = [];
  private ends = new Map<string, Piece>();

  constructor(private readonly chunkSize = 256) {}

  private end(text: string): Piece {
    let p = this.ends.get(text);
    if (!p) {
      if (this.ends.size >= 8) this.ends.clear();
      this.ends.set(text, (p = piece(text)));
    }
    return p;
  }

  /** `format` gets the item's stamp too (computed once per item and build: it can be costly). */
  build<S>(head: string, items: readonly T[], tail: string, format: (item: T, stamp: S | undefined) => unknown, stamp?: (item: T) => S): CachedBody {
    return joinPieces(this.pieces(head, items, tail, format, stamp));
  }

  /** The same body as compressed pieces, for a caller that joins several lists into one body. */
  pieces<S>(head: string, items: readonly T[], tail: string, format: (item: T, stamp: S | undefined) => unknown, stamp?: (item: T) => S): Piece[] {
    const pieces: Piece[] = [this.end(`${head}[`)];
    const next: Array<Chunk<T>> = [];
    for (let i = 0, k = 0; i < items.length; i += this.chunkSize, k++) {
      const slice = items.slice(i, i + this.chunkSize);
      const stamps = stamp ? slice.map(stamp) : null;
      const old = this.chunks[k];
      const same =
        old !== undefined && old.items.length === slice.length && old.items.every((x, j) => x === slice[j]) &&
        (stamps === null || (old.stamps !== null && old.stamps.every((x, j) => x === stamps[j])));
      const chunk = same ? old : { items: slice, stamps, piece: piece((k === 0 ? '' : ',') + slice.map((x, j) => JSON.stringify(format(x, stamps?.[j] as S | undefined))).join(',')) };
      next.push(chunk);
      pieces.push(chunk.piece);
    }
    this.chunks = next;
    pieces.push(this.end(`]${tail}`));
    return pieces;
  }
}

/** One named list of a GzipJsonLists body: `${head}[items]${tail}`. */
export interface JsonList<T> {
  /** Identifies the list between builds (its chunks are re-used when its items did not change). */
  key: string;
  head: string;
  items: readonly T[];
  tail: string;
}

/**
 * `${head}` + lists separated by commas + `${tail}`, each list a GzipJsonArray (DeoVR's scenes:
 * a few sections, each listing thousands of videos). Lists that disappear are forgotten.
 */
export class GzipJsonLists<T extends object> {
  private lists = new Map<string, GzipJsonArray<T>>();

  build(head: string, lists: ReadonlyArray<JsonList<T>>, tail: string, format: (item: T) => unknown): CachedBody {
    const pieces: Piece[] = [piece(head)];
    const next = new Map<string, GzipJsonArray<T>>();
    lists.forEach((l, i) => {
      const array = this.lists.get(l.key) ?? new GzipJsonArray<T>();
      next.set(l.key, array);
      pieces.push(...array.pieces((i === 0 ? '' : ',') + l.head, l.items, l.tail, format));
    });
    this.lists = next;
    pieces.push(piece(tail));
    return joinPieces(pieces);
  }
}
