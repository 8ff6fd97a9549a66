// `npm run demo`: try debridsphere without a Real-Debrid account. Starts the project's fake RD
// with a small library of real generated videos (flat, 180° SBS, 360° TB, fisheye, a two-part
// pack with subtitles and a funscript) and the real server pointed at it.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSamples, samplesMissing } from '../test/fake-rd/samples.ts';
import { startFakeRd, type FakeTorrentSpec } from '../test/fake-rd/index.ts';
import { loadConfig, readEnvironment } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createParts } from '../src/parts.ts';
import { buildApp } from '../src/app.ts';
import { connectUrls } from '../src/net.ts';
import { installShutdown } from '../src/lifecycle.ts';

const DAY = 86_400_000;

export interface Demo {
  /** http://127.0.0.1:<port> of the running server. */
  localUrl: string;
  /** What to type on a headset (LAN addresses) and in a browser. */
  lines: string[];
  close(): Promise<void>;
}

/** Starts the fake RD and the server on it. `port` 0 picks a free port (tests); default PORT or 5090. */
export async function startDemo(opts: { env?: Record<string, string | undefined>; port?: number } = {}): Promise<Demo> {
  const s = await ensureSamples();
  const now = Date.now();
  const at = (days: number) => new Date(now - days * DAY).toISOString();
  const torrents: FakeTorrentSpec[] = [
    { filename: 'Demo.Studio.Sunset.Beach.180.LR.mp4', added: at(1), files: [{ path: '/Demo.Studio.Sunset.Beach.180.LR.mp4', source: s.sbs180.path }] },
    { filename: 'Demo.World.Tour.360.TB.mp4', added: at(3), files: [{ path: '/Demo.World.Tour.360.TB.mp4', source: s.tb360.path }] },
    { filename: 'Demo.Lens.Test.MKX200.mp4', added: at(12), files: [{ path: '/Demo.Lens.Test.MKX200.mp4', source: s.fisheye.path }] },
    { filename: 'Big.Buck.Demo.2008.1080p.BluRay.x264-DEMO', added: at(20), files: [{ path: '/Big.Buck.Demo.2008.1080p.BluRay.x264-DEMO/Big.Buck.Demo.2008.1080p.BluRay.x264-DEMO.mp4', source: s.flat.path }] },
    {
      filename: 'Demo.Pack.Vol.1.180.SBS',
      added: at(45),
      files: [
        { path: '/Demo.Pack.Vol.1.180.SBS/Part 1.mp4', source: s.part1.path },
        { path: '/Demo.Pack.Vol.1.180.SBS/Part 1.en.srt', source: s.subtitleSrt },
        { path: '/Demo.Pack.Vol.1.180.SBS/Part 1.funscript', source: s.funscript },
        { path: '/Demo.Pack.Vol.1.180.SBS/Part 2.mp4', source: s.part2.path },
        { path: '/Demo.Pack.Vol.1.180.SBS/readme.nfo', bytes: 1200, selected: false },
      ],
    },
  ];
  const fake = await startFakeRd({ torrents });
  const env = opts.env ?? readEnvironment();
  const config = loadConfig({
    ...env,
    RD_API_TOKEN: fake.token,
    RD_API_URL: fake.apiUrl,
    DATA_DIR: env.DEMO_DATA_DIR ?? join('data', 'demo'),
    PORT: env.PORT ?? '5090',
    // The fake's download server listens on this machine only: a headset could never reach a
    // redirect to it, so the demo streams through the server (which the headset does reach).
    PLAY_MODE: env.PLAY_MODE ?? 'proxy',
  });
  const logger = createLogger(config.logLevel);
  const parts = createParts(config, { logger });
  await parts.media.start();
  const app = await buildApp({ parts });
  await app.listen({ port: opts.port ?? config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  await parts.sync.refresh('full');
  const urls = { publicUrl: config.publicUrl, host: config.host, port };
  return {
    localUrl: `http://127.0.0.1:${port}`,
    lines: [
      'debridsphere demo is running on a fake Real-Debrid account with sample videos.',
      `  Browser:    ${connectUrls('/', urls)[0]}`,
      `  HereSphere: ${connectUrls('/heresphere', urls).join('  ')}`,
      `  DeoVR:      ${connectUrls('/deovr', urls).join('  ')}`,
    ],
    async close() {
      await app.close();
      await parts.close();
      await fake.close();
    },
  };
}

async function main(): Promise<void> {
  // Samples are cached in the temp dir: said only when they are really being made.
  if (samplesMissing()) console.log('Generating sample videos with the bundled ffmpeg (first run only)...');
  const demo = await startDemo();
  console.log(['', ...demo.lines, 'Press Ctrl+C to stop.', ''].join('\n'));
  installShutdown({ log: (m) => console.log(m), close: () => demo.close() });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error('demo failed:', err);
    process.exit(1);
  });
}
