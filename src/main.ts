// Start-up: config → parts → app → listen → tell the user exactly where to point the headset
// and what is misconfigured. A bad setting stops here with one clear sentence.
import { mkdirSync, readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { createParts } from './parts.ts';
import { buildApp } from './app.ts';
import { connectUrls, isLoopbackHost } from './net.ts';
import { RdError } from './realdebrid/index.ts';
import { installShutdown } from './lifecycle.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`debridsphere cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * HTTPS (DeoVR hides plain-HTTP thumbnails from LAN addresses, heresphere-protocol.md §5.5): the
 * PEM certificate and key from TLS_CERT/TLS_KEY, checked here so a wrong file or a key that does
 * not belong to the certificate stops start-up with one sentence instead of an OpenSSL code.
 */
function readTls(config: Config): { cert: Buffer; key: Buffer } | null {
  if (!config.tlsCert || !config.tlsKey) return null;
  if (config.httpsPort === config.port) fail(`HTTPS_PORT must differ from PORT (both are ${config.port}).`);
  const read = (name: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      return fail(`${name} cannot be read (${path}): ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const tls = { cert: read('TLS_CERT', config.tlsCert), key: read('TLS_KEY', config.tlsKey) };
  try {
    createSecureContext(tls);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    // OpenSSL's stable code, not its message text.
    const mismatch = (err as NodeJS.ErrnoException).code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH';
    fail(mismatch ? 'TLS_KEY is not the private key of the TLS_CERT certificate.' : `TLS_CERT/TLS_KEY must be a PEM certificate and its PEM private key (${why}).`);
  }
  return tls;
}

const OPEN_WARNING =
  'WARNING: authentication is off and the server listens on the network: anyone on your LAN can browse the library. Set HERESPHERE_AUTH_TOKEN to require a login, or HOST=127.0.0.1 to listen on this machine only.';

/**
 * The data dir, created here so that a DATA_DIR naming a file, or a folder this user may not
 * write, stops start-up with one sentence naming the setting instead of `EEXIST: … mkdir`.
 */
function prepareDataDir(config: Config): void {
  try {
    mkdirSync(config.dataDir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') fail(`DATA_DIR (${config.dataDir}) is a file, not a folder: set DATA_DIR to a folder (it is created if missing).`);
    fail(`DATA_DIR (${config.dataDir}) cannot be created (${code ?? String(err)}): set DATA_DIR to a folder this user can write.`);
  }
}

/** Listens, turning the errors people meet (port taken, port needs privileges) into one sentence. */
async function listenOn(app: { listen: (o: { port: number; host: string }) => Promise<unknown> }, setting: string, port: number, host: string): Promise<void> {
  await app.listen({ port, host }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') fail(`${setting} ${port} is already in use (another program, or debridsphere already running): set ${setting} to a free port or stop the other program.`);
    if (err.code === 'EACCES') fail(`${setting} ${port} needs administrator rights on this system: set ${setting} to a port above 1023.`);
    if (err.code === 'EADDRNOTAVAIL') fail(`HOST ${host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0 for all.`);
    throw err;
  });
}

function fail(message: string): never {
  console.error(`debridsphere cannot start: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = readConfig();
  const https = readTls(config);
  prepareDataDir(config);
  const logger = createLogger(config.logLevel);
  const parts = createParts(config, { logger });
  await parts.media.start(); // logs a missing ffmpeg itself, once

  // Both listeners are built from the same parts, so they share one auth state (failed-login
  // limiter, sessions: src/api/auth/state.ts).
  const app = await buildApp({ parts, httpsPort: https ? config.httpsPort : null });
  await listenOn(app, 'PORT', config.port, config.host);
  let httpsApp: Awaited<ReturnType<typeof buildApp>> | null = null;
  if (https) {
    httpsApp = await buildApp({ parts, https, httpsPort: config.httpsPort });
    await listenOn(httpsApp, 'HTTPS_PORT', config.httpsPort, config.host);
  }

  const urlOpts = { publicUrl: config.publicUrl, host: config.host, port: config.port, https: https ? { port: config.httpsPort } : null };
  // Printed with the URLs (before them, so whoever reads the banner has read the warning too).
  const exposed = !config.authToken && !isLoopbackHost(config.host);
  const lines = [
    '',
    ...(exposed ? [OPEN_WARNING, ''] : []),
    'debridsphere is running.',
    '  In HereSphere on the headset, open:',
    ...connectUrls('/heresphere', urlOpts).map((u) => `      ${u}`),
    '  In DeoVR, open:',
    ...connectUrls('/deovr', urlOpts).map((u) => `      ${u}`),
    '  In a browser:',
    ...connectUrls('/', urlOpts).map((u) => `      ${u}`),
    '',
  ];
  console.log(lines.join('\n'));
  if (!config.rdToken) {
    logger.warn('No Real-Debrid token: set RD_API_TOKEN (in the environment or a .env file) to the token from https://real-debrid.com/apitoken, then restart.');
  } else {
    parts.rd!.user('foreground').then(
      (u) => logger.info({ user: u.username, type: u.type }, 'Real-Debrid account connected'),
      (err) => logger.error(err instanceof RdError ? err.message : 'Real-Debrid is unreachable; serving the stored library.'),
    );
    void parts.sync.refresh().catch(() => undefined);
  }

  installShutdown({
    log: (m) => logger.info(m),
    async close() {
      // Open streams (proxy mode, long previews) are cut after a short grace, so the database is
      // still closed cleanly before the shutdown deadline (src/lifecycle.ts).
      const cut = setTimeout(() => {
        app.server.closeAllConnections();
        httpsApp?.server.closeAllConnections();
      }, 200);
      await Promise.all([app.close(), httpsApp?.close()]);
      clearTimeout(cut);
      await parts.close();
    },
  });
}

main().catch((err) => {
  console.error('debridsphere failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
