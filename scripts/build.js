#!/usr/bin/env node
// `npm run build`, and the build `npm ci` runs (scripts/prepare.js): one list of steps.
// 1. tsc compiles src/ to dist/;
// 2. the JSON Schemas are compiled to code (scripts/compile-schemas.js);
// 3. the command line is bundled (scripts/bundle.js).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const steps = [
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  [new URL('compile-schemas.js', import.meta.url).pathname],
  [new URL('bundle.js', import.meta.url).pathname],
];
for (const args of steps) {
  const done = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
  if (done.status !== 0) process.exit(done.status ?? 1);
}
