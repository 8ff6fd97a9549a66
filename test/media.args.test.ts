// The pure parts of the media pipeline: ffmpeg/ffprobe command lines (input seeking, one eye,
// JPEG not WEBP, H.264 + faststart, one seek per preview moment), probe parsing, failure reasons
// and Range parsing for the routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EYE_CROP, eyeScaleFilter, netInputOptions } from '../src/media/args.ts';
import { thumbArgs, thumbSeekMs } from '../src/media/thumbnail.ts';
import { previewArgs, previewMoments, PREVIEW_CLIP_MS } from '../src/media/preview.ts';
import { parseProbe, parseRate, probeArgs } from '../src/media/ffprobe.ts';
import { describeFailure } from '../src/media/run.ts';
import { parseRange } from '../src/api/media.ts';

const NET = netInputOptions();

test('thumbnail args: input seek 15% in, keyframe only, one JPEG frame, ~640 px, one eye', () => {
  for (const stereo of ['mono', 'sbs', 'tb'] as const) {
    const a = thumbArgs({ input: 'http://x/v.mp4', net: NET, durationMs: 600_000, stereo, out: '/tmp/o.jpg' });
    const i = a.indexOf('-i');
    assert.ok(a.indexOf('-ss') < i && a.indexOf('-ss') >= 0, '-ss before -i (input seeking)');
    assert.equal(a[a.indexOf('-ss') + 1], '90.000');
    assert.ok(a.indexOf('-noaccurate_seek') < i);
    assert.ok(a.indexOf('-rw_timeout') < i && a.indexOf('-reconnect') < i, 'network options apply to the input');
    assert.deepEqual(a.slice(a.indexOf('-frames:v'), a.indexOf('-frames:v') + 2), ['-frames:v', '1']);
    assert.deepEqual(a.slice(-3), ['-f', 'mjpeg', '/tmp/o.jpg']);
    assert.ok(!a.join(' ').toLowerCase().includes('webp'));
    const vf = a[a.indexOf('-vf') + 1]!;
    assert.match(vf, /scale=w='min\(640,iw\)':h=-2$/);
    assert.equal(vf.includes('crop'), stereo !== 'mono');
    if (EYE_CROP[stereo]) assert.ok(vf.startsWith(EYE_CROP[stereo]!));
  }
  assert.equal(EYE_CROP.sbs, 'crop=iw/2:ih:0:0');
  assert.equal(EYE_CROP.tb, 'crop=iw:ih/2:0:0');
});

test('thumbnail seek: 15% of the duration, 0 when unknown or tiny, never past the end', () => {
  assert.equal(thumbSeekMs(0), 0);
  assert.equal(thumbSeekMs(1500), 0);
  assert.equal(thumbSeekMs(100_000), 15_000);
  assert.ok(thumbSeekMs(3000) <= 2000);
});

test('preview moments: 5 x 1.5 s spread between 10% and 90%, < 10 s in total', () => {
  const d = 20 * 60_000;
  const m = previewMoments(d);
  assert.equal(m.length, 5);
  assert.ok(m.every((x) => x.lengthMs === PREVIEW_CLIP_MS));
  assert.ok(m.reduce((s, x) => s + x.lengthMs, 0) < 10_000);
  assert.ok(m[0]!.startMs >= d * 0.1 && m.at(-1)!.startMs + PREVIEW_CLIP_MS <= d * 0.9);
  assert.ok(m.every((x, i) => i === 0 || x.startMs > m[i - 1]!.startMs + PREVIEW_CLIP_MS), 'no overlap');
  assert.deepEqual(previewMoments(5000), [{ startMs: 0, lengthMs: 5000 }], 'short video: one clip, at most its length');
  assert.deepEqual(previewMoments(0), [{ startMs: 0, lengthMs: 7500 }], 'unknown duration: one clip from the start');
  assert.equal(previewMoments(20_000).length, 5, 'a 20 s sample still gets 5 moments');
});

