// Names of the files in the media cache. A name is the digest of the source file's identity (no
// user text in paths) + the stereo layout the file was made for + kind + version, so a file made
// from an older stereo guess (before the probe refined it) is never served for the new guess:
// the new layout simply has no file yet, and the old one ages out of the LRU cache.
import { createHash } from 'node:crypto';
import type { Stereo } from '../library/model.ts';
import { mediaKeyString, type MediaKey } from './facts.ts';

/** Bump a kind's version when its output changes: old files are then simply never used again (LRU drops them). */
export const FILE_NAMES: Readonly<Record<'thumb' | 'preview', string>> = { thumb: 'thumb1.jpg', preview: 'preview1.mp4' };

export function fileName(kind: 'thumb' | 'preview', t: MediaKey, stereo: Stereo): string {
  return `${createHash('sha256').update(mediaKeyString(t)).digest('hex').slice(0, 32)}-${stereo}-${FILE_NAMES[kind]}`;
}
