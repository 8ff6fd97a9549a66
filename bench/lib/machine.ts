// Where and when a benchmark ran: CPU, cores, RAM, Node, OS, commit and the load average (the
// machine may be shared, so the load is recorded next to every result set).
import { cpus, loadavg, totalmem, platform, release, arch } from 'node:os';
import { spawnSync } from 'node:child_process';

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  commit: string;
  dirty: boolean;
}

export function machine(): Machine {
  const git = (args: string[]) => spawnSync('git', args, { encoding: 'utf8' });
  const rev = git(['rev-parse', '--short', 'HEAD']);
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    commit: rev.status === 0 ? rev.stdout.trim() : 'unknown',
    dirty: status.status === 0 && status.stdout.trim() !== '',
  };
}

/** 1-minute load average (0 on Windows, where Node does not report it). */
export function load1(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export function loadString(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' / ');
}
