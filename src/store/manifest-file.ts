/**
 * manifest.json read back through its own JSON Schema (schemas/render-manifest.schema.json),
 * never with an unchecked cast: a resume decides what to skip and what to poll from it, and the
 * contact sheet and export are built from it. Records that fail the schema are not trusted (and
 * said); the rest of the file still counts, so one hand-edited record cannot hide every job id.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadSchemaSet, type SchemaSet } from '../core/compiled-schemas.js';
import type { RenderManifestFile, RenderRecord } from '../core/records.js';

const SCHEMA_FILE = 'render-manifest.schema.json';

/** schemas/render-manifest.schema.json: the whole file, and one record of it. */
export const RENDER_MANIFEST_SCHEMA_SET: SchemaSet = {
  name: 'render-manifest',
  files: [SCHEMA_FILE],
  refs: { file: SCHEMA_FILE, record: `${SCHEMA_FILE}#/$defs/render` },
  options: { allErrors: false, strict: false, code: { optimize: false } },
  formats: true,
};

let compiled: { file: ValidateFunction; record: ValidateFunction } | undefined;

function validators(): { file: ValidateFunction; record: ValidateFunction } {
  if (compiled) return compiled;
  const { file, record } = loadSchemaSet(RENDER_MANIFEST_SCHEMA_SET).validators;
  if (!file || !record) throw new Error('internal: the render manifest schema has no $defs/render');
  compiled = { file, record };
  return compiled;
}

function say(errors: ErrorObject[] | null | undefined, at: string): string {
  const e = errors?.[0];
  if (!e) return `${at} does not match the schema`;
  const where = `${at}${e.instancePath.replace(/\//g, '.').replace(/\.(\d+)(?=\.|$)/g, '[$1]')}`;
  return `${where || 'the top level'} ${e.message ?? 'is not valid'}`;
}

export interface CheckedManifest {
  manifest: RenderManifestFile;
  /** Records left out, each as `renders[i] …: why`. */
  problems: string[];
}

/**
 * Checks a parsed manifest.json. Whole-file problems (not an object, no renders list, a wrong
 * top-level field) make it unusable (`null`, with the reason); bad records are dropped and said.
 */
export function checkManifest(value: unknown): CheckedManifest | { unusable: string } {
  const v = validators();
  if (v.file(value)) return { manifest: value as RenderManifestFile, problems: [] };
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { renders?: unknown }).renders)) {
    return { unusable: say(v.file.errors, '') };
  }
  const problems: string[] = [];
  const renders: RenderRecord[] = [];
  (value as { renders: unknown[] }).renders.forEach((r, i) => {
    if (v.record(r)) renders.push(r as RenderRecord);
    else problems.push(say(v.record.errors, `renders[${i}]`));
  });
  const manifest = { ...(value as RenderManifestFile), renders };
  if (!v.file(manifest)) return { unusable: say(v.file.errors, '') };
  return { manifest, problems };
}
