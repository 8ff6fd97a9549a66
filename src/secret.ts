// The server secret and everything derived from it: signed asset URLs, the opaque HereSphere
// auth-token and session-cookie MACs. One secret, derived from HERESPHERE_AUTH_TOKEN plus a
// random per-install salt kept in the data dir, so changing the token (or wiping the data dir)
// invalidates every URL, auth-token and cookie ever handed out, and nothing derived from the
// token can be precomputed for another install.
// It lives at the top, not in api/auth/, because createParts builds the asset signer from it
// (parts must not import from api/); the auth plugin re-exports it (api/auth/secret.ts).
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

export const SALT_FILE = 'auth-salt';
const SALT_BYTES = 32;
/** Signature length: 18 bytes of HMAC-SHA256 = 144 bits, 24 base64url characters. */
const SIG_BYTES = 18;

export interface AuthSecrets {
  /** The configured token (what users type as the password). */
  readonly token: string;
  /** The configured user name; null = any user name is accepted. */
  readonly username: string | null;
  /** `?sig=` value for a path. */
  sign(path: string): string;
  /** Whether `sig` is the signature of `path` (constant time). */
  verify(path: string, sig: string): boolean;
  /** The opaque token `/heresphere/auth` hands out (never the configured token itself). */
  readonly heresphereToken: string;
  /** MAC of a session cookie payload. */
  mac(label: string, value: string): string;
}

/** Constant-time string equality: both sides are hashed to equal-length digests first. */
const compareKey = randomBytes(32);
export function safeEqual(a: string, b: string): boolean {
  const da = createHmac('sha256', compareKey).update(a, 'utf8').digest();
  const db = createHmac('sha256', compareKey).update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/**
 * The per-install salt (created once, race-free across processes sharing the data dir: written
 * to a private temp file, then hard-linked into place, which fails if another process won).
 * A data dir that cannot be written still works, with an empty salt.
 */
export function installSalt(dataDir: string): Buffer {
  const file = join(dataDir, SALT_FILE);
  const read = (): Buffer | null => {
    try {
      const b = readFileSync(file);
      return b.length === SALT_BYTES ? b : null;
    } catch {
      return null;
    }
  };
  const existing = read();
  if (existing) return existing;
  try {
    mkdirSync(dataDir, { recursive: true });
    const tmp = join(dataDir, `${SALT_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(tmp, randomBytes(SALT_BYTES), { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Filesystems without hard links: exclusive create instead (a tiny window, same outcome).
      if (code !== 'EEXIST') {
        try {
          writeFileSync(file, readFileSync(tmp), { mode: 0o600, flag: 'wx' });
        } catch {
          // another process created it first
        }
      }
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  } catch {
    return Buffer.alloc(0);
  }
  return read() ?? Buffer.alloc(0);
}

export function deriveServerSecret(token: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(token, 'utf8'), salt, 'debridsphere server secret v1', 32));
}

export function createSecrets(token: string, username: string | null, salt: Buffer): AuthSecrets {
  const secret = deriveServerSecret(token, salt);
  const hmac = (label: string, value: string) => createHmac('sha256', secret).update(label).update('\0').update(value, 'utf8').digest();
  const sign = (path: string) => hmac('asset', path).subarray(0, SIG_BYTES).toString('base64url');
  return {
    token,
    username,
    sign,
    verify(path, sig) {
      if (typeof sig !== 'string' || sig.length !== Math.ceil((SIG_BYTES * 4) / 3)) return false;
      return safeEqual(sign(path), sig);
    },
    heresphereToken: hmac('hs-auth', 'v1').toString('base64url'),
    mac: (label, value) => hmac(label, value).subarray(0, 24).toString('base64url'),
  };
}

const cache = new WeakMap<Config, AuthSecrets | null>();

/** The secrets of a config (memoised per config object), or null when auth is off. */
export function authSecrets(config: Config): AuthSecrets | null {
  if (cache.has(config)) return cache.get(config)!;
  const s = config.authToken ? createSecrets(config.authToken, config.authUsername, installSalt(config.dataDir)) : null;
  cache.set(config, s);
  return s;
}

/** Adds the signature to an asset path. */
export function signPath(secrets: AuthSecrets, path: string): string {
  const q = path.indexOf('?');
  const bare = q === -1 ? path : path.slice(0, q);
  return `${path}${q === -1 ? '?' : '&'}sig=${secrets.sign(bare)}`;
}

/** `parts.assetPath`: identity with auth off, signed paths with auth on. */
export function assetPathFor(config: Config): (path: string) => string {
  const secrets = authSecrets(config);
  if (!secrets) return (path) => path;
  return (path) => signPath(secrets, path);
}
