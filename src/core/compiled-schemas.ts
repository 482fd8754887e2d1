/**
 * JSON Schema validators, compiled ahead of time. Compiling render's schemas with ajv at every
 * start-up cost about 150 ms (loading ajv, then generating and evaluating the code) on the way
 * to the first submit; `npm run build` writes the same generated code once, as ajv's standalone
 * modules under dist/compiled-schemas/ (scripts/compile-schemas.js), and loading one takes
 * about 10 ms.
 *
 * A compiled module carries a fingerprint of the schema texts and the ajv options it was made
 * from. When it is missing or its fingerprint differs (schemas/ edited since the last build,
 * tests run from src/ before a build), the schemas are compiled here as before: the validators
 * are always those of the schemas on disk, only sooner.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Options, ValidateFunction } from 'ajv';

/** schemas/ at the package root: two levels up from both src/core and dist/core. */
export const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);
/** Where `npm run build` puts the compiled modules. */
export const COMPILED_DIR = new URL('../../dist/compiled-schemas/', import.meta.url);

/** One set of schemas compiled together, with names for the validators wanted from it. */
export interface SchemaSet {
  /** The compiled module's file name, without `.cjs`. */
  name: string;
  /** Schema files under schemas/; each is registered under its own file: URL (so relative $refs resolve). */
  files: readonly string[];
  /** Validator name → schema reference (a file of `files`, optionally with a #fragment). */
  refs: Readonly<Record<string, string>>;
  options: Options;
  /** Adds the ajv-formats formats (date-time, …). */
  formats?: boolean;
}

export interface LoadedSet {
  validators: Record<string, ValidateFunction>;
  /** Each file's parsed JSON, by its name in `files`. */
  json: ReadonlyMap<string, unknown>;
  /** `build`: the compiled module matched; `now`: compiled at this call. */
  compiled: 'build' | 'now';
}

/** Where the schemas and the compiled modules are (tests give folders of their own). */
export interface SchemaDirs {
  schemas: URL;
  compiled: URL;
}

const DIRS: SchemaDirs = { schemas: SCHEMAS_DIR, compiled: COMPILED_DIR };

const require = createRequire(import.meta.url);

const keyOf = (ref: string, dirs: SchemaDirs): string => {
  const [file = '', fragment] = ref.split('#');
  const url = new URL(file, dirs.schemas).href;
  return fragment === undefined ? url : `${url}#${fragment}`;
};

function readSet(set: SchemaSet, dirs: SchemaDirs): { texts: string[]; json: Map<string, unknown> } {
  const texts = set.files.map((file) => readFileSync(new URL(file, dirs.schemas), 'utf8'));
  return { texts, json: new Map(set.files.map((file, i) => [file, JSON.parse(texts[i] ?? '') as unknown])) };
}

/** The schema texts of `set` and the options they are compiled with, as one hash. */
export function fingerprintOf(set: SchemaSet, texts: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ options: set.options, formats: set.formats === true, refs: set.refs, files: set.files }));
  for (const text of texts) hash.update('\0').update(text);
  return hash.digest('hex');
}

/** The validators of `set`: the build's module when it was made from these schemas, else compiled now. */
export function loadSchemaSet(set: SchemaSet, dirs: SchemaDirs = DIRS): LoadedSet {
  const { texts, json } = readSet(set, dirs);
  const built = builtModule(new URL(`${set.name}.cjs`, dirs.compiled), fingerprintOf(set, texts));
  if (built && Object.keys(set.refs).every((name) => typeof built[name] === 'function')) {
    const validators = Object.fromEntries(Object.keys(set.refs).map((name) => [name, built[name] as ValidateFunction]));
    return { validators, json, compiled: 'build' };
  }
  return { validators: compile(set, json, dirs).validators, json, compiled: 'now' };
}

function builtModule(file: URL, fingerprint: string): Record<string, unknown> | undefined {
  let mod: Record<string, unknown>;
  try {
    mod = require(fileURLToPath(file)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return mod['fingerprint'] === fingerprint ? mod : undefined;
}

interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  getSchema(key: string): ValidateFunction | undefined;
}

/** Compiles `set` with ajv, loaded only here: a start-up that finds the build's modules never loads it. */
function compile(set: SchemaSet, json: ReadonlyMap<string, unknown>, dirs: SchemaDirs, source = false): { ajv: AjvLike; validators: Record<string, ValidateFunction> } {
  const { Ajv2020 } = require('ajv/dist/2020.js') as { Ajv2020: new (o: Options) => AjvLike };
  const ajv = new Ajv2020(source ? { ...set.options, code: { ...set.options.code, source: true } } : set.options);
  if (set.formats === true) (require('ajv-formats') as (a: AjvLike) => void)(ajv);
  for (const file of set.files) ajv.addSchema(json.get(file) as object, new URL(file, dirs.schemas).href);
  const validators: Record<string, ValidateFunction> = {};
  for (const [name, ref] of Object.entries(set.refs)) {
    const validate = ajv.getSchema(keyOf(ref, dirs));
    if (!validate) throw new Error(`internal: cannot compile ${ref} of schemas/`);
    validators[name] = validate;
  }
  return { ajv, validators };
}

/**
 * The module the build writes for `set` (scripts/compile-schemas.js): ajv's standalone code,
 * one export per validator name, and the fingerprint it was made from.
 */
export function standaloneModule(set: SchemaSet, dirs: SchemaDirs = DIRS): string {
  const { texts, json } = readSet(set, dirs);
  const { ajv } = compile(set, json, dirs, true);
  const standaloneCode = (require('ajv/dist/standalone') as { default: (a: AjvLike, refs: Record<string, string>) => string }).default;
  const refs = Object.fromEntries(Object.entries(set.refs).map(([name, ref]) => [name, keyOf(ref, dirs)]));
  return `${standaloneCode(ajv, refs)}\nexports.fingerprint = ${JSON.stringify(fingerprintOf(set, texts))};\n`;
}
