/**
 * One manifest file through the whole pipeline: YAML with positions, the schema, the named
 * rules, then expansion. Returns every problem found, or the expanded manifest.
 */
import { basename, dirname, extname } from 'node:path';
import { formatProblem, type Problem } from '../core/errors.js';
import { expandRenders } from './expand.js';
import { readManifestInput } from './manifest-input.js';
import { checkMediaFile, type MediaFileRule, type MediaFileVerdict } from './media-file-check.js';
import { parseManifestYaml } from './parse-yaml.js';
import { resolveShots } from './resolve-shots.js';
import type { Rule, RuleContext } from './rules/context.js';
import { budgetHasPrice } from './rules/budget-has-price.js';
import { knownVars } from './rules/known-vars.js';
import { mediaFilesExist } from './rules/media-files-exist.js';
import { paramsFitModel } from './rules/params-fit-model.js';
import { seedsFitModel } from './rules/seeds-fit-model.js';
import { uniqueShotIds } from './rules/unique-shot-ids.js';
import { checkManifestSchema } from './schema-pass.js';
import type { Position } from './source-map.js';
import type { ExpandedManifest } from './types.js';

/** The rules a schema cannot express, run after the schema pass, in this order. */
export const RULES: readonly Rule[] = [uniqueShotIds, knownVars, seedsFitModel, paramsFitModel, mediaFilesExist, budgetHasPrice];

export interface CheckedManifest {
  problems: Problem[];
  /** Present when the file has no problems. */
  manifest: ExpandedManifest | undefined;
  /** Where `name:` is written, for the cross-file name check; undefined if it is the file stem. */
  namePosition: Position | undefined;
}

export function checkManifest(file: string, absPath: string, text: string): CheckedManifest {
  const parsed = parseManifestYaml(file, text);
  if (!parsed.ok) return { problems: parsed.problems, manifest: undefined, namePosition: undefined };
  const { data, sourceMap } = parsed;
  const problems = checkManifestSchema(data, sourceMap);
  const input = readManifestInput(data);
  const resolved = resolveShots(input, sourceMap);
  problems.push(...resolved.problems);
  const ctx: RuleContext = {
    input,
    shots: resolved.shots,
    sourceMap,
    manifestDir: dirname(absPath),
    checkMediaFile: cachedMediaCheck(),
  };
  for (const rule of RULES) problems.push(...rule(ctx));
  const name = input.name ?? nameFromFile(absPath);
  const { renders, problems: expansionProblems } = expandRenders({ ...ctx, manifestName: name });
  problems.push(...expansionProblems);
  const namePosition = input.name !== undefined ? sourceMap.positionOf(['name']) : undefined;
  if (problems.length > 0) return { problems, manifest: undefined, namePosition };
  return {
    problems,
    namePosition,
    manifest: {
      name,
      file,
      concurrency: input.concurrency,
      providers: input.providers,
      warnings: resolved.warnings.map((w) => formatProblem({ ...w, message: `warning: ${w.message}` })),
      renders,
    },
  };
}

/** The default name: the file's stem, made safe as a folder name. */
export function nameFromFile(absPath: string): string {
  const stem = basename(absPath, extname(absPath));
  return stem.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '') || 'manifest';
}

/** A sweep over one reference file checks the disk once. */
function cachedMediaCheck(): (absPath: string, rule: MediaFileRule) => MediaFileVerdict {
  const seen = new Map<string, MediaFileVerdict>();
  return (absPath, rule) => {
    const key = `${absPath}\0${rule.kind}\0${rule.limitBytes}\0${rule.provider}`;
    let verdict = seen.get(key);
    if (verdict === undefined) {
      verdict = checkMediaFile(absPath, rule);
      seen.set(key, verdict);
    }
    return verdict;
  };
}
