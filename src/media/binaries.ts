// Finds ffmpeg and ffprobe (configured paths first, else the binaries shipped inside the
// @ffmpeg-installer/@ffprobe-installer npm packages), makes the shipped ones executable when the
// install skipped their chmod (npm 11 runs no install scripts), and checks that each one really
// runs. A missing or broken binary is a message, never a crash: the server keeps running.
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runProcess } from './run.ts';

export interface Binary {
  path: string;
  /** e.g. "N-47683-g0e8eb07980-static". */
  version: string;
}

export interface Binaries {
  ffmpeg: Binary | null;
  ffprobe: Binary | null;
  /** One sentence for the log / health page when something is missing, else null. */
  message: string | null;
}

type Tool = 'ffmpeg' | 'ffprobe';

const PACKAGES: Record<Tool, { pkg: string; env: string }> = {
  ffmpeg: { pkg: '@ffmpeg-installer/ffmpeg', env: 'FFMPEG_PATH' },
  ffprobe: { pkg: '@ffprobe-installer/ffprobe', env: 'FFPROBE_PATH' },
};

/** Path of the binary shipped in the npm package, or an error sentence. */
export function packagedPath(tool: Tool): { path: string } | { error: string } {
  try {
    const require = createRequire(import.meta.url);
    const mod = require(PACKAGES[tool].pkg) as { path?: unknown };
    if (typeof mod.path !== 'string') return { error: `${PACKAGES[tool].pkg} did not give a path` };
    return { path: mod.path };
  } catch (err) {
    return { error: `${PACKAGES[tool].pkg} has no binary for this platform (${errorText(err)})` };
  }
}

/** Adds the execute bits when missing (POSIX only). Returns an error sentence or null. */
export function ensureExecutable(path: string): string | null {
  if (process.platform === 'win32') return null;
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    // fall through: try to fix it
  }
  try {
    const mode = statSync(path).mode;
    chmodSync(path, mode | 0o111);
    accessSync(path, constants.X_OK);
    return null;
  } catch (err) {
    return `${path} is not executable and chmod failed (${errorText(err)})`;
  }
}

/** Runs `<bin> -version`; the version string, or an error sentence. */
export async function checkBinary(tool: Tool, path: string): Promise<Binary | { error: string }> {
  const r = await runProcess(path, ['-hide_banner', '-version'], { timeoutMs: 15_000, maxStdout: 64 * 1024 });
  if (r.spawnError) return { error: `${path} could not be started (${r.spawnError})` };
  if (r.timedOut) return { error: `${path} -version did not answer within 15 s` };
  const m = new RegExp(`^${tool} version (\\S+)`).exec(r.stdout);
  if (r.code !== 0 || !m) return { error: `${path} does not look like a working ${tool} (exit ${r.code})` };
  return { path, version: m[1]! };
}

async function locateOne(tool: Tool, configured: string | null): Promise<Binary | { error: string }> {
  let path = configured;
  if (path === null) {
    const p = packagedPath(tool);
    if ('error' in p) return p;
    path = p.path;
    const chmodError = ensureExecutable(path);
    if (chmodError) return { error: chmodError };
  }
  const checked = await checkBinary(tool, path);
  if ('error' in checked && configured !== null) return { error: `${PACKAGES[tool].env}: ${checked.error}` };
  return checked;
}

/** Locates and checks both binaries. `null` paths mean "use the npm packages". */
export async function locateBinaries(opts: { ffmpegPath: string | null; ffprobePath: string | null }): Promise<Binaries> {
  const [ffmpeg, ffprobe] = await Promise.all([locateOne('ffmpeg', opts.ffmpegPath), locateOne('ffprobe', opts.ffprobePath)]);
  const problems: string[] = [];
  if ('error' in ffmpeg) problems.push(`ffmpeg is unavailable: ${ffmpeg.error}; thumbnails and previews show a placeholder (set FFMPEG_PATH to a working ffmpeg)`);
  if ('error' in ffprobe) problems.push(`ffprobe is unavailable: ${ffprobe.error}; durations and resolutions stay unknown (set FFPROBE_PATH to a working ffprobe)`);
  return {
    ffmpeg: 'error' in ffmpeg ? null : ffmpeg,
    ffprobe: 'error' in ffprobe ? null : ffprobe,
    message: problems.length ? `${problems.join('. ')}.` : null,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
