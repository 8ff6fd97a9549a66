#!/usr/bin/env node
// The direct way to run debridsphere, for service managers (systemd, pm2, a Windows service or
// scheduled task, Docker): one node process, no npm and no shell in between, so the SIGTERM or
// SIGINT a service manager sends reaches the server itself and it stops within a second
// (src/lifecycle.ts). Does what `npm start` does first: installs missing dependencies and rebuilds
// the server and browser bundles when the sources changed (scripts/ensure.mjs).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Relative settings (DATA_DIR=./data, .env) are read from the working directory, as with
// `npm start`: service definitions set it to the install folder (README, "Running as a service").
await import(pathToFileURL(join(root, 'scripts', 'ensure.mjs')).href);
process.setSourceMapsEnabled?.(true);
await import(pathToFileURL(join(root, 'dist', 'server', 'main.mjs')).href);
