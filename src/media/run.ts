// Runs one ffmpeg/ffprobe process without a shell and never longer than allowed: a timeout or an
// abort kills it (child.kill works on every platform; ffmpeg starts no children of its own), and
// the tail of stderr is kept so a failure has a reason a human can read.
import { spawn } from 'node:child_process';

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep stdout (ffprobe JSON); capped at this many bytes. 0 = ignore stdout. */
  maxStdout?: number;
  /** Called with the process id once spawned (tests count live processes). */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  /** Exit code; null when killed by a signal or never started. */
  code: number | null;
  timedOut: boolean;
  aborted: boolean;
  /** Spawning failed (ENOENT, EACCES...): the message. */
  spawnError: string | null;
  stdout: string;
  /** Last ~4 KB of stderr. */
  stderrTail: string;
}

const STDERR_KEEP = 4096;

export function runProcess(bin: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const result: RunResult = { code: null, timedOut: false, aborted: false, spawnError: null, stdout: '', stderrTail: '' };
    if (opts.signal?.aborted) {
      result.aborted = true;
      resolve(result);
      return;
    }
    const maxStdout = opts.maxStdout ?? 0;
    const child = spawn(bin, args, { stdio: ['ignore', maxStdout > 0 ? 'pipe' : 'ignore', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let done = false;

    const kill = (): void => {
      // SIGKILL: a SIGTERM'd ffmpeg finishes its output file gracefully, which is not what we want.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      kill();
    }, opts.timeoutMs);
    const onAbort = (): void => {
      result.aborted = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      result.stdout = Buffer.concat(out).toString('utf8');
      result.stderrTail = err;
      resolve(result);
    };

    child.stdout?.on('data', (b: Buffer) => {
      if (outBytes < maxStdout) out.push(b.subarray(0, maxStdout - outBytes));
      outBytes += b.length;
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      err = (err + s).slice(-STDERR_KEEP);
    });
    child.on('spawn', () => {
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    });
    child.on('error', (e) => {
      result.spawnError = e.message;
      finish();
    });
    child.on('close', (code) => {
      result.code = code;
      finish();
    });
  });
}

/** True when the process ran and exited 0. */
export function succeeded(r: RunResult): boolean {
  return r.code === 0 && !r.timedOut && !r.aborted && r.spawnError === null;
}

/** One line saying why a run failed, from what the process left behind. */
export function describeFailure(r: RunResult, timeoutMs?: number): string {
  if (r.spawnError) return `could not start: ${r.spawnError}`;
  if (r.timedOut) return `timed out${timeoutMs ? ` after ${Math.round(timeoutMs / 1000)} s` : ''}`;
  if (r.aborted) return 'cancelled';
  const lines = r.stderrTail
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(Press \[q\]|frame=|size=|video:|Conversion failed!?$)|Stream ends prematurely|Will reconnect at/.test(l));
  // Download URLs are bearer links: never put one into a reason that /healthz shows.
  const last = lines.slice(-2).join(' | ').replace(/\b[a-z]+:\/\/\S+/gi, '<source>');
  const text = last === '' ? `exit code ${r.code}` : last;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
