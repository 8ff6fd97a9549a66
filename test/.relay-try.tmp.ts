import { SourceRelay } from '../src/media/relay.ts';
import { runProcess, describeFailure } from '../src/media/run.ts';
const F = 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg', P = 'node_modules/@ffprobe-installer/linux-x64/ffprobe';
const relay = new SourceRelay(); await relay.start();
const count = async () => Number(await (await fetch('http://127.0.0.1:8765/count')).text());
const extra = (process.env.EXTRA ?? '').split(' ').filter(Boolean);
let tp = 0, tt = 0;
for (let i = 0; i < 5; i++) {
  const s = relay.open('http://127.0.0.1:8765/large.mp4');
  let r = await runProcess(P, ['-v', 'error', '-reconnect', '1', ...extra, '-show_entries', 'format=duration', '-of', 'json', s.input()], { timeoutMs: 30000, maxStdout: 100000 });
  const c1 = await count(); tp += c1;
  console.log('probe', r.code, r.stdout.replace(/\s+/g, ''), 'relay', s.bytes, 'cdn', c1);
  s.close();
  const t = relay.open('http://127.0.0.1:8765/large.mp4');
  r = await runProcess(F, ['-hide_banner', '-loglevel', 'error', '-y', '-reconnect', '1', ...extra, '-threads', '1', '-ss', '18', '-noaccurate_seek', '-i', t.input(), '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '3', '-f', 'mjpeg', '/tmp/mtest/t3.jpg'], { timeoutMs: 30000 });
  const c2 = await count(); tt += c2;
  console.log('thumb', r.code, describeFailure(r), 'relay', t.bytes, 'cdn', c2);
  t.close();
}
console.log('avg probe', tp / 5, 'thumb', tt / 5);
await relay.close();
