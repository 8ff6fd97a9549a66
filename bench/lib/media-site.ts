// A fresh install on a library of real (small) videos for the issue-13 benchmarks: the fake RD
// (80 ms per API call, 40 ms per CDN range) serving n single-file torrents and a few multi-part
// packs whose files are the generated samples, and the real server process on an empty data dir.
// Helpers poll as the browser does.
import { ensureSamples } from '../../test/fake-rd/samples.ts';
import { startFakeRd, type FakeRd, type FakeTorrentSpec } from '../../test/fake-rd/index.ts';
import { emptyDataDir, removeDir } from './fixture.ts';
import { timed } from './http.ts';
import { spawnServer, type ServerProc } from './server.ts';
import { sleep } from './serve.ts';

export const CDN_LATENCY_MS = 40;

export interface MediaSite {
  fake: FakeRd;
  proc: ServerProc;
  url: string;
  /** Video ids, newest first (the browser's default order). */
  ids: string[];
  close(): Promise<void>;
}

/** n videos: every 10th a pack of `parts` files, the rest single files; added one minute apart. */
export async function startMediaSite(n: number, opts: { latencyMs: number; env?: Record<string, string>; parts?: number }): Promise<MediaSite> {
  const s = await ensureSamples();
  const pool = [s.sbs180, s.tb360, s.flat, s.fisheye];
  const now = Date.now();
  const torrents: FakeTorrentSpec[] = Array.from({ length: n }, (_, i) => {
    const added = new Date(now - i * 60_000).toISOString();
    if (i % 10 === 5) {
      const name = `Bench.Pack.${i}.180.SBS`;
      return { filename: name, added, files: Array.from({ length: opts.parts ?? 2 }, (_, p) => ({ path: `/${name}/Part ${p + 1}.mp4`, source: (p % 2 ? s.part2 : s.part1).path })) };
    }
    const sample = pool[i % pool.length]!;
    const name = `Bench.Video.${String(i).padStart(5, '0')}.${sample.stereo === 'mono' ? '1080p' : '180.LR'}.mp4`;
    return { filename: name, added, files: [{ path: `/${name}`, source: sample.path }] };
  });
  const fake = await startFakeRd({ torrents, latencyMs: opts.latencyMs, cdnLatencyMs: CDN_LATENCY_MS });
  const dataDir = emptyDataDir('media-site');
  // A fresh install runs the file-list backfill at its default (the other benchmarks' servers turn
  // it off to keep RD quiet; an empty value means "not set" to the server's config).
  const proc = await spawnServer({ dataDir, fake, env: { RD_INFO_BACKFILL_PER_MINUTE: '', ...opts.env } });
  let ids: string[] = [];
  const t0 = performance.now();
  while (ids.length < n) {
    if (performance.now() - t0 > 180_000) throw new Error('library not listed');
    const r = await timed(proc.url + '/api/library').catch(() => null);
    if (r?.status === 200) ids = (JSON.parse(r.body.toString('utf8')) as { videos: Array<{ id: string; added: string }> }).videos.sort((a, b) => (a.added < b.added ? 1 : -1)).map((v) => v.id);
    if (ids.length < n) await sleep(200);
  }
  return {
    fake,
    proc,
    url: proc.url,
    ids,
    close: async () => {
      await proc.stop();
      await fake.close();
      removeDir(dataDir);
    },
  };
}

/** As the browser's hover: GET the preview, then ask again after Retry-After (at least 1 s) until it is there. ms to the MP4. */
export async function hoverUntilPlaying(url: string, id: string, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const r = await timed(`${url}/preview/${id}.mp4`, { method: 'HEAD' });
    if (r.status === 200) return performance.now() - t0;
    if (r.status !== 503) throw new Error(`/preview/${id}.mp4 answered ${r.status}`);
    if (performance.now() - t0 > timeoutMs) throw new Error(`preview of ${id} not made in ${timeoutMs} ms`);
    const after = Number(r.headers['retry-after'] ?? 5);
    await sleep(Math.max(1, Math.min(10, Number.isFinite(after) ? after : 5)) * 1000);
  }
}

/** As the browser's thumbnail poller: ask for every card's thumbnail, then again each second until all are real. ms until all are. */
export async function thumbsUntilReal(url: string, ids: readonly string[], timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  const left = new Set(ids);
  for (;;) {
    await Promise.all(
      [...left].map(async (id) => {
        const r = await timed(`${url}/thumb/${id}.jpg`);
        if (r.status === 200 && r.headers['x-media-state'] === undefined) left.delete(id);
      }),
    );
    if (left.size === 0) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${left.size} thumbnails not made in ${timeoutMs} ms`);
    await sleep(1000);
  }
}
