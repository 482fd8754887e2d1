#!/usr/bin/env node
// Runs on `npm install` / `npm ci` (the npm "prepare" lifecycle). It builds dist/ only when
// TypeScript is installed: `npx render` in a clone that was never installed runs "prepare"
// without devDependencies, and a failure there would leave a broken npx cache entry behind.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('typescript/bin/tsc');
} catch {
  console.error('render: TypeScript is not installed; skipping the build (run `npm install`).');
  process.exit(0);
}
// The same build as `npm run build`.
await import('./build.js');
