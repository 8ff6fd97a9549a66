// Generated funscripts of known shape for the fake RD's CDN (issue 17): a three-phase "ramp" whose
// speeds, figures and heatmap colours are known in advance, plus the ways real funscripts are
// broken (not JSON, no actions, empty, huge). Written under a temporary name and renamed, like the
// samples, so parallel test processes never read half a file.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from './samples.ts';
import type { FakeTorrentSpec } from './types.ts';

/**
 * Full strokes (0 ↔ 100): one per 1000 ms for 60 s (100 pos/s), one per 500 ms for 60 s
 * (200 pos/s), one per 250 ms for 60 s (400 pos/s). 421 actions, 180 s long; 42,000 units
 * travelled in 180 s of motion = 233 pos/s on average; fastest move 400 pos/s.
 */
export function rampActions(): Array<{ at: number; pos: number }> {
  const out: Array<{ at: number; pos: number }> = [];
  let at = 0;
  let up = false;
  const push = () => {
    out.push({ at, pos: up ? 100 : 0 });
    up = !up;
  };
  push();
  for (const [step, until] of [[1000, 60_000], [500, 120_000], [250, 180_000]] as const) {
    while (at < until) {
      at += step;
      push();
    }
  }
  return out;
}

export const RAMP_FIGURES = { actions: 421, lengthMs: 180_000, avgSpeed: 233, maxSpeed: 400 } as const;

/** The files a test library can point its `.funscript` entries at. */
export const FUNSCRIPT_VARIANTS = {
  ramp: () => JSON.stringify({ version: '1.0', inverted: false, range: 100, actions: rampActions() }),
  notJson: () => '{"actions": [{"at": 0, "pos": 10}, ', // cut off mid-download
  noActions: () => JSON.stringify({ version: '1.0', metadata: { title: 'only metadata' } }),
  empty: () => JSON.stringify({ actions: [] }),
  // Valid JSON past the 8 MB limit: read no further than the limit.
  huge: () => JSON.stringify({ actions: [{ at: 0, pos: 0 }], padding: 'x'.repeat(9 * 1024 * 1024) }),
} as const;
export type FunscriptVariant = keyof typeof FUNSCRIPT_VARIANTS;

/** Path of a generated funscript of that shape (made once per machine, then reused). */
export function funscriptFile(variant: FunscriptVariant): string {
  const dir = join(SAMPLES_DIR, 'funscripts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${variant}.funscript`);
  if (!existsSync(path)) {
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, FUNSCRIPT_VARIANTS[variant]());
    renameSync(tmp, path);
  }
  return path;
}

/** A torrent of one video, added `days` ago, with a funscript of `variant` beside it (null: no script). */
export function scriptedTorrent(name: string, days: number, variant: FunscriptVariant | null): FakeTorrentSpec {
  const files: NonNullable<FakeTorrentSpec['files']> = [{ path: `/${name}/${name}.mp4`, bytes: 40_000_000 }];
  if (variant) files.push({ path: `/${name}/${name}.funscript`, source: funscriptFile(variant) });
  return { filename: name, added: new Date(Date.now() - days * 86_400_000).toISOString(), files };
}
