// Run the fake RD by hand (demo, manual poking, benchmarks in another process):
//   tsx test/fake-rd/cli.ts --port 5099 --size 1000 [--seed 42] [--no-fixtures] [--no-rate-limit]
// Prints the API URL and the token to use, then serves until Ctrl-C.

import { parseArgs } from 'node:util';
import { edgeCaseFixtures, generateLibrary, startFakeRd } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5099' },
    host: { type: 'string', default: '127.0.0.1' },
    size: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    token: { type: 'string' },
    'no-fixtures': { type: 'boolean', default: false },
    'no-rate-limit': { type: 'boolean', default: false },
  },
});

const now = Date.now();
const torrents = [
  ...(values['no-fixtures'] ? [] : edgeCaseFixtures({ now })),
  ...generateLibrary(Number(values.size), { seed: Number(values.seed), now: now - 24 * 3_600_000 }),
];
const fake = await startFakeRd({
  port: Number(values.port),
  host: values.host,
  torrents,
  ...(values.token ? { token: values.token } : {}),
  ...(values['no-rate-limit'] ? { rateLimit: false as const } : {}),
});

process.stdout.write(
  `fake Real-Debrid listening\n  apiUrl: ${fake.apiUrl}\n  token:  ${fake.token}\n  torrents: ${torrents.length}\n`,
);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
