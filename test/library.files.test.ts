// File kinds, basenames, samples, natural order and subtitle languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SUBTITLE_EXTENSIONS,
  VIDEO_EXTENSIONS,
  basename,
  fileKind,
  isSample,
  naturalCompare,
  subtitleLanguage,
} from '../src/library/files.ts';

test('extension tables hold the required entries', () => {
  for (const e of ['.mp4', '.mkv', '.avi', '.mov', '.wmv', '.flv', '.webm', '.mpeg', '.mpg', '.m4v', '.ts', '.m2ts',
    '.vob', '.mts', '.3gp', '.rmvb', '.mxf', '.divx', '.f4v', '.ogv', '.qt']) {
    assert.ok(VIDEO_EXTENSIONS.has(e), e);
  }
  assert.deepEqual([...SUBTITLE_EXTENSIONS].sort(), ['.ass', '.srt', '.ssa', '.vtt']);
});

test('fileKind by extension, case-insensitive, on RD paths', () => {
  const cases: Array<[string, string]> = [
    ['/Pack/Scene01.8K.LR.mp4', 'video'],
    ['/Pack/Scene01.MKV', 'video'],
    ['Movie.m2ts', 'video'],
    ['/Pack/Scene01.8K.LR.srt', 'subtitle'],
    ['/Pack/Scene01.en.ASS', 'subtitle'],
    ['/Pack/Scene01.funscript', 'script'],
    ['/Pack/Trilogy.VR.Pack.rar', 'archive'],
    ['/Pack/movie.part01.rar', 'archive'],
    ['/Pack/movie.r00', 'archive'],
    ['/Pack/movie.r17', 'archive'],
    ['/Pack/movie.7z.001', 'archive'],
    ['/Pack/cover.jpg', 'image'],
    ['/Pack/poster.PNG', 'image'],
    ['/Pack/readme.nfo', 'other'],
    ['/Pack/Movie.sub', 'other'],
    ['/Pack/noextension', 'other'],
    ['/Pack.mp4/file', 'other'],
    ['/Pack/.mp4', 'other'],
  ];
  for (const [path, kind] of cases) assert.equal(fileKind(path), kind, path);
});

test('basename on RD paths', () => {
  assert.equal(basename('/a/b/c.mp4'), 'c.mp4');
  assert.equal(basename('c.mp4'), 'c.mp4');
  assert.equal(basename('/c.mp4'), 'c.mp4');
  assert.equal(basename('/a/b/'), '');
});

test('isSample: the token or a Sample folder, and much smaller than the largest video', () => {
  const big = 8 * 1024 ** 3;
  assert.equal(isSample('/Movie/Sample/movie-sample.mkv', 50e6, big), true);
  assert.equal(isSample('/Movie/movie-sample.mkv', 50e6, big), true);
  assert.equal(isSample('/Movie/Sample.mkv', 50e6, big), true);
  assert.equal(isSample('/Movie/Samples/clip.mkv', 50e6, big), true);
  assert.equal(isSample('/Movie/sample_clip.mp4', 50e6, big), true);
  assert.equal(isSample('/Movie/movie.mkv', 50e6, big), false, 'no token');
  assert.equal(isSample('/Movie/The.Sample.2019.mkv', big, big), false, 'the largest video is never a sample');
  assert.equal(isSample('/Movie/Sample/movie.mkv', big / 2, big), true, 'a Sample folder holds samples whatever their size');
  assert.equal(isSample('/Movie/Sample/movie.mkv', big, big), false, 'unless it holds the largest video');
  assert.equal(isSample('/Movie/movie-sample.mkv', big / 2, big), false, 'a name alone: only a much smaller file');
  assert.equal(isSample('/Movie/Samples.Of.Life.mkv', 3e9, 3e9), false);
  assert.equal(isSample('/Movie/Examples/clip.mkv', 50e6, big), false, 'Examples is not Sample');
  assert.equal(isSample('/Movie/resampled.mkv', 50e6, big), false, 'token inside a word');
  assert.equal(isSample('/Movie/Sample/movie-sample.mkv', 50e6, 0), false, 'nothing to compare with');
});

test('naturalCompare: numbers by value, case-insensitive, deterministic', () => {
  const sorted = ['Part 10.mp4', 'part 2.mp4', 'Part 1.mp4', 'Part 02b.mp4', 'Part 3.mp4', 'Bonus.mp4'].sort(naturalCompare);
  assert.deepEqual(sorted, ['Bonus.mp4', 'Part 1.mp4', 'part 2.mp4', 'Part 02b.mp4', 'Part 3.mp4', 'Part 10.mp4']);
  assert.ok(naturalCompare('Scene2', 'Scene10') < 0);
  assert.ok(naturalCompare('scene10', 'Scene2') > 0);
  assert.ok(naturalCompare('E01', 'E1') > 0, '"1" before "01" so the order is total');
  assert.equal(naturalCompare('abc', 'abc'), 0);
  assert.ok(naturalCompare('ABC', 'abc') !== 0, 'ties broken by the raw string');
  assert.ok(naturalCompare('a', 'a1') < 0);
  const big = ['x 123456789012345678901', 'x 99999999999999999999'].sort(naturalCompare);
  assert.equal(big[0], 'x 99999999999999999999', 'long numbers compare by length first');
  const disc = ['/Pack/Disc 10/01.mp4', '/Pack/Disc 2/01.mp4', '/Pack/Disc 2/10.mp4', '/Pack/Disc 2/9.mp4'].sort(naturalCompare);
  assert.deepEqual(disc, ['/Pack/Disc 2/01.mp4', '/Pack/Disc 2/9.mp4', '/Pack/Disc 2/10.mp4', '/Pack/Disc 10/01.mp4']);
});

test('subtitleLanguage from the end of the name', () => {
  const cases: Array<[string, string | null]> = [
    ['Movie.en.srt', 'en'],
    ['Movie.English.srt', 'en'],
    ['movie.pt-BR.srt', 'pt-BR'],
    ['movie.pt_br.srt', 'pt-BR'],
    ['movie.srt', null],
    ['Movie.eng.srt', 'en'],
    ['Movie.en.forced.srt', 'en'],
    ['Movie.English.SDH.srt', 'en'],
    ['Movie.English-SDH.srt', 'en'],
    ['Movie.en.hi.srt', 'en'],
    ['Movie.hi.srt', 'hi'],
    ['2_English.srt', 'en'],
    ['/Subs/Movie/3_French.srt', 'fr'],
    ['Movie.fre.ass', 'fr'],
    ['Movie.Deutsch.srt', 'de'],
    ['Movie.es-419.srt', 'es-419'],
    ['Movie.zh-Hant.srt', 'zh-Hant'],
    ['Movie.chs.ass', 'zh-Hans'],
    ['Movie.jpn.srt', 'ja'],
    ['Movie.Brazilian.srt', 'pt-BR'],
    ['It.2017.srt', null],
    ['Scene01.8K.LR.srt', null],
    ['Movie.2019.1080p.BluRay.x264-SPARKS.srt', null],
    ['Movie.forced.srt', null],
    ['Movie.xx.srt', null],
  ];
  for (const [name, lang] of cases) assert.equal(subtitleLanguage(name), lang, name);
});
