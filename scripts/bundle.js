#!/usr/bin/env node
// The last step of the build: the command line's modules (dist/cli/main.js and everything it
// imports of src/, as tsc compiled them) joined into a few files, dist/cli/bundle.js and its
// chunks, which bin/render.js runs. Loading some 200 small modules one by one cost a command
// about 65 ms of its start (each is resolved, read, compiled and linked on its own).
// - Each command's code is a chunk of its own, loaded when the command runs: --help loads
//   neither the engine nor yaml.
// - Packages under node_modules stay separate imports.
// - The files sit beside main.js, so the paths their modules compute from import.meta.url
//   (../../schemas/, ../../package.json) are the same.
// Without esbuild (a clone run by npx without its devDependencies) nothing is bundled and
// bin/render.js runs dist/cli/main.js.
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.error('render: esbuild is not installed; dist/cli/bundle.js not built (bin/render.js runs dist/cli/main.js).');
  process.exit(0);
}
const outdir = new URL('../dist/cli/', import.meta.url);
// The chunks of an earlier build, whose names change with their content.
for (const name of readdirSync(outdir)) if (/^bundle(-chunk-[\w-]+)?\.js$/.test(name)) rmSync(new URL(name, outdir));
await esbuild.build({
  entryPoints: { bundle: new URL('main.js', outdir).pathname },
  outdir: outdir.pathname,
  chunkNames: 'bundle-chunk-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
