// `npm run warm`: pre-generates probes, thumbnails and previews for the library with a progress
// line, honours --limit, and a second --only-missing run finds nothing left to do (resumable).
// A multi-file torrent whose file list is not loaded yet (no background backfill) is warmed too:
// warm loads the list first instead of skipping the video.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeRd } from './fake-rd/index.ts';
import { ensureSamples } from './fake-rd/samples.ts';

function runWarm(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'scripts', 'warm.ts'), ...args], {
      cwd: env.DATA_DIR,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('warm generates media with progress, respects --limit, and resumes with --only-missing', { timeout: 180_000 }, async (t) => {
  const s = await ensureSamples();
  const fake = await startFakeRd({
    torrents: [
      { filename: 'D Pack', files: [{ path: '/D Pack/D1.mp4', source: s.part1.path }, { path: '/D Pack/D2.mp4', source: s.part2.path }] },
      { filename: 'A.180.LR.mp4', files: [{ path: '/A.180.LR.mp4', source: s.sbs180.path }] },
      { filename: 'B.360.TB.mp4', files: [{ path: '/B.360.TB.mp4', source: s.tb360.path }] },
      { filename: 'C.Movie.2020.1080p.mp4', files: [{ path: '/C.Movie.2020.1080p.mp4', source: s.flat.path }] },
    ],
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'ds-warm-'));
  t.after(async () => {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: dataDir, RD_INFO_BACKFILL_PER_MINUTE: '0' };
  const media = () => readdirSync(join(dataDir, 'media'), { recursive: true }).map(String).filter((f) => /\.(jpg|mp4)$/.test(f));

  const first = await runWarm(env, ['--limit', '1', '--kinds', 'probe,thumb']);
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, /warming .* 1\/1 100% ETA/);
  assert.equal(media().filter((f) => f.endsWith('.jpg')).length, 1);
  assert.match(first.out, /file lists .* 1\/1 100%/, 'the pack (newest) had its file list loaded first');
  assert.doesNotMatch(first.out, /could not be loaded/);

  const all = await runWarm(env, ['--only-missing']);
  assert.equal(all.code, 0, all.out);
  assert.match(all.out, /4\/4 100%/);
  assert.equal(media().filter((f) => f.endsWith('.jpg')).length, 4, 'the multi-file pack is not skipped');
  assert.equal(media().filter((f) => f.endsWith('.mp4')).length, 4);
  assert.doesNotMatch(all.out, /file lists/, 'a loaded file list is kept: not fetched again');

  const again = await runWarm(env, ['--only-missing']);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /0\/0 100%/, 'nothing left to do');
});

test('warm stops at the daily cap of background unrestricts, says how far it got and when to run it again', { timeout: 180_000 }, async (t) => {
  const s = await ensureSamples();
  const fake = await startFakeRd({
    torrents: [
      { filename: 'A.180.LR.mp4', files: [{ path: '/A.180.LR.mp4', source: s.sbs180.path }] },
      { filename: 'B.360.TB.mp4', files: [{ path: '/B.360.TB.mp4', source: s.tb360.path }] },
      { filename: 'C.Movie.2020.1080p.mp4', files: [{ path: '/C.Movie.2020.1080p.mp4', source: s.flat.path }] },
    ],
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'ds-warm-cap-'));
  t.after(async () => {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { RD_API_URL: fake.apiUrl, RD_API_TOKEN: fake.token, DATA_DIR: dataDir, RD_INFO_BACKFILL_PER_MINUTE: '0', RD_BACKGROUND_UNRESTRICTS_PER_DAY: '1' };
  const r = await runWarm(env, ['--kinds', 'probe']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /stopped after 1 of 3 videos: the daily cap of 1 background unrestricts \(RD_BACKGROUND_UNRESTRICTS_PER_DAY\) is used up/);
  assert.match(r.out, /Run `npm run warm` again after \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  assert.equal(fake.count('unrestrict'), 1, 'no unrestrict past the cap');
});
