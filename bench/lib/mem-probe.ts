// Preloaded into a benchmarked server process (`--import`): answers "mem" on the IPC channel with
// process.memoryUsage() and process.cpuUsage(), after a full GC when asked "mem-gc" and the process runs with --expose-gc.
// Lets the benchmark read the server's own RSS the same way on every OS.
const g = globalThis as { gc?: () => void };
process.on('message', (m: unknown) => {
  if (m !== 'mem' && m !== 'mem-gc') return;
  if (m === 'mem-gc' && g.gc) {
    g.gc();
    g.gc();
  }
  process.send?.({ mem: process.memoryUsage(), cpu: process.cpuUsage(), gc: m === 'mem-gc' && g.gc !== undefined });
});
