// Runs the real entry point (src/main.ts) as a child process, the way users start it, for the
// tests that need a whole process (TLS listeners, the start-up banner, several processes on one
// data dir). Every wait is bounded and fails with the child's output. main.ts cannot listen on
// port 0, so a port is picked free and handed over; another test file may take it in between,
// so a start that fails with "address in use" is retried on fresh ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const READY = 'debridsphere is running';
const START_TIMEOUT_MS = 90_000;
const START_ATTEMPTS = 5;

export interface Launched {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Both streams, for failure messages. */
  output: () => string;
  /** Resolves when the banner is out (code null) or the process exits first (its code); bounded. */
  ready: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Only what a child needs from our environment: no RD token or auth settings leak in. */
function baseEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['PATH', 'Path', 'SystemRoot', 'SYSTEMROOT', 'TEMP', 'TMP', 'TMPDIR', 'HOME', 'USERPROFILE']) {
    const v = process.env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Starts main.ts once with exactly these settings (LOG_LEVEL warn, HOST 127.0.0.1 unless given). */
export function launchMain(env: Record<string, string>, cwd: string, timeoutMs = START_TIMEOUT_MS): Launched {
  return launchCommand(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN], env, cwd, { timeoutMs });
}

/**
 * Starts any command that ends up running the server (the bin entry, `npm start`) the same way;
 * `detached` puts it in its own process group, so a test can signal the group as a service
 * manager does.
 */
export function launchCommand(command: string, args: string[], env: Record<string, string>, cwd: string, opts: { timeoutMs?: number; detached?: boolean } = {}): Launched {
  const timeoutMs = opts.timeoutMs ?? START_TIMEOUT_MS;
  const child = spawn(command, args, {
    cwd,
    env: { ...baseEnv(), LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  let all = '';
  const ready = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${[command, ...args].join(' ')} did not start within ${timeoutMs / 1000} s (env ${JSON.stringify({ ...env, RD_API_TOKEN: undefined })}); its output:\n${all}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      all += d.toString();
      if (stdout.includes(READY)) {
        clearTimeout(timer);
        resolve({ code: null, stdout, stderr });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      all += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, output: () => all, ready };
}

/** A port nobody listens on right now (it may be taken again before we use it: see startMain). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface MainProcess extends Launched {
  port: number;
  httpsPort: number;
  url: string;
  stop(): Promise<void>;
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited 5 s later. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/**
 * Starts main.ts on fresh ports (PORT and HTTPS_PORT) and waits for its banner, retrying when a
 * port was taken between picking and binding. Throws with the output if it exits otherwise.
 */
export async function startMain(env: Record<string, string>, cwd: string): Promise<MainProcess> {
  let last = '';
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    let httpsPort = await freePort();
    while (httpsPort === port) httpsPort = await freePort();
    const launched = launchMain({ ...env, PORT: String(port), HTTPS_PORT: String(httpsPort) }, cwd);
    const r = await launched.ready;
    if (r.code === null) {
      const host = env.HOST ?? '127.0.0.1';
      const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
      return { ...launched, port, httpsPort, url: `http://${urlHost}:${port}`, stop: () => stopChild(launched.child) };
    }
    last = launched.output();
    if (!/EADDRINUSE|already in use/i.test(last)) break;
  }
  throw new Error(`src/main.ts failed to start:\n${last}`);
}
