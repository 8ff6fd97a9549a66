// `npm run warm [-- --only-missing] [--limit N] [--kinds probe,thumb,preview]`: pre-generates
// probes, thumbnails and previews for the whole library, newest first, within the Real-Debrid
// background budget. Resumable: finished files are on disk and skipped next time. Torrents whose
// file list is not loaded yet get it first (one RD call each, background priority), so multi-file
// torrents are warmed too instead of being skipped.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createParts } from '../src/parts.ts';
import type { MediaTarget } from '../src/media/pipeline.ts';
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
  const limit = values.limit ? Number(values.limit) : Infinity;
  if (!Number.isFinite(limit) && values.limit) throw new Error('--limit must be a number');
  let stop = false;
  process.once('SIGINT', () => {
    stop = true;
    console.error('\nstopping after the current videos (run again to resume)…');
  });

  const videos = parts.catalog.list();
  const unlisted = videos.filter((v) => !v.filesKnown && parts.targets.of(v) === null).length;
  const listBar = unlisted > 0 ? new ProgressBar('file lists', unlisted) : null;
  let listed = 0;
  let listFailed = 0;
  const targets: MediaTarget[] = [];
  for (const v of videos) {
    if (stop || targets.length >= limit) break;
    let t = parts.targets.of(v);
    if (!t && !v.filesKnown) {
      t = await parts.targets.load(v);
      if (!t && !parts.catalog.get(v.id)?.filesKnown) listFailed++;
      listBar?.update(++listed, listFailed ? `(${listFailed} could not be loaded)` : '');
    }
    if (!t) continue;
    if (values['only-missing'] && kinds.every((k) => parts.media.isReady(k, t))) continue;
    targets.push(t);
  }
  if (listBar && listed === unlisted) listBar.finish(listFailed ? `(${listFailed} could not be loaded: run again later)` : '');

  const bar = new ProgressBar('warming', targets.length);
  let done = 0;
  let failed = 0;
  let postponed = 0;
  const note = (end: boolean) =>
    [failed ? `${failed} failed${end ? ': see /healthz' : ''}` : '', postponed ? `${postponed} postponed (Real-Debrid busy${end ? ': run again later' : ''})` : '']
      .filter(Boolean)
      .join(', ');
  let braked: string | null = null;
  for (const t of targets) {
    if (stop) break;
    // The account brake (fair use, ban-like answers) and the daily cap hold every background unrestrict.
    const needsRd = kinds.some((k) => !parts.media.isReady(k, t));
    if (needsRd && !parts.brake.allowsBackgroundUnrestrict()) {
      braked = parts.brake.describe();
      break;
    }
    for (const k of kinds) {
      const r = await parts.media.ensure(k, t, 'background');
      if (r.state === 'failed') failed++;
      else if (r.state === 'pending') postponed++;
    }
    bar.update(++done, note(false) ? `(${note(false)})` : '');
  }
  bar.finish(note(true) ? `(${note(true)})` : '');
  if (braked) {
    const resumes = parts.brake.state().resumesAt;
    console.error(
      `debridsphere warm: stopped after ${done} of ${targets.length} videos: ${braked}.` +
        (resumes !== null ? ` Run \`npm run warm\` again after ${new Date(resumes).toISOString().slice(0, 16).replace('T', ' ')} UTC; it continues where it stopped.` : ''),
    );
  }
  await parts.close();
}

main().catch((err) => {
  console.error('debridsphere warm failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
