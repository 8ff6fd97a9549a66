// How a running server stops. Users leave it running under a service manager (systemd, pm2, a
// Windows service wrapper, Docker, `npm start`), and each of them stops it with SIGTERM or SIGINT
// and then waits: the server must be gone within a second, port released, however it was started.
//
// Under `npm start` (and `npm run demo`) npm runs the server through `sh -c`. A SIGTERM sent to
// npm alone (what several service managers and `docker stop` do) is forwarded to that shell,
// which dies without passing it on: the server was left running as an orphan holding the port.
// So a server started by npm also stops when its launcher goes away (its parent process changes).
// A server started directly (bin/debridsphere.mjs, systemd, pm2) is not watched that way: a user
// may start it with `nohup … &` from a shell they then close.

/** Longest a shutdown may take before the process exits anyway (open streams, a slow close). */
export const SHUTDOWN_DEADLINE_MS = 800;
/** How often a server started by npm checks that npm is still its parent. */
const PARENT_POLL_MS = 250;

export interface ShutdownOptions {
  /** Closes listeners and parts; the process exits when it resolves (or at the deadline). */
  close: () => Promise<void>;
  /** One line per shutdown reason ("SIGTERM: shutting down"). */
  log: (message: string) => void;
  /** Watch the parent process (default: when started by an npm script). */
  watchParent?: boolean;
}

/** Installs the SIGINT/SIGTERM handlers (and the parent watch); the first reason wins. */
export function installShutdown(opts: ShutdownOptions): void {
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    opts.log(`${reason}: shutting down`);
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    opts.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // A terminal closed under a foreground server (ssh session ends): stop instead of being killed.
  if (process.platform !== 'win32') process.on('SIGHUP', () => stop('SIGHUP'));

  const watch = opts.watchParent ?? Boolean(process.env.npm_lifecycle_event);
  if (watch) {
    const parent = process.ppid; // a live getter on POSIX: it changes when the parent dies
    setInterval(() => {
      if (process.ppid !== parent || !alive(parent)) stop('launcher (npm) exited');
    }, PARENT_POLL_MS).unref();
  }
}

/** Whether a process exists (Windows does not re-parent orphans, so ppid alone cannot tell). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
