// Browser sessions: an HttpOnly cookie `<id>.<expiry>.<mac>` whose MAC comes from the server
// secret, so any server process sharing the data dir accepts it and a token change voids it.
// Logging out records the id in SQLite (every process on the data dir, and every restart, sees
// it) and clears the cookie in the browser. "Log out everywhere" bumps the session generation,
// which is part of the MAC: every cookie issued before stops matching at once.
import { randomBytes } from 'node:crypto';
import type { AuthRepo } from '../../store/index.ts';
import type { AuthSecrets } from './secret.ts';
import { safeEqual } from './secret.ts';

export const SESSION_COOKIE = 'ds_session';
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
const MAX_COOKIE_HEADER = 8192;

export class Sessions {
  constructor(
    private readonly secrets: AuthSecrets,
    private readonly repo: AuthRepo,
    private readonly now: () => number,
  ) {}

  /** A new session cookie value. */
  issue(): string {
    const id = randomBytes(16).toString('base64url');
    const exp = Math.floor((this.now() + SESSION_TTL_MS) / 1000);
    return `${id}.${exp}.${this.mac(id, exp, this.repo.sessionGeneration())}`;
  }

  /** Generation 0 keeps the MAC of cookies issued before generations existed. */
  private mac(id: string, exp: string | number, generation: number): string {
    return this.secrets.mac('session', generation === 0 ? `${id}.${exp}` : `g${generation}:${id}.${exp}`);
  }

  /** 'valid', 'invalid' (present but forged, expired, revoked or from an old token) or 'absent'. */
  check(cookieHeader: string | undefined): 'valid' | 'invalid' | 'absent' {
    const values = readCookie(cookieHeader, SESSION_COOKIE);
    if (values.length === 0) return 'absent';
    return values.some((v) => this.validId(v) !== null) ? 'valid' : 'invalid';
  }

  /** Revokes the sessions named in a Cookie header, for every process and across restarts. */
  revoke(cookieHeader: string | undefined): void {
    for (const v of readCookie(cookieHeader, SESSION_COOKIE)) {
      const id = this.validId(v);
      if (id) this.repo.revokeSession(id, Number(v.split('.')[1]) * 1000, this.now());
    }
  }

  /** Voids every session issued so far (this browser's included), in every process. */
  revokeAll(): void {
    this.repo.bumpSessionGeneration();
  }

  private validId(value: string): string | null {
    const m = /^([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(value);
    if (!m) return null;
    const [, id, exp, mac] = m as unknown as [string, string, string, string];
    if (!safeEqual(this.mac(id, exp, this.repo.sessionGeneration()), mac)) return null;
    if (Number(exp) * 1000 <= this.now()) return null;
    if (this.repo.isRevoked(id)) return null;
    return id;
  }
}

/** Every value of cookie `name` in a Cookie header (no decoding: our values are URL-safe). */
export function readCookie(header: string | undefined, name: string): string[] {
  if (typeof header !== 'string' || header.length > MAX_COOKIE_HEADER) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure over https; `null` clears it. */
export function sessionCookie(value: string | null, secure: boolean): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Lax', value === null ? 'Max-Age=0' : `Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`];
  if (secure) attrs.push('Secure');
  return `${SESSION_COOKIE}=${value ?? ''}; ${attrs.join('; ')}`;
}
