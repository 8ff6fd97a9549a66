// `npm run warm [-- --only-missing] [--limit N] [--kinds probe,thumb,preview]`: pre-generates
// probes, thumbnails and previews for the whole library, newest first, within the Real-Debrid
// background budget. Resumable: finished files are on disk and skipped next time.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createParts } from '../src/parts.ts';
import { ProgressBar } from './progress.ts';

const { values } = parseArgs({
  options: {
    'only-missing': { type: 'boolean', default: false },
    limit: { type: 'string' },
    kinds: { type: 'string', default: 'probe,thumb,preview' },
  },
});

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`debridsphere warm: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  if (!config.rdToken) {
    console.error('debridsphere warm: set RD_API_TOKEN first.');
    process.exit(1);
  }
  const parts = createParts(config, { logger: createLogger('warn') });
  const state = await parts.media.start();
  if (!state.ffmpeg) {
    console.error(`debridsphere warm: ${state.message ?? 'ffmpeg is not available'}`);
    process.exit(1);
  }
  await parts.sync.refresh();
  const kinds = values.kinds.split(',').filter((k): k is 'probe' | 'thumb' | 'preview' => ['probe', 'thumb', 'preview'].includes(k));
  let targets = parts.catalog
    .list()
    .map((v) => parts.mediaTarget(v))
    .filter((t) => t !== null);
  if (values['only-missing']) targets = targets.filter((t) => kinds.some((k) => !parts.media.isReady(k, t)));
  const limit = values.limit ? Number(values.limit) : Infinity;
  if (!Number.isFinite(limit) && values.limit) throw new Error('--limit must be a number');
  targets = targets.slice(0, limit);
  const bar = new ProgressBar('warming', targets.length);
  let done = 0;
  let failed = 0;
  let stop = false;
  process.once('SIGINT', () => {
    stop = true;
    console.error('\nstopping after the current videos (run again to resume)…');
  });
  for (const t of targets) {
    if (stop) break;
    for (const k of kinds) {
      const r = await parts.media.ensure(k, t, 'background');
      if (r.state === 'failed') failed++;
    }
    bar.update(++done, failed ? `(${failed} failed)` : '');
  }
  bar.finish(failed ? `(${failed} failed: see /healthz)` : '');
  await parts.close();
}

main().catch((err) => {
  console.error('debridsphere warm failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
