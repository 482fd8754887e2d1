#!/usr/bin/env node
// The committed launcher behind `npx render`. It stays tiny and always executable, so a clean
// rebuild of dist/ (which would drop an exec bit) can never break the command.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// A lean heap, set here rather than by re-spawning node (which would double the start-up).
// Both flags are read by V8 each time it resizes the heap, so they apply from now on.
// - The young generation stays at its first 1 MB semi-space instead of growing to 16 MB:
//   render's short-lived garbage (JSON lines, HTTP bodies) dies young, and at 16 MB the two
//   semi-spaces alone held 32 MB of a 10,000-render run's memory.
// - The old generation may grow 20% past what survived the last full collection, not up to 4x:
//   what a long run keeps (its records) grows slowly, and what it throws away (rewrites of
//   manifest.json) is better collected soon than left to pile up.
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=20');

// The bundle of the command line when the build made one (scripts/bundle.js), else its modules.
const bundle = new URL('../dist/cli/bundle.js', import.meta.url);
const entry = existsSync(fileURLToPath(bundle)) ? bundle : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('render: the project is not built yet. Run `npm install` (or `npm ci`) first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
