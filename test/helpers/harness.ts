// Starts the real server (all parts) on a fake RD and a temp data dir, for end-to-end tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createParts, type Parts } from '../../src/parts.ts';
import { buildApp } from '../../src/app.ts';
import { startFakeRd, type FakeRd, type FakeRdOptions, type FakeTorrentSpec } from '../fake-rd/index.ts';

export interface Harness {
  url: string;
  fake: FakeRd;
  app: FastifyInstance;
  parts: Parts;
  store: Parts['store'];
  config: Config;
  dataDir: string;
  /** Stops the server (keeps the data dir) and starts it again on the same data. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  torrents?: FakeTorrentSpec[];
  env?: Record<string, string>;
  fake?: FakeRdOptions;
  /** Reuse an existing data dir (restart tests). */
  dataDir?: string;
  /** Start the media pipeline (ffmpeg). Default true. */
  media?: boolean;
  noToken?: boolean;
  /** Serve HTTPS with this certificate instead of HTTP. */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** The server's clock (sections by date, link reuse); default Date.now. */
  now?: () => number;
  /** RD resend policy: a test that makes RD fail shortens the backoff instead of waiting it out. */
  rdRetry?: { attempts?: number; baseDelayMs?: number };
  /** Media jobs whose source failed for a moment are re-run after these pauses instead of 1 s and 5 s. */
  mediaBackoffMs?: readonly number[];
}

const RESTART_ATTEMPTS = 8;

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeRd({ torrents: opts.torrents ?? [], ...opts.fake });
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'debridsphere-test-'));
  const env: Record<string, string> = {
    RD_API_URL: fake.apiUrl,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '5090',
    ...(opts.noToken ? {} : { RD_API_TOKEN: fake.token }),
    ...opts.env,
  };
  const config = loadConfig(env, dataDir);
  let parts!: Parts;
  let app!: FastifyInstance;
  let url = '';
  let port = 0; // a restart keeps the port, so URLs handed out before stay valid
  const boot = async () => {
    parts = createParts(config, { logger: silentLogger(), ...(opts.now ? { now: opts.now } : {}), ...(opts.rdRetry ? { rdRetry: opts.rdRetry } : {}), ...(opts.mediaBackoffMs ? { mediaBackoffMs: opts.mediaBackoffMs } : {}) });
    if (opts.media !== false) await parts.media.start();
    // A restart rebinds the port it had; another test file may have grabbed it meanwhile (or the
    // old socket is still closing), so retry a few times before giving up with a clear error.
    for (let attempt = 1; ; attempt++) {
      app = await buildApp({ parts, ...(opts.https ? { https: opts.https } : {}) });
      try {
        url = await app.listen({ port, host: '127.0.0.1' });
        break;
      } catch (err) {
        await app.close();
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
        if (attempt >= RESTART_ATTEMPTS) {
          await parts.close();
          throw new Error(`harness restart: port ${port} is still in use after ${attempt} attempts (another process took it), so URLs handed out before the restart cannot stay valid`);
        }
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
    port = Number(new URL(url).port);
  };
  await boot();
  const h: Harness = {
    get url() {
      return url;
    },
    fake,
    get app() {
      return app;
    },
    get parts() {
      return parts;
    },
    get store() {
      return parts.store;
    },
    config,
    dataDir,
    async restart() {
      await app.close();
      // Let this process's own clients see the closed keep-alive sockets before the port is reused.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      await parts.close();
      await boot();
    },
    async close() {
      await app.close();
      await parts.close();
      await fake.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** POST JSON and parse the answer. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}
