// Preloaded into a benchmarked server process (`--import`): answers "mem" on the IPC channel with
// process.memoryUsage() and process.cpuUsage(), after a full GC when asked "mem-gc" and the process
// runs with --expose-gc; "snapshot:<file>" writes a V8 heap snapshot there first (diagnosis).
// Lets the benchmark read the server's own figures the same way on every OS.
import { writeHeapSnapshot } from 'node:v8';

const g = globalThis as { gc?: () => void };
process.on('message', (m: unknown) => {
  if (typeof m !== 'string') return;
  if (m.startsWith('snapshot:')) writeHeapSnapshot(m.slice('snapshot:'.length));
  else if (m !== 'mem' && m !== 'mem-gc') return;
  if (m === 'mem-gc' && g.gc) {
    g.gc();
    g.gc();
  }
  process.send?.({ mem: process.memoryUsage(), cpu: process.cpuUsage(), gc: m === 'mem-gc' && g.gc !== undefined });
});

// A benchmark stopped half-way (Ctrl-C, a killed run) must not leave its server running: when the
// IPC channel closes, stop as a service manager would.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