test('preview args: one -ss/-t/-i per moment, concat, muted H.264 yuv420p with faststart', () => {
  const moments = previewMoments(600_000);
  const inputs = moments.map((_, i) => `http://relay/s/${i}`);
  const a = previewArgs({ inputs, net: NET, moments, stereo: 'sbs', out: '/tmp/p.mp4' });
  const iAt = a.flatMap((x, i) => (x === '-i' ? [i] : []));
  assert.equal(iAt.length, 5);
  iAt.forEach((i, k) => {
    assert.equal(a[i + 1], inputs[k]);
    assert.equal(a[i - 4], '-ss');
    assert.equal(a[i - 3], (moments[k]!.startMs / 1000).toFixed(3));
    assert.deepEqual(a.slice(i - 2, i), ['-t', '1.500']);
    assert.equal(a[i - 5 - NET.length + 1], NET[0], 'each input has its own network options');
  });
  const fc = a[a.indexOf('-filter_complex') + 1]!;
  assert.match(fc, /concat=n=5:v=1:a=0\[out\]$/);
  assert.equal(fc.split('crop=iw/2:ih:0:0').length - 1, 5, 'every moment cropped to one eye');
  assert.match(fc, /scale=w='min\(480,iw\)'/);
  for (const [k, v] of [['-c:v', 'libx264'], ['-pix_fmt', 'yuv420p'], ['-movflags', '+faststart'], ['-f', 'mp4']]) {
    assert.equal(a[a.indexOf(k!) + 1], v);
  }
  assert.ok(a.includes('-an'));
  assert.throws(() => previewArgs({ inputs: inputs.slice(1), net: NET, moments, stereo: 'mono', out: 'x' }));
});

test('probe args and parsing: first real video stream, rational frame rates, reasons on failure', () => {
  const a = probeArgs('http://x/v', NET);
  assert.ok(a.indexOf('-rw_timeout') < a.indexOf('http://x/v'));
  const json = JSON.stringify({
    streams: [
      { index: 0, codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, avg_frame_rate: '0/0', disposition: { attached_pic: 1 } },
      { index: 1, codec_type: 'audio', codec_name: 'aac' },
      { index: 2, codec_type: 'video', codec_name: 'hevc', width: 8192, height: 4096, avg_frame_rate: '60000/1001', disposition: { attached_pic: 0 } },
    ],
    format: { duration: '3661.5' },
  });
  assert.deepEqual(parseProbe(json), { durationMs: 3_661_500, width: 8192, height: 4096, codec: 'hevc', fps: 59.94, spatial: null }, 'no side data: the file says nothing');
  assert.equal(parseRate('30000/1001'), 29.97);
  assert.equal(parseRate('0/0'), 0);
  assert.equal(parseRate('25'), 25);
  assert.throws(() => parseProbe('{"streams":[{"codec_type":"audio"}],"format":{"duration":"3"}}'), /no video stream/);
  assert.throws(() => parseProbe('{"streams":[{"codec_type":"video","width":10,"height":10}],"format":{}}'), /duration unknown/);
  assert.throws(() => parseProbe('not json'), /no readable answer/);
});

test('failure reasons: last meaningful stderr lines, URLs removed', () => {
  const base = { code: 1, timedOut: false, aborted: false, spawnError: null, stdout: '' };
  const reason = describeFailure({
    ...base,
    stderrTail: '[http @ 0x1] Stream ends prematurely at 65584, should be 200\nhttps://cdn.example/d/SECRETID/v.mp4: Server returned 404 Not Found\n',
  });
  assert.equal(reason, '<source> Server returned 404 Not Found');
  assert.ok(!reason.includes('SECRETID'));
  assert.equal(describeFailure({ ...base, stderrTail: '', code: 1 }), 'exit code 1');
  assert.equal(describeFailure({ ...base, code: null, timedOut: true, stderrTail: '' }, 60_000), 'timed out after 60 s');
  assert.match(describeFailure({ ...base, code: null, spawnError: 'spawn ENOENT', stderrTail: '' }), /could not start/);
});

test('Range parsing for cached files', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=0-5000', 1000), { start: 0, end: 999 });
  assert.equal(parseRange('bytes=1000-', 1000), 'bad');
  assert.equal(parseRange('bytes=-0', 1000), 'bad');
  assert.equal(parseRange('items=0-1', 1000), null);
  assert.equal(parseRange(undefined, 1000), null);
});

test('eye filter for mono is only a scale', () => {
  assert.equal(eyeScaleFilter('mono', 480), "scale=w='min(480,iw)':h=-2");
});
