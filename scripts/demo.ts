// `npm run demo`: try debridsphere without a Real-Debrid account. Starts the project's fake RD
// with a small library of real generated videos (flat, 180° SBS, 360° TB, fisheye, a two-part
// pack with subtitles and a funscript) and the real server pointed at it.
import { join } from 'node:path';
import { ensureSamples } from '../test/fake-rd/samples.ts';
import { startFakeRd, type FakeTorrentSpec } from '../test/fake-rd/index.ts';
import { loadConfig, readEnvironment } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createParts } from '../src/parts.ts';
import { buildApp } from '../src/app.ts';
import { connectUrls } from '../src/net.ts';

const DAY = 86_400_000;

async function main(): Promise<void> {
  console.log('Generating sample videos with the bundled ffmpeg (first run only)...');
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
  const env = readEnvironment();
  const config = loadConfig({
    ...env,
    RD_API_TOKEN: fake.token,
    RD_API_URL: fake.apiUrl,
    DATA_DIR: env.DEMO_DATA_DIR ?? join('data', 'demo'),
    PORT: env.PORT ?? '5090',
  });
  const logger = createLogger(config.logLevel);
  const parts = createParts(config, { logger });
  await parts.media.start();
  const app = await buildApp({ parts });
  await app.listen({ port: config.port, host: config.host });
  await parts.sync.refresh('full');
  const urls = { publicUrl: config.publicUrl, host: config.host, port: config.port };
  console.log(
    [
      '',
      'debridsphere demo is running on a fake Real-Debrid account with sample videos.',
      `  Browser:    ${connectUrls('/', urls)[0]}`,
      `  HereSphere: ${connectUrls('/heresphere', urls).join('  ')}`,
      `  DeoVR:      ${connectUrls('/deovr', urls).join('  ')}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await app.close();
    await parts.close();
    await fake.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error('demo failed:', err);
  process.exit(1);
});
