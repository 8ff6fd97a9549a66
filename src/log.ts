// The product's logger: pino, readable lines on a terminal, JSON otherwise. Secrets are
// redacted by path (headers, tokens) so the RD token and auth tokens never reach a log line.
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["auth-token"]',
  'headers.authorization',
  'token',
  'password',
  'rdToken',
  'authToken',
];

export function createLogger(level = 'info', pretty = process.stdout.isTTY === true): Logger {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}

/** A logger that drops everything: tests and benchmarks that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
