/**
 * The first pass over a manifest: its shape against schemas/manifest.schema.json, every error
 * at once, each pointing at the offending key or value.
 */
import type { ErrorObject } from 'ajv';
import type { Problem } from '../core/errors.js';
import { schemaRegistry } from './schema-registry.js';
import { schemaErrorMessage } from './schema-messages.js';
import type { DocPath, SourceMap } from './source-map.js';

export function checkManifestSchema(data: unknown, sourceMap: SourceMap): Problem[] {
  if (data === null || data === undefined) {
    return [sourceMap.problem([], 'the manifest is empty; it needs at least `version: 1` and `shots:`')];
  }
  const validate = schemaRegistry().validateManifest;
  if (validate(data)) return [];
  return relevantErrors(validate.errors ?? []).map((error) => toProblem(error, sourceMap));
}

/** `/shots/0/params` → ['shots', 0, 'params']. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `['shots', 0, 'params']` → `shots[0].params`. */
export function pathLabel(path: DocPath): string {
  let label = '';
  for (const segment of path) {
    if (typeof segment === 'number') label += `[${segment}]`;
    else label += label === '' ? segment : `.${segment}`;
  }
  return label === '' ? 'the manifest' : label;
}

function toProblem(error: ErrorObject, sourceMap: SourceMap): Problem {
  const path = pointerToPath(error.instancePath);
  const label = pathLabel(path);
  const message = schemaErrorMessage(error, label, label);
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return sourceMap.problem([...path, key], message, { key: true });
  }
  if (error.propertyName !== undefined) {
    return sourceMap.problem([...path, error.propertyName], `${label}: key ${message.slice(label.length + 1)}`, { key: true });
  }
  return sourceMap.problem(path, message);
}

/**
 * Drops the errors that would say the same thing twice or that another pass says better:
 * - the per-model params of a shot (the editor hints in the schema): rules/params-fit-model
 *   checks the merged params of every render and says where each param came from;
 * - `if` failures (only a consequence of the `then` errors) and `propertyNames` wrappers;
 * - for a `oneOf`, the branches whose type does not even match the value.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const kept = errors.filter(
    (e) =>
      e.keyword !== 'if' &&
      e.keyword !== 'propertyNames' &&
      !(e.instancePath.startsWith('/shots/') && !e.schemaPath.startsWith('#')),
  );
  const oneOfs = kept.filter((e) => e.keyword === 'oneOf');
  if (oneOfs.length === 0) return kept;
  const drop = new Set<ErrorObject>();
  for (const oneOf of oneOfs) {
    const branchPrefix = `${oneOf.schemaPath}/`;
    const inBranches = kept.filter((e) => e.schemaPath.startsWith(branchPrefix));
    const typeMismatches = inBranches.filter((e) => e.keyword === 'type' && e.instancePath === oneOf.instancePath);
    typeMismatches.forEach((e) => drop.add(e));
    const rest = inBranches.filter((e) => !drop.has(e));
    if (rest.length > 0) drop.add(oneOf);
  }
  return kept.filter((e) => !drop.has(e));
}
