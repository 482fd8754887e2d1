/**
 * The JSON Schemas under schemas/, the single source of truth for the manifest's shape and for
 * each model's params, their ranges and the defaults that expansion makes explicit. They are
 * compiled by the build, or at start-up when the build's copy is not theirs
 * (core/compiled-schemas.ts). The files reference each other by relative URL (as editors
 * resolve them), so each is registered under its own file: URL.
 */
import type { ValidateFunction } from 'ajv';
import { loadSchemaSet, type SchemaSet } from '../core/compiled-schemas.js';
import { MODELS, type ModelInfo } from '../core/catalog.js';

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

const MANIFEST_FILE = 'manifest.schema.json';
const modelFile = (model: Pick<ModelInfo, 'schemaFile'>): string => `models/${model.schemaFile}`;
const modelFiles = [...new Set(MODELS.map(modelFile))];

/**
 * The manifest's schema and every model's params schema, compiled together (the manifest's refers
 * to the models'): verbose, so errors carry the failing value and schema, which the messages
 * quote. Optimize off: when compiled at start-up (no build yet), its passes cost more (about 30
 * ms of CPU) than they save in one validation of even a 10,000-shot manifest. validateSchema off:
 * checking our own schemas against the JSON Schema meta-schema means compiling the meta-schema
 * too; test/manifest/schemas-valid checks them once instead.
 */
export const MANIFEST_SCHEMA_SET: SchemaSet = {
  name: 'manifest',
  files: [...modelFiles, MANIFEST_FILE],
  refs: Object.fromEntries([['manifest', MANIFEST_FILE], ...modelFiles.map((file) => [file, file])]) as Record<string, string>,
  options: { ...SCHEMA_OPTIONS, validateSchema: false },
};

function buildRegistry(): SchemaRegistry {
  const { validators, json } = loadSchemaSet(MANIFEST_SCHEMA_SET);
  const validator = (name: string): ValidateFunction => {
    const validate = validators[name];
    if (!validate) throw new Error(`internal: no validator for schemas/${name}`);
    return validate;
  };
  const validateManifest = validator('manifest');
  const byFile = new Map<string, ModelSchemas>();
  return {
    validateManifest,
    modelSchemas(model) {
      let schemas = byFile.get(model.schemaFile);
      if (!schemas) {
        const file = modelFile(model);
        const properties = (json.get(file) as ParamsSchema).$defs.params.properties;
        const defaults: Record<string, unknown> = {};
        for (const [name, property] of Object.entries(properties)) {
          if (property.default !== undefined) defaults[name] = property.default;
        }
        schemas = { validateParams: validator(file), defaults, paramNames: Object.keys(properties) };
        byFile.set(model.schemaFile, schemas);
      }
      return schemas;
    },
  };
}
