#!/usr/bin/env node
// The second step of the build, after tsc: compiles render's JSON Schemas once, into ajv's
// standalone modules under dist/compiled-schemas/, so that a command loads generated code
// (about 10 ms) instead of loading ajv and compiling the schemas at every start (about 150 ms).
// Each module carries the fingerprint of the schema texts and options it was made from; a
// command that finds another fingerprint compiles the schemas on disk itself
// (src/core/compiled-schemas.ts).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const { standaloneModule, COMPILED_DIR } = await import(new URL('core/compiled-schemas.js', dist).href);
const { MANIFEST_SCHEMA_SET } = await import(new URL('manifest/schema-registry.js', dist).href);
const { RENDER_MANIFEST_SCHEMA_SET } = await import(new URL('store/manifest-file.js', dist).href);

mkdirSync(COMPILED_DIR, { recursive: true });
for (const set of [MANIFEST_SCHEMA_SET, RENDER_MANIFEST_SCHEMA_SET]) {
  const target = new URL(`${set.name}.cjs`, COMPILED_DIR);
  const temp = new URL(`${set.name}.cjs.tmp`, COMPILED_DIR);
  writeFileSync(temp, standaloneModule(set));
  renameSync(temp, target);
}
