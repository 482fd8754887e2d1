#!/usr/bin/env node
// Checks that the folders under src/ import one way (ARCHITECTURE.md): builds the graph of
// imports between top-level folders from the TypeScript sources and fails on any cycle, or on
// an import that goes against the allowed direction. Part of `npm run lint`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));
/** What each folder may import (besides itself). */
const ALLOWED = {
  core: [],
  media: [],
  manifest: ['core', 'media'],
  providers: ['core', 'manifest', 'media'],
  store: ['core', 'media'],
  engine: ['core', 'manifest', 'providers', 'store', 'media'],
  present: ['core', 'engine', 'store', 'manifest', 'media'],
  emulator: ['core', 'media', 'providers'],
  cli: ['core', 'manifest', 'providers', 'store', 'engine', 'present', 'emulator', 'media'],
  bench: ['core', 'manifest', 'providers', 'store', 'engine', 'present', 'emulator', 'media', 'cli'],
};

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

const folderOf = (path) => relative(src, path).split(sep)[0];
const problems = [];
for (const file of files(src)) {
  const from = folderOf(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = normalize(join(dirname(file), m[1]));
    const to = folderOf(target);
    if (to === from || to.startsWith('..')) continue;
    const allowed = ALLOWED[from];
    if (!allowed) problems.push(`${relative(src, file)}: folder src/${from} is not in scripts/check-layers.js`);
    else if (!allowed.includes(to)) problems.push(`${relative(src, file)} imports src/${to} (${m[1]}): src/${from} may import only ${allowed.join(', ') || 'nothing of ours'}`);
  }
}
if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`layers: ${p}\n`);
  process.stderr.write(`layers: ${problems.length} import(s) against the direction in ARCHITECTURE.md\n`);
  process.exit(1);
}
process.stdout.write('layers: every import between src/ folders goes one way\n');
