// Start-up: config → parts → app → listen → tell the user exactly where to point the headset
// and what is misconfigured. A bad setting stops here with one clear sentence.
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { createParts } from './parts.ts';
import { buildApp } from './app.ts';
import { connectUrls } from './net.ts';
import { RdError } from './realdebrid/index.ts';

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

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const parts = createParts(config, { logger });
  const mediaState = await parts.media.start();
  if (mediaState.message) logger.warn(mediaState.message);

  const https = config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : null;
  const app = await buildApp({ parts, httpsPort: https ? config.httpsPort : null });
  await app.listen({ port: config.port, host: config.host });
  let httpsApp: Awaited<ReturnType<typeof buildApp>> | null = null;
  if (https) {
    httpsApp = await buildApp({ parts, https, httpsPort: config.httpsPort });
    await httpsApp.listen({ port: config.httpsPort, host: config.host });
  }

  const urlOpts = { publicUrl: config.publicUrl, host: config.host, port: config.port, https: https ? { port: config.httpsPort } : null };
  const lines = [
    '',
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
  if (!config.authToken && config.host !== '127.0.0.1' && config.host !== 'localhost' && config.host !== '::1') {
    logger.warn('Authentication is off and the server listens on the network: anyone on your LAN can browse the library. Set HERESPHERE_AUTH_TOKEN to require a login.');
  }

  const shutdown = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    await app.close();
    await httpsApp?.close();
    await parts.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error('debridsphere failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
