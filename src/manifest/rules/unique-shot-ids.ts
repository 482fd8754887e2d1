import type { Problem } from '../../core/errors.js';
import type { RuleContext } from './context.js';

/** Shot ids start every render id and must be unique within the manifest. */
export function uniqueShotIds(ctx: RuleContext): Problem[] {
  const firstLine = new Map<string, number>();
  const problems: Problem[] = [];
  for (const shot of ctx.input.shots) {
    if (shot.id === undefined) continue;
    const path = ['shots', shot.index, 'id'];
    const seen = firstLine.get(shot.id);
    if (seen === undefined) firstLine.set(shot.id, ctx.sourceMap.lineOf(path));
    else problems.push(ctx.sourceMap.problem(path, `shot id "${shot.id}" is already used on line ${seen}; shot ids must be unique`));
  }
  return problems;
}
