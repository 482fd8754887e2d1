#!/usr/bin/env node
// The last step of the build: the command line's modules (dist/cli/main.js and everything it
// imports of src/, as tsc compiled them) joined into a few files, dist/cli/bundle.js and its
// chunks, which bin/render.js runs. Loading some 200 small modules one by one cost a command
// about 65 ms of its start (each is resolved, read, compiled and linked on its own).
// - Each command's code is a chunk of its own, loaded when the command runs: --help loads
//   neither the engine nor yaml.
// - yaml and p-limit, which every run loads, are bundled too: yaml alone is some 70 files, and
//   loading them one by one cost a run about 70 ms. The other packages stay separate imports
//   (mp4box is loaded after the first submits; undici, ajv and cli-progress are required where
//   they are used, not imported).
// - The files sit beside main.js, so the paths their modules compute from import.meta.url
//   (../../schemas/, ../../package.json) are the same.
// Without esbuild (a clone run by npx without its devDependencies) nothing is bundled and
// bin/render.js runs dist/cli/main.js.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.error('render: esbuild is not installed; dist/cli/bundle.js not built (bin/render.js runs dist/cli/main.js).');
  process.exit(0);
}
const BUNDLED = ['yaml', 'p-limit'];
const { dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
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
  external: Object.keys(dependencies).filter((name) => !BUNDLED.includes(name)),
  // yaml's CommonJS code requires node's own modules: an ES module has no require of its own.
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
