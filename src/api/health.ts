// GET /healthz: library size, last sync and Real-Debrid budget state for humans and monitors.
// Never a secret: no token, no download URL, no user data. Open to anyone, but with auth on an
// anonymous caller (req.access !== 1, set by the auth plugin) learns only that it is up.
import type { FastifyInstance } from 'fastify';
import type { Parts } from '../parts.ts';
import { brakeView, libraryProgress } from './status.ts';

export default async function healthRoutes(
  app: FastifyInstance,
  opts: { parts: Pick<Parts, 'rd' | 'scheduler' | 'catalog' | 'sync' | 'media' | 'brake' | 'now' | 'prober'> },
): Promise<void> {
  const { parts } = opts;
  app.get('/healthz', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (req.access !== 1) return { status: 'ok' };
    const sync = parts.sync.status();
    const budget = parts.scheduler.snapshot();
    const media = parts.media.status();
    return {
      status: 'ok',
      library: { videos: parts.catalog.size, lastSyncAt: sync.lastSyncAt, syncing: sync.syncing, infosMissing: sync.infosMissing, problem: sync.problem, message: sync.message },
      realDebrid: {
        tokenConfigured: parts.rd !== null,
        callsPerMinute: budget.callsPerMinute,
        callsLastMinute: budget.callsLastMinute,
        inFlight: budget.inFlight,
        queued: budget.queued,
        cooldownSeconds: Math.ceil(parts.scheduler.cooldownRemainingMs() / 1000),
        cooldownReason: budget.cooldownReason,
        tokenRejected: budget.tokenRejected,
        totalCalls: budget.totalCalls,
        backgroundUnrestricts: brakeView(parts),
      },
      // How far the library's own probing got, and whether RD's budget holds it (issue 13).
      progress: libraryProgress(parts),
      media: { ffmpeg: media.ffmpeg, running: media.running, queued: media.queued, postponed: media.postponed, cacheBytes: media.cacheBytes, cacheFiles: media.cacheFiles, failures: media.failures.slice(0, 50).map((f) => ({ path: f.path, kind: f.kind, reason: f.reason, retryAt: new Date(f.retryAt).toISOString() })) },
    };
  });
}
