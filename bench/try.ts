import { printResult } from './lib/report.ts';
import { benchOptions } from './lib/options.ts';
const [name, sizes] = process.argv.slice(2);
const mod = await import(`./${name}.ts`);
const o = benchOptions(true); if (sizes) o.sizes = sizes.split(',').map(Number);
for (const r of await mod.run(o)) printResult(r);
