// Reads the environment (and a `.env` file when present) once into a typed, frozen config.
// Nothing else in the product reads process.env. Invalid values throw ConfigError with one
// clear sentence naming the variable, so start-up can stop with a single readable message.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { DEFAULT_DAILY_CAP } from './realdebrid/brake.ts';

export type PlayMode = 'redirect' | 'proxy';

export interface Config {
  /** RD private API token; null when not configured (server still runs, says what to set). */
  readonly rdToken: string | null;
  readonly rdApiUrl: string;
  readonly rdCallsPerMinute: number;
  readonly rdBackgroundUnrestrictsPerMinute: number;
  /** Background unrestricts per rolling 24 h (probes, thumbnails, previews, warm, pack matching); plays never count. */
  readonly rdBackgroundUnrestrictsPerDay: number;
  /** Torrent infos fetched in the background per minute (0 = only when a video is opened). */
  readonly infoBackfillPerMinute: number;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** e.g. https://vr.example.com (no trailing slash); null = derive from the request. */
  readonly publicUrl: string | null;
  /**
   * Extra host names (lower case, no port) an auth-off server answers besides IP addresses,
   * localhost, LAN names and the PUBLIC_URL host (the DNS rebinding guard).
   */
  readonly allowedHosts: readonly string[];
  /**
   * Addresses (IPs, CIDR ranges, or proxy-addr's `loopback`/`linklocal`/`uniquelocal`) of reverse
   * proxies whose X-Forwarded-For names the client; empty = the socket's address is the client.
   */
  readonly trustProxy: readonly string[];
  readonly libraryTtlMs: number;
  readonly playMode: PlayMode;
  readonly allowDelete: boolean;
  readonly authToken: string | null;
  readonly authUsername: string | null;
  readonly ffmpegPath: string | null;
  readonly ffprobePath: string | null;
  readonly mediaConcurrency: number;
  readonly mediaCacheBytes: number;
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  readonly httpsPort: number;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
}

type Env = Record<string, string | undefined>;

/** Parses `KEY=value` lines; `#` comments, optional quotes, `export ` prefix. */
export function parseDotEnv(text: string): Env {
  const out: Env = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]!] = value;
  }
  return out;
}

