// RD wire objects → domain torrent types: hash case, NFC names, defaults for absent fields,
// and file order kept exactly as the API gives it (links are matched by that order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toInfo, toSummary, type RdTorrent, type RdTorrentInfo } from '../src/realdebrid/index.ts';

const decomposed = 'Cafe\u0301 Scene.mp4'; // "é" as e + combining accent

const wire: RdTorrent = {
  id: 'ABCDEFGHIJKLM',
  filename: decomposed,
  hash: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
  bytes: 1234,
  progress: 100,
  status: 'downloaded',
  added: '2026-08-20T21:04:11.000Z',
  links: ['https://real-debrid.com/d/AAAAAAAAAAAAA'],
};

test('toSummary: lower-case hash, NFC filename, ended null when absent, links always an array', () => {
  const s = toSummary(wire);
  assert.equal(s.hash, 'abcdef0123456789abcdef0123456789abcdef01');
  assert.equal(s.filename, 'Caf\u00e9 Scene.mp4');
  assert.equal(s.ended, null);
  assert.deepEqual(s.links, ['https://real-debrid.com/d/AAAAAAAAAAAAA']);
  assert.equal(toSummary({ ...wire, ended: '2026-08-20T22:00:00.000Z' }).ended, '2026-08-20T22:00:00.000Z');
  const odd = toSummary({ ...wire, links: undefined as unknown as string[] });
  assert.deepEqual(odd.links, []);
  assert.deepEqual(Object.keys(s).sort(), ['added', 'bytes', 'ended', 'filename', 'hash', 'id', 'links', 'progress', 'status']);
});

test('toInfo: selected 0/1 → boolean, API order kept, NFC paths, original filename or null', () => {
  const info: RdTorrentInfo = {
    ...wire,
    original_filename: decomposed,
    files: [
      { id: 3, path: '/Pack/c.srt', bytes: 10, selected: 1 },
      { id: 1, path: `/Pack/${decomposed}`, bytes: 20, selected: 0 },
      { id: 2, path: '/Pack/b.mp4', bytes: 30, selected: 1 },
    ],
  };
  const out = toInfo(info);
  assert.deepEqual(
    out.files.map((f) => [f.id, f.selected]),
    [
      [3, true],
      [1, false],
      [2, true],
    ],
  );
  assert.equal(out.files[1]!.path, '/Pack/Caf\u00e9 Scene.mp4');
  assert.equal(out.originalFilename, 'Caf\u00e9 Scene.mp4');
  assert.equal(out.hash, 'abcdef0123456789abcdef0123456789abcdef01');
  const bare = toInfo({ ...wire, files: [] });
  assert.equal(bare.originalFilename, null);
  assert.deepEqual(bare.files, []);
});
