// A hover on a card whose file list is not loaded yet (a pack, fresh install) is a person waiting
// (issue 13): the list is fetched at the hover's class, not queued in the background lane behind
// the file-list backfill. Found by the hover-preview bench: with the backfill on, a pack's hover
// waited over two minutes for its list. Here the background lane is held outright by jobs that do
// not finish until the end, so anything that waits in it never plays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './helpers/harness.ts';
import { ensureSamples } from './fake-rd/samples.ts';
import { waitFor } from './helpers/wait.ts';

let h: Harness;
let release: () => void = () => undefined;
const held: Array<Promise<unknown>> = [];

before(async () => {
  const samples = await ensureSamples();
  h = await startHarness({
    torrents: [
      {
        filename: 'Hover.Pack.180.SBS',
        added: new Date().toISOString(),
        files: [
          { path: '/Hover.Pack.180.SBS/Part 1.mp4', source: samples.part1.path },
          { path: '/Hover.Pack.180.SBS/Part 2.mp4', source: samples.part2.path },
        ],
      },
    ],
    env: { RD_INFO_BACKFILL_PER_MINUTE: '0', MEDIA_BACKGROUND_PROBE: 'false' },
  });
});
after(async () => {
  release();
  await Promise.allSettled(held);
  await h?.close();
});

test('a hovered pack whose file list is unknown gets it at once, ahead of a held background lane', async () => {
  assert.equal((await fetch(`${h.url}/api/library`)).status, 200); // the first sync, as a browser's first visit
  const pack = h.parts.catalog.list()[0]!;
  assert.equal(pack.filesKnown, false, 'a fresh pack: its files are not known yet');
  // Background work that holds every connection it may take, and a long queue behind it.
  const gate = new Promise<void>((r) => (release = r));
  for (let i = 0; i < 50; i++) held.push(h.parts.scheduler.run('background', () => gate).catch(() => undefined));
  const ask = () => fetch(`${h.url}/preview/${pack.id}.mp4`, { method: 'HEAD', headers: { 'x-media-probe': '1' } });
  const first = await ask();
  assert.equal(first.status, 202, 'not made yet: the browser is told to ask again');
  await waitFor(async () => (await ask()).status === 200, 'the hovered preview is made while the background lane is held', 60_000);
  assert.equal(h.parts.catalog.get(pack.id)!.filesKnown, true, 'the file list was fetched and stored');
});
