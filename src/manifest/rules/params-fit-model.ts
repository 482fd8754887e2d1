/**
 * The params that reach each render, checked against the model's own schema (the merge of
 * defaults.params, models.<model>, the shot's params and each sweep combination, with the
 * documented defaults filled in), then against the model's cross-field rules. A problem points
 * where the param was written and says where it came from.
 */
import type { ErrorObject } from 'ajv';
import type { Problem } from '../../core/errors.js';
import { didYouMean } from '../did-you-mean.js';
import { mergeBaseParams, originWords, plainParams, sweepPicks, sweepSize, withSweep, type MergedParams, type ParamSource } from '../params-merge.js';
import type { ResolvedShot } from '../resolve-shots.js';
import { schemaRegistry, type ModelSchemas } from '../schema-registry.js';
import { schemaErrorMessage } from '../schema-messages.js';
import { pathLabel, pointerToPath } from '../schema-pass.js';
import type { DocPath } from '../source-map.js';
import { MAX_RENDERS_PER_SHOT } from '../limits.js';
import type { RuleContext } from './context.js';
import { CROSS_FIELD_RULES } from './cross-field.js';

/** Written at the shot level, never in params. */
const SHOT_LEVEL: Record<string, string> = { seed: 'seed: or seeds:', prompt: 'prompt:', model: 'model:' };

/** The more specific a layer, the likelier it is the one to change. */
const SPECIFICITY = { defaults: 0, model: 1, shot: 2, sweep: 3 } as const;

export function paramsFitModel(ctx: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const shot of ctx.shots) {
    if (!shot.info) continue;
    // An oversized sweep is reported by the expansion; checking each combination would hang.
    if (sweepSize(shot) > MAX_RENDERS_PER_SHOT) continue;
    const schemas = schemaRegistry().modelSchemas(shot.info);
    const crossRules = CROSS_FIELD_RULES[`${shot.provider} ${shot.model}`] ?? [];
    const base = mergeBaseParams(shot, ctx.input);
    for (const pick of sweepPicks(shot)) {
      const merged = withSweep(base, pick, shot);
      const params = { ...schemas.defaults, ...plainParams(merged) };
      if (!schemas.validateParams(params)) {
        for (const error of schemas.validateParams.errors ?? []) {
          const problem = paramProblem(error, merged, shot, schemas, ctx);
          if (problem) problems.push(problem);
        }
      }
      for (const rule of crossRules) {
        const found = rule(params);
        if (!found) continue;
        const written = found.params
          .map((name) => merged.get(name))
          .filter((s): s is ParamSource => s !== undefined)
          .sort((a, b) => SPECIFICITY[b.kind] - SPECIFICITY[a.kind]);
        const path: DocPath = written[0]?.path ?? [...shot.path, 'id'];
        problems.push(ctx.sourceMap.problem(path, `${found.message}${written[0] ? ` (${originWords(written[0], shot.model)})` : ''}`));
      }
    }
  }
  return problems;
}

function paramProblem(error: ErrorObject, merged: MergedParams, shot: ResolvedShot, schemas: ModelSchemas, ctx: RuleContext): Problem | undefined {
  const { sourceMap } = ctx;
  const path = pointerToPath(error.instancePath);
  if (error.keyword === 'required' && path.length === 0) {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return sourceMap.problem([...shot.path, 'id'], `shot "${shot.id}": ${shot.model} needs params.${missing}`);
  }
  if (error.keyword === 'additionalProperties' && path.length === 0) {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const source = merged.get(key);
    // models.<model> was checked against the same schema by the schema pass.
    if (!source || source.kind === 'model') return undefined;
    const keyPath = source.kind === 'sweep' ? [...shot.path, 'sweep', key] : source.path;
    return sourceMap.problem(keyPath, unknownParamMessage(key, source, shot, schemas), { key: true });
  }
  const top = path[0];
  const source = typeof top === 'string' ? merged.get(top) : undefined;
  if (!source || source.kind === 'model') return undefined;
  const label = pathLabel(path);
  let message = schemaErrorMessage(error, label, label);
  if (source.kind === 'defaults') message += ` (from defaults.params, for ${shot.model})`;
  const keyError = error.keyword === 'additionalProperties';
  const at = keyError ? [...source.path, ...path.slice(1), String((error.params as { additionalProperty: string }).additionalProperty)] : [...source.path, ...path.slice(1)];
  return sourceMap.problem(at, message, { key: keyError });
}

function unknownParamMessage(key: string, source: ParamSource, shot: ResolvedShot, schemas: ModelSchemas): string {
  const shotLevel = SHOT_LEVEL[key];
  if (shotLevel) return `${key} is set on the shot (${shotLevel}), not in params`;
  const allowed = `(${shot.model} takes: ${schemas.paramNames.join(', ')})`;
  switch (source.kind) {
    case 'defaults':
      return `"${key}" from defaults.params reaches shots of ${shot.model}, which has no such param: move it under models: for the models that take it ${allowed}`;
    case 'sweep':
      return `sweep key "${key}" is not a param of ${shot.model}${didYouMean(key, schemas.paramNames)} ${allowed}`;
    default:
      return `"${key}" is not a param of ${shot.model}${didYouMean(key, schemas.paramNames)} ${allowed}`;
  }
}
