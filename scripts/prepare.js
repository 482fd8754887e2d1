#!/usr/bin/env node
// Runs on `npm install` / `npm ci` (the npm "prepare" lifecycle). It builds dist/ only when
// TypeScript is installed: `npx render` in a clone that was never installed runs "prepare"
// without devDependencies, and a failure there would leave a broken npx cache entry behind.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.error('render: TypeScript is not installed; skipping the build (run `npm install`).');
  process.exit(0);
}
const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
// The same steps as `npm run build` after tsc: the JSON Schemas compiled once, the command line bundled.
for (const step of ['compile-schemas.js', 'bundle.js']) {
  const done = spawnSync(process.execPath, [new URL(step, import.meta.url).pathname], { stdio: 'inherit' });
  if (done.status !== 0) process.exit(done.status ?? 1);
}
