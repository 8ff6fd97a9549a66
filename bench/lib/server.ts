// Runs the real server as its own process (`node --import tsx src/main.ts`), as a user would, on a
// given data dir and fake RD: start-up time, memory and request timings are then the server's
// alone, not shared with the benchmark's client or the fake. Memory is read over IPC (mem-probe.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeRd } from '../../test/fake-rd/index.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProc {
  url: string;
  pid: number;
  child: ChildProcess;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  /** Parsed JSON log lines the server printed so far. */
  logs: Array<Record<string, unknown>>;
  memory(opts?: { gc?: boolean }): Promise<NodeJS.MemoryUsage>;
  /** CPU time (user + system, ms) the server process has used so far. */
  cpuMs(): Promise<number>;
  /** Writes a V8 heap snapshot of the server to `file` (diagnosis). */
  heapSnapshot(file: string): Promise<void>;
  exited(): boolean;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  fake: FakeRd;
  env?: Record<string, string>;
  /** Extra node flags (--expose-gc, --cpu-prof...). */
  nodeArgs?: string[];
  /** What node runs instead of `--import tsx --import mem-probe.ts src/main.ts` (see bundle.ts). */
  entry?: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Extra flags from BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") for profiling a run. */
function envNodeArgs(): string[] {
  return (process.env['BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
}

export async function spawnServer(opts: SpawnOptions): Promise<ServerProc> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    ...(process.env['SystemRoot'] ? { SystemRoot: process.env['SystemRoot'] } : {}),
    TMPDIR: process.env['TMPDIR'] ?? '',
    HOME: process.env['HOME'] ?? '',
    RD_API_URL: opts.fake.apiUrl,
    RD_API_TOKEN: opts.fake.token,
    DATA_DIR: opts.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RD_INFO_BACKFILL_PER_MINUTE: '0',
    // Benchmarks that measure background probing turn it on themselves.
    MEDIA_BACKGROUND_PROBE: '0',
    ...opts.env,
  };
  const args = [...(opts.nodeArgs ?? []), ...envNodeArgs(), ...(opts.entry ?? ['--import', 'tsx', '--import', './bench/lib/mem-probe.ts', 'src/main.ts'])];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const logs: Array<Record<string, unknown>> = [];
  const tail: string[] = [];
  const onLine = (line: string) => {
    if (line.startsWith('{')) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
        return;
      } catch {
        // not a log line
      }
    }
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  }
  const ask = (gc: boolean | string) =>
    new Promise<{ mem: NodeJS.MemoryUsage; cpu: NodeJS.CpuUsage }>((resolve, reject) => {
      const onMsg = (m: unknown) => {
        const r = m as { mem?: NodeJS.MemoryUsage; cpu?: NodeJS.CpuUsage };
        if (!r.mem || !r.cpu) return;
        child.off('message', onMsg);
        resolve({ mem: r.mem, cpu: r.cpu });
      };
      child.on('message', onMsg);
      if (!child.send(typeof gc === 'string' ? gc : gc ? 'mem-gc' : 'mem')) reject(new Error('server IPC closed'));
    });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const proc: ServerProc = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    child,
    spawnedAt,
    logs,
    exited: () => exited,
    memory: async ({ gc = false } = {}) => (await ask(gc)).mem,
    heapSnapshot: async (file) => {
      await ask(`snapshot:${file}`);
    },
    cpuMs: async () => {
      const { cpu } = await ask(false);
      return (cpu.user + cpu.system) / 1000;
    },
    stop: async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(t);
      }
    },
  };
  void exit.then(() => {
    if (tail.length > 0 && child.exitCode !== 0 && child.signalCode === null) process.stderr.write(`server ${proc.pid} exited ${child.exitCode}:\n${tail.join('\n')}\n`);
  });
  return proc;
}

/** Polls until `path` answers 200 (or the process dies / the timeout passes); returns ms since spawn. */
export async function waitServing(proc: ServerProc, path = '/heresphere', timeoutMs = 120_000): Promise<number> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (proc.exited()) throw new Error(`server exited before serving ${path}`);
    try {
      const res = await fetch(proc.url + path, { method: 'POST', headers: HS_HEADERS, body: '{}' });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - proc.spawnedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() > end) throw new Error(`server did not serve ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** What HereSphere sends (its user agent, JSON, gzip). */
export const HS_HEADERS: Record<string, string> = {
  'user-agent': 'HereSphere/1.0 (bench)',
  'content-type': 'application/json',
  'accept-encoding': 'gzip',
};
