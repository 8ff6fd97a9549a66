// One gzip member made of pieces compressed independently (each sync-flushed, no final block):
// joining them needs only the pieces' CRCs combined (zlib's crc32_combine), so a changed piece is
// compressed again and the others are re-used as they are.
import { createHash } from 'node:crypto';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import type { CachedBody } from './body.ts';

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final deflate block: ends a stream made of sync-flushed pieces. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

function gf2Times(mat: Uint32Array, vec: number): number {
  let sum = 0;
  for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i] as number;
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, mat: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(mat, mat[n] as number);
}

/** CRC-32 of A+B from crc(A), crc(B) and |B| (zlib's crc32_combine). */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd);
  gf2Square(odd, even);
  let c = crc1 >>> 0;
  let len = len2;
  for (;;) {
    gf2Square(even, odd);
    if (len % 2 === 1) c = gf2Times(even, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len % 2 === 1) c = gf2Times(odd, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
  }
  return (c ^ crc2) >>> 0;
}

/** A piece of a gzip body: compressed on its own (sync flush, no final block), with what the trailer and ETag need. */
export interface Piece {
  deflated: Buffer;
  crc: number;
  length: number;
  digest: Buffer;
}

export function piece(text: string): Piece {
  const raw = Buffer.from(text);
  return {
    deflated: deflateRawSync(raw, { level: 6, finishFlush: zlibConstants.Z_SYNC_FLUSH }),
    crc: crc32(raw),
    length: raw.length,
    digest: createHash('sha1').update(raw).digest(),
  };
}

/** One gzip member from pieces compressed independently (each back-reference stays inside its piece). */
export function joinPieces(pieces: readonly Piece[]): CachedBody {
  let crc = 0;
  let length = 0;
  const hash = createHash('sha1');
  for (const p of pieces) {
    crc = crc32Combine(crc, p.crc, p.length);
    length += p.length;
    hash.update(p.digest);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  const gzip = Buffer.concat([GZIP_HEADER, ...pieces.map((p) => p.deflated), FINAL_BLOCK, trailer]);
  return { body: null, etag: `"${hash.digest('base64url').slice(0, 22)}"`, gzip, length };
}
