// The player-facing API on a stored library, against the real server process and the fake RD
// with latency: HereSphere index and scan (cold = first answer after start, warm = repeated;
// wire size gzipped and raw), DeoVR index, a video object cold (torrent info not stored yet) and
// warm, /play to the redirect (first and repeated), and the RD calls each of them spends.
import { gunzipSync } from 'node:zlib';
import { videoIdFromHash } from '../src/library/ids.ts';
import { check, progress, type BenchResult, type Cell, type Check } from './lib/report.ts';
import { fmtBytes, fmtMs, summarize, type Summary } from './lib/stats.ts';
import { isCold, libraryOf } from './lib/fixture.ts';
import { timed, type Timed, type TimedInit } from './lib/http.ts';
import { HS_HEADERS } from './lib/server.ts';
import { sleep, startLibraryServer, type LibraryServer } from './lib/serve.ts';
import { fmtN, type BenchOptions } from './lib/options.ts';

const DEOVR_HEADERS = { 'user-agent': 'Mozilla/5.0 (Linux; Android 12; Quest 3) DeoVR/13.4', 'accept-encoding': 'gzip' };
/** RD budget: 180 calls/min with a burst of 8; spacing calls keeps the scheduler from queueing them. */
const RD_SPACING_MS = 400;
/** A video object's own RD call is the torrent info; the probe it queues unrestricts later, in the background lane. */
const PROBE_ROUTES = ['unrestrict'];

interface Measured {
  summary: Summary;
  bytes: number;
  rawBytes?: number;
  /** RD calls made while the requests were in flight, per request (median). */
  rdPerRequest: number;
  rdTotal: number;
}

/** RD API calls so far, optionally leaving out some routes. */
function rdCalls(s: LibraryServer, except: readonly string[] = []): number {
  return s.fake.requests.filter((e) => e.route !== 'cdn' && !except.includes(e.route)).length;
}

async function measure(s: LibraryServer, path: string, init: TimedInit, times: number, gapMs = 0, except: readonly string[] = []): Promise<Measured & { samples: Timed[] }> {
  const samples: Timed[] = [];
  const rd: number[] = [];
  for (let i = 0; i < times; i++) {
    const before = rdCalls(s, except);
    const t = await timed(s.url + path, init);
    if (t.status >= 400) throw new Error(`${path} answered ${t.status}: ${t.body.toString('utf8').slice(0, 200)}`);
    rd.push(rdCalls(s, except) - before);
    samples.push(t);
    if (gapMs) await sleep(gapMs);
  }
  return {
    summary: summarize(samples.map((t) => t.ms)),
    bytes: samples[samples.length - 1]?.bytes ?? 0,
    rdPerRequest: summarize(rd).median,
    rdTotal: rd.reduce((a, b) => a + b, 0),
    samples,
  };
}

const post = (headers: Record<string, string>, body = '{}'): TimedInit => ({ method: 'POST', headers, body });

/** Ids of single-file torrents (file id 1 is the video) with or without stored info. */
function pickIds(n: number, cold: boolean, count: number, skip = 0): string[] {
  const out: string[] = [];
  libraryOf(n).forEach((t, i) => {
    if (isCold(i) === cold && t.files.length === 1 && out.length < count + skip) out.push(videoIdFromHash(t.hash!));
  });
  return out.slice(skip);
}

