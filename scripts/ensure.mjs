// Runs before npm start/test/demo: installs dependencies when they are missing (fresh clone)
// and builds the browser bundle when its sources are newer than the bundle. Plain Node, no deps.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// package.json "engines" says the same; npm only warns about it, so say it plainly here.
const [major, minor, patch] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && (minor < 18 || (minor === 18 && patch < 1)))) {
  console.error(`debridsphere needs Node.js 20.18.1 or newer; this is ${process.version}. Install the current LTS from https://nodejs.org and try again.`);
  process.exit(1);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`debridsphere: "${cmd} ${args.join(' ')}" failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}

// npm test drives Debian's Chromium for the browser-view tests (never a downloaded browser). On a
// fresh Debian/Ubuntu machine run as root (CI, a container) it is installed here; elsewhere the
// user is told once what to install.
if (process.env.npm_lifecycle_event === 'pretest') {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  if (!candidates.some((c) => c && existsSync(c))) {
    const canApt = process.platform === 'linux' && existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;
    if (canApt) {
      console.log('debridsphere: installing Chromium from Debian for the browser tests...');
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
        const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
        if (r.status !== 0) break;
      }
    } else {
      console.warn('debridsphere: Chromium not found, so the browser-view tests will fail. Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH.');
    }
  }
}

const needed = ['fastify', 'libsql', 'tsx', 'esbuild', '@ffmpeg-installer/ffmpeg'];
if (needed.some((p) => !existsSync(join(root, 'node_modules', p, 'package.json')))) {
  console.log('debridsphere: installing dependencies (first run)...');
  run(npm, [existsSync(join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
// The server bundle (npm start runs it with plain node): rebuilt when any server source changed.
const serverBundle = join(root, 'dist', 'server', 'main.mjs');
const serverNewest = Math.max(...readdirSync(join(root, 'src'), { withFileTypes: true })
  .filter((e) => e.name !== 'web')
  .map((e) => (e.isDirectory() ? newest(join(root, 'src', e.name)) : statSync(join(root, 'src', e.name)).mtimeMs)));
if (!existsSync(serverBundle) || serverNewest > statSync(serverBundle).mtimeMs) {
  run(process.execPath, [join(root, 'scripts', 'build-server.mjs')]);
}

const webSrc = join(root, 'src', 'web');
const bundle = join(root, 'dist', 'web', 'app.js');
if (existsSync(webSrc) && (!existsSync(bundle) || newest(webSrc) > statSync(bundle).mtimeMs)) {
  run(process.execPath, [join(root, 'scripts', 'build-web.mjs')]);
}
