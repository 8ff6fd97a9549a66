import { generateLibrary } from './library-gen.ts';
for (let k = 0; k < 4; k++) { const c0 = process.cpuUsage(); const t0 = performance.now(); const lib = generateLibrary(50_000, { seed: k }); const c = process.cpuUsage(c0); console.log(Math.round(performance.now() - t0), 'wall', Math.round(c.user/1000), 'user', Math.round(c.system/1000), 'sys', lib.length); }