async function directUnrestrictMs(s: LibraryServer, videoIndexes: number[]): Promise<number[]> {
  const lib = libraryOf(s.n);
  const out: number[] = [];
  for (const i of videoIndexes) {
    const t = lib[i]!;
    // The restricted link of file 1: ask the fake's info (not counted against the server).
    const info = (await (await fetch(`${s.fake.apiUrl}/torrents/info/${t.id}`, { headers: { authorization: `Bearer ${s.fake.token}` } })).json()) as { links: string[] };
    const t0 = performance.now();
    const res = await fetch(`${s.fake.apiUrl}/unrestrict/link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ link: info.links[0]! }).toString(),
    });
    await res.arrayBuffer();
    out.push(performance.now() - t0);
    await sleep(RD_SPACING_MS);
  }
  return out;
}

async function forSize(n: number, opts: BenchOptions, rows: Array<Record<string, Cell>>, checks: Check[], data: Record<string, unknown>): Promise<void> {
  const s = await startLibraryServer(n, { latencyMs: opts.latencyMs });
  const reps = opts.repeats;
  const count = Math.min(reps, 20);
  const d: Record<string, unknown> = {};
  const row = (request: string, kase: string, m: Measured) => {
    rows.push({
      torrents: fmtN(n),
      request,
      case: kase,
      median: fmtMs(m.summary.median),
      p95: fmtMs(m.summary.p95),
      'wire size': fmtBytes(m.bytes),
      'raw size': m.rawBytes === undefined ? '' : fmtBytes(m.rawBytes),
      'RD calls/request': m.rdPerRequest,
    });
    d[`${request} ${kase}`] = { ...m, samples: undefined };
  };
  try {
    s.fake.clearLog();
    progress(`api ${fmtN(n)}: index, scan, DeoVR`);
    const endpoints: Array<[string, string, TimedInit, TimedInit]> = [
      ['POST /heresphere', '/heresphere', post(HS_HEADERS), post({ ...HS_HEADERS, 'accept-encoding': 'identity' })],
      ['POST /heresphere/scan', '/heresphere/scan', post(HS_HEADERS), post({ ...HS_HEADERS, 'accept-encoding': 'identity' })],
      ['GET /deovr', '/deovr', { headers: DEOVR_HEADERS }, { headers: { ...DEOVR_HEADERS, 'accept-encoding': 'identity' } }],
      ['GET /api/library (browser)', '/api/library', { headers: { 'accept-encoding': 'gzip' } }, { headers: {} }],
    ];
    const warm: Record<string, Measured> = {};
    for (const [label, path, init, plain] of endpoints) {
      const cold = await measure(s, path, init, 1);
      const w = await measure(s, path, init, reps);
      const raw = await timed(s.url + path, plain);
      const last = w.samples[w.samples.length - 1]!;
      const decoded = last.headers['content-encoding'] === 'gzip' ? gunzipSync(last.body) : last.body;
      if (!decoded.equals(raw.body)) throw new Error(`${path}: the gzipped body does not decode to the plain body`);
      JSON.parse(raw.body.toString('utf8')); // and it is JSON
      w.rawBytes = raw.bytes;
      cold.rawBytes = raw.bytes;
      const etag = w.samples[0]?.headers['etag'];
      row(label, 'cold (first)', cold);
      row(label, 'warm', w);
      if (typeof etag === 'string') {
        const nm = await measure(s, path, { ...init, headers: { ...init.headers, 'if-none-match': etag } }, reps);
        row(label, 'warm, If-None-Match (304)', nm);
      }
      warm[label] = w;
      d[`${label} cold`] = { ...cold, samples: undefined };
    }

    progress(`api ${fmtN(n)}: /play`);
    const playCount = Math.min(reps, 12);
    const playIdx: number[] = [];
    libraryOf(n).forEach((t, i) => {
      if (!isCold(i) && t.files.length === 1 && playIdx.length < playCount + 2 * count + 5) playIdx.push(i);
    });
    const fresh = playIdx.slice(-playCount); // never asked for before
    const directIdx = playIdx.slice(count, count + playCount); // used only for direct calls
    const firstPlays: Timed[] = [];
    const playRd: number[] = [];
    const directMs: number[] = [];
    const pairDiffs: number[] = [];
    for (let k = 0; k < fresh.length; k++) {
      // RD's own time for the same call right before, so both see the same load.
      const direct = (await directUnrestrictMs(s, [directIdx[k % directIdx.length]!]))[0]!;
      const id = videoIdFromHash(libraryOf(n)[fresh[k]!]!.hash!);
      const m = await measure(s, `/play/${id}/1`, { headers: { 'user-agent': 'HereSphere' } }, 1, RD_SPACING_MS);
      if (m.samples[0]!.status !== 302) throw new Error(`/play answered ${m.samples[0]!.status}`);
      firstPlays.push(...m.samples);
      playRd.push(m.rdTotal);
      directMs.push(direct);
      pairDiffs.push(m.samples[0]!.ms - direct);
    }
    const firstPlay: Measured = { summary: summarize(firstPlays.map((t) => t.ms)), bytes: 0, rdPerRequest: summarize(playRd).median, rdTotal: playRd.reduce((a, b) => a + b, 0) };
    row('GET /play/{id}/{file}', 'first (unrestrict)', firstPlay);
    const repeatIds = fresh.map((i) => videoIdFromHash(libraryOf(n)[i]!.hash!));
    const repSamples: Timed[] = [];
    let repRd = 0;
    for (let r = 0; r < Math.max(1, Math.floor(reps / repeatIds.length)); r++) {
      for (const id of repeatIds) {
        const m = await measure(s, `/play/${id}/1`, { headers: { 'user-agent': 'HereSphere' } }, 1);
        repSamples.push(...m.samples);
        repRd += m.rdTotal;
      }
    }
    const repeatPlay: Measured = { summary: summarize(repSamples.map((t) => t.ms)), bytes: 0, rdPerRequest: repRd / repSamples.length, rdTotal: repRd };
    row('GET /play/{id}/{file}', 'repeated (within 2 h)', repeatPlay);
    const rdOwn = summarize(directMs);
    const overhead = summarize(pairDiffs).median;
    rows.push({ torrents: fmtN(n), request: 'RD unrestrict, called directly', case: 'RD’s own latency', median: fmtMs(rdOwn.median), p95: fmtMs(rdOwn.p95), 'wire size': '', 'raw size': '', 'RD calls/request': 1 });
    d['rd own unrestrict'] = rdOwn;
    d['play overhead ms'] = overhead;

    progress(`api ${fmtN(n)}: video objects`);
    const unrestrictsBefore = s.fake.count('unrestrict');
    const coldIds = pickIds(n, true, count);
    const coldM = { samples: [] as Timed[], rd: [] as number[] };
    for (const id of coldIds) {
      const m = await measure(s, `/heresphere/${id}`, post(HS_HEADERS), 1, RD_SPACING_MS, PROBE_ROUTES);
      coldM.samples.push(...m.samples);
      coldM.rd.push(m.rdTotal);
    }
    const coldVideo: Measured = { summary: summarize(coldM.samples.map((t) => t.ms)), bytes: coldM.samples[0]?.bytes ?? 0, rdPerRequest: summarize(coldM.rd).median, rdTotal: coldM.rd.reduce((a, b) => a + b, 0) };
    row('POST /heresphere/{id}', 'cold (info not stored)', coldVideo);
    const again = await measure(s, `/heresphere/${coldIds[0]}`, post(HS_HEADERS), reps, 0, PROBE_ROUTES);
    row('POST /heresphere/{id}', 'warm (same video again)', again);
    const storedIds = pickIds(n, false, count);
    const firstStored = { samples: [] as Timed[], rd: 0 };
    for (const id of storedIds) {
      const m = await measure(s, `/heresphere/${id}`, post(HS_HEADERS), 1, 0, PROBE_ROUTES);
      firstStored.samples.push(...m.samples);
      firstStored.rd += m.rdTotal;
    }
    const stored: Measured = { summary: summarize(firstStored.samples.map((t) => t.ms)), bytes: firstStored.samples[0]?.bytes ?? 0, rdPerRequest: firstStored.rd / storedIds.length, rdTotal: firstStored.rd };
    row('POST /heresphere/{id}', 'warm (info stored, first ask)', stored);
    await sleep(2000);
    const bgUnrestricts = s.fake.count('unrestrict') - unrestrictsBefore;
    d['video objects: background probe unrestricts within 2 s'] = bgUnrestricts;
    rows.push({ torrents: fmtN(n), request: 'POST /heresphere/{id}', case: `background probes queued by ${coldIds.length + storedIds.length} objects`, median: '', p95: '', 'wire size': '', 'raw size': '', 'RD calls/request': `${bgUnrestricts} unrestricts in 2 s` });

    data[String(n)] = d;
    const idx = warm['POST /heresphere']!;
    const scan = warm['POST /heresphere/scan']!;
    if (n === 10_000) {
      checks.push(check('10k: /heresphere index, warm (median)', '≤ 30 ms', fmtMs(idx.summary.median), idx.summary.median <= 30));
      checks.push(check('10k: /heresphere/scan, warm (median)', '≤ 200 ms', fmtMs(scan.summary.median), scan.summary.median <= 200));
      checks.push(check('10k: video object, warm (median)', '≤ 5 ms', `${fmtMs(again.summary.median)} again / ${fmtMs(stored.summary.median)} first ask`, Math.max(again.summary.median, stored.summary.median) <= 5));
      checks.push(check('10k: video object, warm: RD calls by the request', '0', `${again.rdTotal + stored.rdTotal}`, again.rdTotal + stored.rdTotal === 0));
      checks.push(check('10k: video object, cold: RD calls by the request', 'exactly 1', coldM.rd.join(','), coldM.rd.every((c) => c === 1)));
      checks.push(check('10k: /play overhead beyond RD’s own latency (median of pairs)', '≤ 5 ms', `${fmtMs(overhead)} (medians ${fmtMs(firstPlay.summary.median)} vs ${fmtMs(rdOwn.median)})`, overhead <= 5));
      checks.push(check('10k: repeated /play within 2 h: RD calls', '0', String(repRd), repRd === 0));
    }
    if (n === 50_000) {
      checks.push(check('50k: /heresphere index, warm (median)', '≤ 150 ms', fmtMs(idx.summary.median), idx.summary.median <= 150));
    }
  } finally {
    await s.close();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const rows: Array<Record<string, Cell>> = [];
  const checks: Check[] = [];
  const data: Record<string, unknown> = {};
  for (const n of opts.quick ? opts.sizes.slice(-1) : opts.sizes) await forSize(n, opts, rows, checks, data);
  return [
    {
      name: 'api',
      title: `Player API on a stored library (server process, fake RD with ${opts.latencyMs} ms latency)`,
      columns: ['torrents', 'request', 'case', 'median', 'p95', 'wire size', 'raw size', 'RD calls/request'],
      rows,
      checks,
      notes: [
        'Times are from sending the request to the last body byte (undici client, keep-alive), gzip accepted as HereSphere does; "raw size" is the same body without gzip.',
        'cold = the first answer after start-up (the response cache is empty); warm = repeated (medians over the repeats).',
        `Video objects: "cold" = a torrent whose info is not stored yet (one GET /torrents/info/{id}); RD calls are those made while the request is in flight, unrestricts aside: opening a video object also queues a background probe (one background-lane unrestrict after the answer), listed on its own row. Requests that call RD are spaced ${RD_SPACING_MS} ms apart to stay inside the 180/min budget.`,
        '/play overhead = median over pairs of (time to the 302) − (the same kind of unrestrict call made directly to the fake RD just before, for another torrent).',
      ],
      data,
    },
  ];
}
