// Reads each way a client can prove it knows the token and turns it into an access level
// (1 full, 0 nothing offered, -1 something wrong offered): signed asset URLs, the HereSphere
// `auth-token` header, the browser's session cookie, `Authorization: Bearer`, and the
// user name/password pairs players put in request bodies. Every comparison is constant time;
// guesses of the token itself go through the failed-login limiter (per address, and spaced out
// across all addresses under a guessing attack: such a guess may wait for its slot, so checks of
// guessable credentials are async).
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Access } from '../access.ts';
import type { AuthSecrets } from './secret.ts';
import { safeEqual } from './secret.ts';
import { guessDigest, type FailureLimiter } from './rate-limit.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sessions } from './session.ts';

export type Via = 'signature' | 'auth-token' | 'cookie' | 'bearer' | 'password';

export interface Verdict {
  access: Access;
  via: Via | null;
  /** > 0: a guess of the token was not even checked, the address is locked out for this long. */
  lockedMs: number;
  /** A `sig` was present but does not open this path (altered, or signed with an old token). */
  badSignature: boolean;
}

export const NOTHING: Verdict = { access: 0, via: null, lockedMs: 0, badSignature: false };
const MAX_SECRET_LENGTH = 1000;

/** Paths (and methods) a signature may open: what players fetch without sending headers. */
const SIGNABLE: ReadonlyArray<{ path: RegExp; methods: readonly string[] }> = [
  { path: /^\/(?:thumb|preview|play|hsp)\/[^?]*$/, methods: ['GET', 'HEAD'] },
  // DeoVR's library itself too: newer DeoVR versions do not reliably send the login form, so the
  // browser view (once logged in) shows a signed /deovr address to type instead (§5.4).
  { path: /^\/deovr(?:\/[^/?]+)?$/, methods: ['GET', 'HEAD', 'POST'] },
  { path: /^\/heresphere\/[^/?]+\/event$/, methods: ['POST'] },
];

export function signable(method: string, path: string): boolean {
  return SIGNABLE.some((s) => s.methods.includes(method) && s.path.test(path));
}

/** The raw path and the `sig` query value(s) of a request URL. */
export function splitUrl(url: string): { path: string; sigs: string[] } {
  const q = url.indexOf('?');
  if (q === -1) return { path: url, sigs: [] };
  let sigs: string[] = [];
  try {
    sigs = new URLSearchParams(url.slice(q + 1)).getAll('sig');
  } catch {
    sigs = ['invalid'];
  }
  return { path: url.slice(0, q), sigs };
}

/**
 * The address failed logins are counted against: the client's (`req.ip`: the socket's, or what a
 * proxy named in TRUST_PROXY forwarded), IPv6 cut to its /64 (one household or one attacker's
 * whole block: a /64 is what a single customer gets, so it cannot hand out fresh budgets).
 */
export function clientKey(req: FastifyRequest): string {
  const a = req.ip ?? req.raw.socket?.remoteAddress ?? 'unknown';
  if (a.startsWith('::ffff:')) return a.slice(7);
  return isIP(a) === 6 ? `${ipv6Prefix64(a)}::/64` : a;
}

/** The first four 16-bit groups of an IPv6 address (zone dropped, `::` expanded). */
function ipv6Prefix64(addr: string): string {
  const bare = addr.split('%')[0]!.toLowerCase();
  const [head = '', tail] = bare.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** The better of two verdicts: any full access wins, then any lock-out, then any wrong credential. */
export function combine(a: Verdict, b: Verdict): Verdict {
  if (a.access === 1) return a;
  if (b.access === 1) return b;
  return {
    access: a.access === -1 || b.access === -1 ? -1 : 0,
    via: null,
    lockedMs: Math.max(a.lockedMs, b.lockedMs),
    badSignature: a.badSignature || b.badSignature,
  };
}

export class CredentialChecker {
  constructor(
    private readonly secrets: AuthSecrets,
    private readonly sessions: Sessions,
    private readonly limiter: FailureLimiter,
    private readonly onFailure: (req: FastifyRequest, via: Via) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Everything a request carries before its body is read. */
  async fromHeaders(req: FastifyRequest): Promise<Verdict> {
    let wrong = false;
    let badSignature = false;
    const { path, sigs } = splitUrl(req.url);
    if (sigs.length > 0) {
      const sig = sigs[0]!;
      if (sigs.length === 1 && signable(req.method, path) && this.secrets.verify(path, sig)) return ok('signature');
      wrong = true;
      badSignature = true;
    }
    const hsToken = req.headers['auth-token'];
    if (typeof hsToken === 'string' && hsToken.trim() !== '') {
      if (safeEqual(hsToken.trim(), this.secrets.heresphereToken)) return ok('auth-token');
      wrong = true;
    }
    const session = this.sessions.check(req.headers.cookie);
    if (session === 'valid') return ok('cookie');
    if (session === 'invalid') wrong = true;
    const authorization = req.headers.authorization;
    if (typeof authorization === 'string' && authorization !== '') {
      const m = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(authorization);
      if (!m) wrong = true;
      else {
        const v = await this.guess(req, 'bearer', m[1]!, undefined, false);
        if (v.access === 1 || v.lockedMs > 0) return { ...v, badSignature };
        wrong = true;
      }
    }
    return { access: wrong ? -1 : 0, via: null, lockedMs: 0, badSignature };
  }

  /**
   * A user name/password pair from a body or form. Absent password = nothing offered. With
   * `anyUser` the user name is not checked (the browser login form asks only for the token).
   */
  async password(req: FastifyRequest, username: unknown, password: unknown, anyUser = false): Promise<Verdict> {
    if (typeof password !== 'string' || password === '') return NOTHING;
    return this.guess(req, 'password', password, username, !anyUser);
  }

  /** Milliseconds the request's address is locked out for (0 = may try). */
  lockedMs(req: FastifyRequest): number {
    return this.limiter.retryAfterMs(clientKey(req));
  }

  private async guess(req: FastifyRequest, via: Via, secret: string, username: unknown, checkUser: boolean): Promise<Verdict> {
    const key = clientKey(req);
    const locked = this.limiter.retryAfterMs(key);
    if (locked > 0) return wrong(locked);
    // The credential as a keyed hash (the user name is part of it when it is checked).
    const digest = guessDigest(checkUser ? [via === 'bearer' ? 'bearer' : 'password', username, secret] : ['token', secret]);
    const admission = this.limiter.admit(key, digest);
    if (admission.kind === 'known-wrong') return wrong(0);
    if (admission.kind === 'busy') return wrong(admission.retryAfterMs);
    if (admission.kind === 'wait') {
      try {
        await this.until(admission.untilMs);
      } finally {
        this.limiter.release(key);
      }
    }
    const wanted = this.secrets.username;
    const userOk = wanted === null || !checkUser || (typeof username === 'string' && safeEqual(username, wanted));
    const passOk = secret.length <= MAX_SECRET_LENGTH && safeEqual(secret, this.secrets.token);
    if (userOk && passOk) return ok(via);
    this.limiter.fail(key, digest);
    this.onFailure(req, via);
    return wrong(0);
  }

  /** Waits until the clock reaches `atMs` (in steps, so an injected clock that jumps is followed). */
  private async until(atMs: number): Promise<void> {
    for (let left = atMs - this.now(); left > 0; left = atMs - this.now()) await sleep(Math.min(left, 250));
  }
}

function wrong(lockedMs: number): Verdict {
  return { access: -1, via: null, lockedMs, badSignature: false };
}

function ok(via: Via): Verdict {
  return { access: 1, via, lockedMs: 0, badSignature: false };
}
