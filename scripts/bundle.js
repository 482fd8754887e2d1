#!/usr/bin/env node
// The last step of the build: the command line's modules (dist/cli/main.js and everything it
// imports of src/, as tsc compiled them) joined into one file, dist/cli/bundle.js, which
// bin/render.js runs. Loading some 200 small modules one by one cost a command about 65 ms of
// its start (each is resolved, read, compiled and linked on its own); one file does not.
// Packages under node_modules stay separate imports. The file sits beside main.js, so the
// paths its modules compute from import.meta.url (../../schemas/, ../../package.json) are the
// same. Without esbuild (a clone run by npx without its devDependencies) nothing is bundled and
// bin/render.js runs dist/cli/main.js.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.error('render: esbuild is not installed; dist/cli/bundle.js not built (bin/render.js runs dist/cli/main.js).');
  process.exit(0);
}
await esbuild.build({
  entryPoints: [new URL('../dist/cli/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/cli/bundle.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