/** The process environment merged over `.env` in `cwd` (real environment wins). */
export function readEnvironment(env: Env = process.env, cwd = process.cwd()): Env {
  const file = join(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

function str(env: Env, key: string): string | undefined {
  const v = env[key];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function int(env: Env, key: string, dflt: number, min: number, max: number): number {
  const v = str(env, key);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${key} must be a whole number between ${min} and ${max} (got "${v}").`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(`${key} must be between ${min} and ${max} (got ${n}).`);
  return n;
}

function bool(env: Env, key: string, dflt: boolean): boolean {
  const v = str(env, key)?.toLowerCase();
  if (v === undefined) return dflt;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${key} must be true or false (got "${v}").`);
}

function httpUrl(env: Env, key: string, dflt: string | null): string | null {
  const v = str(env, key);
  if (v === undefined) return dflt;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(`${key} must be an http(s) URL such as https://example.com (got "${v}").`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`${key} must start with http:// or https:// (got "${v}").`);
  }
  return v.replace(/\/+$/, '');
}

function bytesSize(env: Env, key: string, dflt: number): number {
  const v = str(env, key);
  if (v === undefined) return dflt;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(v);
  if (!m) throw new ConfigError(`${key} must be a size such as 2GB or 500MB (got "${v}").`);
  const mult = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.round(Number(m[1]) * mult);
}

/** ALLOWED_HOSTS: comma-separated host names; an optional `:port` is dropped. */
function hostList(env: Env, key: string): string[] {
  const out: string[] = [];
  for (const raw of (str(env, key) ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const m = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.?)(?::\d{1,5})?$/.exec(entry);
    if (!m) throw new ConfigError(`${key} must be a comma-separated list of host names such as vr.example.com (got "${raw.trim()}").`);
    out.push((m[1] ?? m[2])!);
  }
  return out;
}

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: comma-separated proxy addresses or CIDR ranges; "true"/"*" is refused (name the proxy). */
function proxyList(env: Env, key: string): string[] {
  const out: string[] = [];
  for (const raw of (str(env, key) ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '' || entry === 'false' || entry === 'off') continue;
    const [addr = '', bits, extra] = entry.split('/');
    const family = isIP(addr);
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (PROXY_KEYWORDS.includes(entry) || (family !== 0 && okBits && extra === undefined)) out.push(entry);
    else {
      throw new ConfigError(
        `${key} must name your reverse proxy: comma-separated addresses or ranges such as 127.0.0.1, 10.0.0.0/8 or loopback (got "${raw.trim()}"). ` +
          'Trusting any sender would let every client forge X-Forwarded-For.',
      );
    }
  }
  return out;
}

/** Builds the config from an environment; throws ConfigError on the first invalid value. */
export function loadConfig(env: Env = readEnvironment(), cwd = process.cwd()): Config {
  const tokenKey = str(env, 'RD_API_TOKEN') !== undefined ? 'RD_API_TOKEN' : 'REAL_DEBRID_API_KEY';
  const token = str(env, tokenKey) ?? null;
  if (token !== null && !/^[A-Za-z0-9_\-.]{8,200}$/.test(token)) {
    throw new ConfigError(`${tokenKey} looks malformed: copy the private API token from https://real-debrid.com/apitoken.`);
  }
  const playMode = (str(env, 'PLAY_MODE') ?? 'redirect').toLowerCase();
  if (playMode !== 'redirect' && playMode !== 'proxy') {
    throw new ConfigError(`PLAY_MODE must be "redirect" or "proxy" (got "${playMode}").`);
  }
  const host = str(env, 'HOST') ?? '0.0.0.0';
  if (!/^[A-Za-z0-9.:\-\[\]%]+$/.test(host)) throw new ConfigError(`HOST must be an address such as 0.0.0.0 or 127.0.0.1 (got "${host}").`);
  const tlsCert = str(env, 'TLS_CERT') ?? null;
  const tlsKey = str(env, 'TLS_KEY') ?? null;
  if ((tlsCert === null) !== (tlsKey === null)) {
    throw new ConfigError('TLS_CERT and TLS_KEY must be set together (paths to a PEM certificate and its key).');
  }
  for (const [k, p] of [['TLS_CERT', tlsCert], ['TLS_KEY', tlsKey]] as const) {
    if (p !== null && !existsSync(resolve(cwd, p))) throw new ConfigError(`${k} file not found: ${p}`);
  }
  const authToken = str(env, 'HERESPHERE_AUTH_TOKEN') ?? null;
  if (authToken !== null && authToken.length < 8) {
    throw new ConfigError('HERESPHERE_AUTH_TOKEN must be at least 8 characters long.');
  }
  const logLevel = (str(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of error, warn, info, debug (got "${logLevel}").`);
  }
  const port = int(env, 'PORT', 5090, 1, 65535);
  const config: Config = {
    rdToken: token,
    rdApiUrl: httpUrl(env, 'RD_API_URL', 'https://api.real-debrid.com/rest/1.0')!,
    rdCallsPerMinute: int(env, 'RD_CALLS_PER_MINUTE', 180, 1, 250),
    rdBackgroundUnrestrictsPerMinute: int(env, 'RD_BACKGROUND_UNRESTRICTS_PER_MINUTE', 20, 0, 250),
    rdBackgroundUnrestrictsPerDay: int(env, 'RD_BACKGROUND_UNRESTRICTS_PER_DAY', DEFAULT_DAILY_CAP, 0, 100_000),
    infoBackfillPerMinute: int(env, 'RD_INFO_BACKFILL_PER_MINUTE', 30, 0, 120),
    port,
    host,
    dataDir: resolve(cwd, str(env, 'DATA_DIR') ?? './data'),
    publicUrl: httpUrl(env, 'PUBLIC_URL', null),
    allowedHosts: Object.freeze(hostList(env, 'ALLOWED_HOSTS')),
    trustProxy: Object.freeze(proxyList(env, 'TRUST_PROXY')),
    libraryTtlMs: int(env, 'LIBRARY_TTL_SECONDS', 60, 5, 86400) * 1000,
    playMode,
    allowDelete: bool(env, 'ALLOW_DELETE', false),
    authToken,
    authUsername: str(env, 'AUTH_USERNAME') ?? null,
    ffmpegPath: str(env, 'FFMPEG_PATH') ?? null,
    ffprobePath: str(env, 'FFPROBE_PATH') ?? null,
    mediaConcurrency: int(env, 'MEDIA_CONCURRENCY', 2, 1, 16),
    mediaCacheBytes: bytesSize(env, 'MEDIA_CACHE_SIZE', 2 * 1024 ** 3),
    tlsCert: tlsCert && resolve(cwd, tlsCert),
    tlsKey: tlsKey && resolve(cwd, tlsKey),
    httpsPort: int(env, 'HTTPS_PORT', port === 65535 ? 65534 : port + 1, 1, 65535),
    logLevel,
  };
  return Object.freeze(config);
}
