// A one-line progress bar with rate and ETA for long jobs on a terminal; plain periodic lines
// when output is not a terminal (logs, CI).
export class ProgressBar {
  private started = Date.now();
  private lastPrint = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, note = ''): void {
    const now = Date.now();
    if (now - this.lastPrint < (this.out.isTTY ? 100 : 5000) && done < this.total) return;
    this.lastPrint = now;
    const frac = this.total ? done / this.total : 1;
    const elapsed = (now - this.started) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : 0;
    const width = 28;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const line = `${this.label} ${bar} ${done}/${this.total} ${(frac * 100).toFixed(0)}% ETA ${fmt(eta)} ${note}`;
    if (this.out.isTTY) this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1).padEnd((this.out.columns ?? 120) - 1)}`);
    else this.out.write(line + '\n');
  }

  finish(note = ''): void {
    this.lastPrint = 0;
    this.update(this.total, note);
    if (this.out.isTTY) this.out.write('\n');
  }
}

function fmt(s: number): string {
  if (!Number.isFinite(s) || s <= 0) return '0s';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${Math.round(s % 60)}s` : `${Math.round(s)}s`;
}
