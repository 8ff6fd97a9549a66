// The auth state of one server process: secrets, the failed-login limiter, the session store and
// the credential checker built on them. One per Parts (one per process), shared by every app built
// from those parts: with TLS on, the HTTP and HTTPS listeners are two Fastify apps, and a guesser
// must not get a fresh failure budget per listener, nor a logout on one leave the session open on
// the other.
import type { FastifyRequest } from 'fastify';
import type { Parts } from '../../parts.ts';
import { authSecrets, type AuthSecrets } from './secret.ts';
import { FailureLimiter } from './rate-limit.ts';
import { Sessions } from './session.ts';
import { CredentialChecker, clientKey } from './credentials.ts';

export interface AuthState {
  secrets: AuthSecrets;
  limiter: FailureLimiter;
  sessions: Sessions;
  checker: CredentialChecker;
}

const states = new WeakMap<Parts, AuthState | null>();

function createAuthState(parts: Parts): AuthState | null {
  const secrets = authSecrets(parts.config);
  if (!secrets) return null;
  const log = parts.logger.child({ part: 'auth' });
  const limiter = new FailureLimiter({ now: parts.now });
  const sessions = new Sessions(secrets, parts.store.auth, parts.now);
  let lastLockLog = 0;
  const checker = new CredentialChecker(secrets, sessions, limiter, (req: FastifyRequest, via) => {
    const key = clientKey(req);
    // The address only, never what was tried.
    if (limiter.retryAfterMs(key) > 0 && parts.now() - lastLockLog > 10_000) {
      lastLockLog = parts.now();
      log.warn({ client: key, via }, 'too many failed logins: address locked out for a minute');
    } else log.info({ client: key, via }, 'failed login');
  }, parts.now);
  return { secrets, limiter, sessions, checker };
}

/** The process's auth state (null when auth is off), created on first use. */
export function authStateOf(parts: Parts): AuthState | null {
  if (!states.has(parts)) states.set(parts, createAuthState(parts));
  return states.get(parts) ?? null;
}
