// Which torrents' media changed lately (a thumbnail made, a job failed), in change order and
// bounded, so an open browser page can ask "what changed since my last look" (GET /api/changes)
// without the server keeping anything per page. Too far back to tell = the page reloads.

export class ChangeLog {
  private count = 0;
  /** Torrent hash -> change count of its last change, oldest first. */
  private readonly at = new Map<string, number>();

  constructor(private readonly keep = 5_000) {}

  get changes(): number {
    return this.count;
  }

  touch(hash: string): void {
    this.count++;
    this.at.delete(hash); // re-inserted last: the map stays in change order
    this.at.set(hash, this.count);
    if (this.at.size > this.keep) this.at.delete(this.at.keys().next().value!);
  }

  /** Hashes changed after `count`; null when changes that far back were forgotten. */
  since(count: number): string[] | null {
    const oldest = this.at.values().next().value;
    if (this.at.size >= this.keep && oldest !== undefined && oldest > count + 1) return null;
    const out: string[] = [];
    for (const [hash, n] of this.at) if (n > count) out.push(hash);
    return out;
  }
}
