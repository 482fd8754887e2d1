import type { Problem } from '../../core/errors.js';
import { didYouMean } from '../did-you-mean.js';
import { varNames } from '../vars.js';
import type { RuleContext } from './context.js';

/** Every `{{name}}` in a prompt must be defined under `vars:`. */
export function knownVars(ctx: RuleContext): Problem[] {
  const names = Object.keys(ctx.input.vars);
  const problems: Problem[] = [];
  for (const shot of ctx.input.shots) {
    if (shot.prompt === undefined) continue;
    for (const name of varNames(shot.prompt)) {
      if (Object.hasOwn(ctx.input.vars, name)) continue;
      const known = names.length > 0 ? ` (vars: ${names.join(', ')})` : ' (the manifest has no vars:)';
      const hint = didYouMean(name, names, (s) => `{{${s}}}`);
      problems.push(ctx.sourceMap.problem(['shots', shot.index, 'prompt'], `unknown var {{${name}}} in the prompt${hint}${known}`));
    }
  }
  return problems;
}
