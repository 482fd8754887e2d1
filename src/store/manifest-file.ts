/**
 * manifest.json read back through its own JSON Schema (schemas/render-manifest.schema.json),
 * never with an unchecked cast: a resume decides what to skip and what to poll from it, and the
 * contact sheet and export are built from it. Records that fail the schema are not trusted (and
 * said); the rest of the file still counts, so one hand-edited record cannot hide every job id.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RenderManifestFile, RenderRecord } from '../core/records.js';

/** schemas/ at the package root: two levels up from both src/store and dist/store. */
const SCHEMA = new URL('../../schemas/render-manifest.schema.json', import.meta.url);

let compiled: { file: ValidateFunction; record: ValidateFunction } | undefined;

function validators(): { file: ValidateFunction; record: ValidateFunction } {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: false, strict: false, code: { optimize: false } });
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as { $id: string };
  ajv.addSchema(schema);
  const file = ajv.getSchema(schema.$id);
  const record = ajv.getSchema(`${schema.$id}#/$defs/render`);
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
