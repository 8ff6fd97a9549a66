// Generated HereSphere tags and the user's tags from a write-back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GENERATED_TAG_PREFIXES,
  MAX_TAG_NAME,
  MAX_USER_TAGS,
  buildTags,
  resolutionLabel,
  userTagsFromWrite,
} from '../src/library/tags.ts';
import { buildVideo, type VideoInput } from '../src/library/video.ts';
import { EMPTY_USER_DATA, type MediaProbe, type TorrentInfo, type UserData } from '../src/library/model.ts';

const NOW = Date.parse('2026-08-21T12:00:00.000Z');
const GIB = 1024 ** 3;

function single(filename: string, bytes: number, probe: MediaProbe | null, user: UserData | null = null): VideoInput {
  return {
    summary: {
      id: 'QX7D2MNB4KPLA',
      hash: '3b2e9f6c1d0a4e5b8c7d6e5f4a3b2c1d0e9f8a7b',
      filename,
      bytes,
      status: 'downloaded',
      progress: 100,
      added: '2026-08-20T21:04:11.000Z',
      ended: '2026-08-20T21:04:13.000Z',
      links: ['https://real-debrid.com/d/HZ4MQ2B7XKWLE'],
    },
    info: null,
    user,
    probe: () => probe,
    now: NOW,
  };
}
const probe = (width: number, height: number): MediaProbe => ({ durationMs: 1_834_000, width, height, codec: 'hevc', fps: 60 });
const names = (input: VideoInput): string[] => buildTags(buildVideo(input)).map((t) => t.name);

test('VR video: projection, FOV, stereo, resolution, size, dates, watched, release tags, in order', () => {
  const tags = names(single('StudioX.26.08.14.Scene.Title.8K.180.LR.mp4', 7 * GIB, probe(5760, 2880)));
  assert.deepEqual(tags, [
    'Feature:Projection: 180°',
    'Feature:Projection from: File name',
    'Feature:FOV: 180°',
    'Feature:Stereo: SBS',
    'Feature:Resolution: 6K',
    'Feature:Size: 5-15 GB',
    'Feature:Year: 2026',
    'Feature:Month: 2026-08',
    'Feature:Unwatched',
    'Release:8K',
    'Release:180',
    'Release:SBS',
  ]);
});

test('fisheye lenses, eye swap, alpha', () => {
  assert.ok(names(single('Scene.MKX200.mp4', 20 * GIB, null)).includes('Feature:Lens: MKX200'));
  assert.ok(names(single('Scene.MKX200.mp4', 20 * GIB, null)).includes('Feature:Size: 15 GB+'));
  assert.ok(names(single('Scene.MKX200.mp4', 20 * GIB, null)).includes('Feature:Projection: Fisheye'));
  assert.ok(names(single('Scene.RF52.mp4', GIB, null)).includes('Feature:Lens: Canon RF5.2'));
  const rl = names(single('Scene_180_RL_alpha.mp4', GIB, null));
  assert.ok(rl.includes('Feature:Eyes swapped'));
  assert.ok(rl.includes('Feature:Alpha passthrough'));
});

test('flat video: no FOV or stereo tags, resolution by height', () => {
  const tags = names(single('Movie.Name.2019.1080p.BluRay.x264-SPARKS.mkv', 0.5 * GIB, probe(1920, 800)));
  assert.ok(tags.includes('Feature:Projection: Flat'));
  assert.ok(!tags.some((t) => t.startsWith('Feature:FOV') || t.startsWith('Feature:Stereo')));
  assert.ok(tags.includes('Feature:Resolution: 1080p'));
  assert.ok(tags.includes('Feature:Size: Under 1 GB'));
  assert.ok(tags.includes('Release:SPARKS'));
  assert.ok(names(single('Avatar.2009.3D.HSBS.1080p.BluRay.mkv', GIB, null)).includes('Feature:3D: SBS'));
});

test('resolution labels', () => {
  assert.equal(resolutionLabel(8192, 4096, false), '8K');
  assert.equal(resolutionLabel(7680, 3840, false), '8K');
  assert.equal(resolutionLabel(5760, 2880, false), '6K');
  assert.equal(resolutionLabel(2880, 5760, false), '6K');
  assert.equal(resolutionLabel(5120, 2560, false), '5K');
  assert.equal(resolutionLabel(4096, 4096, false), '4K');
  assert.equal(resolutionLabel(3840, 2160, true), '4K');
  assert.equal(resolutionLabel(1440, 1080, true), '1080p');
  assert.equal(resolutionLabel(1280, 720, true), '720p');
  assert.equal(resolutionLabel(854, 480, true), '480p');
  assert.equal(resolutionLabel(640, 360, true), 'SD');
  assert.equal(resolutionLabel(0, 0, true), null);
});

