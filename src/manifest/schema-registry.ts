/**
 * The JSON Schemas under schemas/, read from disk and compiled once per process. They are the
 * single source of truth for the manifest's shape and for each model's params, their ranges and
 * the defaults that expansion makes explicit. The files reference each other by relative URL
 * (as editors resolve them), so each is registered under its own file: URL.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { MODELS, type ModelInfo } from '../core/catalog.js';

/** schemas/ at the package root: two levels up from both src/manifest and dist/manifest. */
const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);

export interface ModelSchemas {
  /** The whole params object of one render (required fields included). */
  validateParams: ValidateFunction;
  /** Every documented default, to send explicitly. */
  defaults: Readonly<Record<string, unknown>>;
  /** The param names the model takes, in schema order. */
  paramNames: readonly string[];
}

export interface SchemaRegistry {
  validateManifest: ValidateFunction;
  modelSchemas(model: ModelInfo): ModelSchemas;
}

/** How render's schemas are compiled (the meta-schema check aside). */
export const SCHEMA_OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true, code: { optimize: false } } as const;

let registry: SchemaRegistry | undefined;

export function schemaRegistry(): SchemaRegistry {
  registry ??= buildRegistry();
  return registry;
}

interface ParamsSchema {
  $defs: { params: { properties: Record<string, { default?: unknown }> } };
}

function buildRegistry(): SchemaRegistry {
  // verbose: errors carry the failing value and schema, which the messages quote.
  // optimize off: compiling runs on every command start, and its passes cost more there
  // (about 30 ms of CPU) than they save in one validation of even a 10,000-shot manifest.
  // validateSchema off: checking our own schemas against the JSON Schema meta-schema means
  // compiling the meta-schema first, half of the start-up cost; test/manifest/schemas-valid
  // checks them once instead.
  const ajv = new Ajv2020({ ...SCHEMA_OPTIONS, validateSchema: false });
  const modelSchemaJson = new Map<string, ParamsSchema>();
  for (const model of MODELS) {
    const url = new URL(`models/${model.schemaFile}`, SCHEMAS_DIR);
    const json = readJson(url) as ParamsSchema;
    modelSchemaJson.set(model.schemaFile, json);
    ajv.addSchema(json as object, url.href);
  }
  const manifestUrl = new URL('manifest.schema.json', SCHEMAS_DIR);
  ajv.addSchema(readJson(manifestUrl) as object, manifestUrl.href);
  const validateManifest = ajv.getSchema(manifestUrl.href);
  if (!validateManifest) throw new Error(`cannot compile ${fileURLToPath(manifestUrl)}`);

  const byFile = new Map<string, ModelSchemas>();
  return {
    validateManifest,
    modelSchemas(model) {
      let schemas = byFile.get(model.schemaFile);
      if (!schemas) {
        const json = modelSchemaJson.get(model.schemaFile);
        const validateParams = ajv.getSchema(new URL(`models/${model.schemaFile}`, SCHEMAS_DIR).href);
        if (!json || !validateParams) throw new Error(`no params schema for ${model.model}`);
        const properties = json.$defs.params.properties;
        const defaults: Record<string, unknown> = {};
        for (const [name, property] of Object.entries(properties)) {
          if (property.default !== undefined) defaults[name] = property.default;
        }
        schemas = { validateParams, defaults, paramNames: Object.keys(properties) };
        byFile.set(model.schemaFile, schemas);
      }
      return schemas;
    },
  };
}

function readJson(url: URL): unknown {
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}
