// Writes Google's Spherical Video V2 boxes (st3d, sv3d) into the video sample entry of an MP4 that
// ffmpeg made, the way VR180 cameras, Insta360/GoPro exports and Google's spatial-media injector
// do (github.com/google/spatial-media docs/spherical-video-v2-rfc.md). The moov box must come after
// mdat (ffmpeg's default), so growing it moves no sample data and no chunk offset changes.
import { readFileSync, writeFileSync } from 'node:fs';

export interface SphericalBoxes {
  /** st3d stereo_mode: 0 mono, 1 top-bottom, 2 left-right; absent = no st3d box. */
  stereo?: 0 | 1 | 2;
  /** equi with bounds as fractions of the frame cut off each side (VR180: left = right = 0.25). */
  equi?: { top: number; bottom: number; left: number; right: number };
  /** cbmp: a cube map (layout 0 = Google's 3x2). */
  cubemap?: boolean;
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function fullBox(type: string, ...payload: Buffer[]): Buffer {
  return box(type, Buffer.alloc(4), ...payload);
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(Math.round(v) >>> 0, 4 * i));
  return b;
}

function sphericalPayload(o: SphericalBoxes): Buffer {
  const parts: Buffer[] = [];
  if (o.stereo !== undefined) parts.push(fullBox('st3d', Buffer.from([o.stereo])));
  if (o.equi || o.cubemap) {
    const frac = (f: number): number => Math.round(f * 2 ** 32);
    const mapping = o.equi
      ? fullBox('equi', u32(frac(o.equi.top), frac(o.equi.bottom), frac(o.equi.left), frac(o.equi.right)))
      : fullBox('cbmp', u32(0, 0));
    parts.push(box('sv3d', fullBox('svhd', Buffer.from('debridsphere test\0', 'latin1')), box('proj', fullBox('prhd', u32(0, 0, 0)), mapping)));
  }
  return Buffer.concat(parts);
}

interface Found {
  start: number;
  size: number;
}

function children(buf: Buffer, from: number, to: number): Array<Found & { type: string }> {
  const out: Array<Found & { type: string }> = [];
  for (let at = from; at + 8 <= to; ) {
    const size = buf.readUInt32BE(at);
    if (size < 8) throw new Error('unsupported box size');
    out.push({ start: at, size, type: buf.toString('latin1', at + 4, at + 8) });
    at += size;
  }
  return out;
}

/** Adds the boxes to the first video sample entry of `file` (in place). */
export function addSphericalBoxes(file: string, o: SphericalBoxes): void {
  const buf = readFileSync(file);
  const top = children(buf, 0, buf.length);
  const moov = top.find((b) => b.type === 'moov');
  const mdat = top.find((b) => b.type === 'mdat');
  if (!moov || !mdat || moov.start < mdat.start) throw new Error('need an MP4 with moov after mdat');
  const path: Found[] = [moov];
  const inside = (b: Found, type: string, skip = 8): Found => {
    const c = children(buf, b.start + skip, b.start + b.size).find((x) => x.type === type);
    if (!c) throw new Error(`no ${type} box`);
    path.push(c);
    return c;
  };
  const trak = children(buf, moov.start + 8, moov.start + moov.size).find((t) => t.type === 'trak' && buf.includes('vide', t.start));
  if (!trak) throw new Error('no video trak');
  path.push(trak);
  const stsd = inside(inside(inside(inside(trak, 'mdia'), 'minf'), 'stbl'), 'stsd');
  const entry = children(buf, stsd.start + 16, stsd.start + stsd.size)[0];
  if (!entry) throw new Error('no sample entry');
  path.push(entry);
  const extra = sphericalPayload(o);
  const insertAt = entry.start + entry.size;
  const out = Buffer.concat([buf.subarray(0, insertAt), extra, buf.subarray(insertAt)]);
  for (const b of path) out.writeUInt32BE(b.size + extra.length, b.start);
  writeFileSync(file, out);
}