test('watched, favourite, multi-part; user tags come last, unchanged', () => {
  const user: UserData = {
    ...EMPTY_USER_DATA,
    favorite: true,
    watched: true,
    playCount: 2,
    tags: [{ name: 'Talent:Someone' }, { name: 'Blowjob', start: 60000, end: 240000, track: 0, rating: 0 }],
  };
  const info: TorrentInfo = {
    id: 'R4RPK2MZ6TQAA', hash: 'a91c44e0b7d25f6a8e3c19d0f2b47e6a5c8d1f03', filename: 'Trilogy.VR.Pack', bytes: 3 * GIB,
    status: 'downloaded', progress: 100, added: '2026-08-10T12:00:00.000Z', ended: '2026-08-10T12:00:41.000Z',
    links: ['https://real-debrid.com/d/AAAAAAAAAAAAA', 'https://real-debrid.com/d/BBBBBBBBBBBBB', 'https://real-debrid.com/d/CCCCCCCCCCCCC'],
    originalFilename: null,
    files: [1, 2, 3].map((i) => ({ id: i, path: `/Trilogy.VR.Pack/Part${i}.180.LR.mp4`, bytes: GIB, selected: true })),
  };
  const tags = buildTags(buildVideo({ summary: info, info, user, probe: () => null, now: NOW }));
  const n = tags.map((t) => t.name);
  assert.ok(n.includes('Feature:Parts: 3'));
  assert.ok(n.includes('Feature:Watched'));
  assert.ok(n.includes('Feature:Favorite'));
  assert.deepEqual(tags.slice(-2), user.tags);
  assert.notEqual(tags.at(-1), user.tags[1], 'copies, not the stored objects');
  for (const t of tags.slice(0, -2)) assert.ok(GENERATED_TAG_PREFIXES.some((p) => t.name.startsWith(p)), t.name);
});

test('userTagsFromWrite keeps valid user tags only', () => {
  const written = [
    { name: 'Feature:FOV: 180°' },
    { name: 'release:HEVC' },
    { name: '  Talent:Someone  ' },
    { name: 'Talent:Someone' },
    { name: 'Blowjob', start: 60000, end: 240000, track: 0, rating: 0 },
    { name: 'Blowjob', start: 60000, end: 240000, track: 0, rating: 3 },
    { name: 'Blowjob', start: 300000, end: 400000, track: 1.7 },
    { name: '' },
    { name: 42 },
    null,
    'Category:String',
    { name: 'Bad numbers', start: 'x', end: Number.NaN, track: -1, rating: Infinity },
    { name: 'x'.repeat(MAX_TAG_NAME + 50) },
  ];
  assert.deepEqual(userTagsFromWrite(written), [
    { name: 'Talent:Someone' },
    { name: 'Blowjob', start: 60000, end: 240000, track: 0, rating: 0 },
    { name: 'Blowjob', start: 300000, end: 400000, track: 1 },
    { name: 'Bad numbers' },
    { name: 'x'.repeat(MAX_TAG_NAME) },
  ]);
  assert.deepEqual(userTagsFromWrite(undefined), []);
  assert.deepEqual(userTagsFromWrite({ name: 'x' }), []);
  const many = Array.from({ length: MAX_USER_TAGS + 10 }, (_, i) => ({ name: `Tag ${i}` }));
  assert.equal(userTagsFromWrite(many).length, MAX_USER_TAGS);
});

test('write-back of everything buildTags sent stores only the user tags', () => {
  const user: UserData = { ...EMPTY_USER_DATA, tags: [{ name: 'Mine' }] };
  const sent = buildTags(buildVideo(single('Scene.180.LR.mp4', GIB, probe(5760, 2880), user)));
  assert.deepEqual(userTagsFromWrite(sent), [{ name: 'Mine' }]);
});

test('the browser gets the same resolution label as the HereSphere tag (VR by width, flat by height)', async () => {
  const { compactVideo } = await import('../src/api/web.ts');
  // 1920x800 (a cropped 1080p film) once read "720p" on the card and "1080p" in the tag.
  for (const [file, w, h, label] of [
    ['Movie.2019.mkv', 1920, 800, '1080p'],
    ['Scene.180.LR.mp4', 5760, 2880, '6K'],
    ['Scene.180.LR.mp4', 1280, 640, '720p'],
  ] as const) {
    const v = buildVideo(single(file, GIB, probe(w, h)));
    assert.equal(compactVideo(v, false).resolution, label, `${file} ${w}x${h}`);
    assert.ok(buildTags(v).some((t) => t.name === `Feature:Resolution: ${label}`), `${file} ${w}x${h}: the tag agrees`);
  }
});

test('tag times: 0/0, null or absent is a whole-video tag; a backwards span is swapped; a lone start is a marker', () => {
  const got = userTagsFromWrite([
    { name: 'Whole A', start: 0, end: 0 },
    { name: 'Whole B', start: null, end: null },
    { name: 'Whole C' },
    { name: 'Backwards', start: 90_000, end: 30_000 },
    { name: 'Marker', start: 45_000 },
    { name: 'Marker end 0', start: 50_000, end: 0 },
    { name: 'From zero', start: 0, end: 20_000 },
  ]);
  assert.deepEqual(got, [
    { name: 'Whole A' },
    { name: 'Whole B' },
    { name: 'Whole C' },
    { name: 'Backwards', start: 30_000, end: 90_000 },
    { name: 'Marker', start: 45_000, end: 45_000 },
    { name: 'Marker end 0', start: 50_000, end: 50_000 },
    { name: 'From zero', start: 0, end: 20_000 },
  ]);
});
