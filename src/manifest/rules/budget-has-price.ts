import type { Problem } from '../../core/errors.js';
import { PRICE_UNITS } from '../../core/prices.js';
import { isProviderName } from '../../core/catalog.js';
import type { RuleContext } from './context.js';

/**
 * A budget is only accepted where render knows the provider's unit of account: a budget on a
 * provider that documents no price (Novita) could never be kept to, and would only look safe.
 */
export function budgetHasPrice(ctx: RuleContext): Problem[] {
  const problems: Problem[] = [];
  for (const [provider, settings] of Object.entries(ctx.input.providers)) {
    if (settings.budget === undefined || !isProviderName(provider) || PRICE_UNITS[provider] !== null) continue;
    problems.push(
      ctx.sourceMap.problem(
        ['providers', provider, 'budget'],
        `${provider} documents no price, so render cannot keep a budget on it: remove budget (limit its spending with concurrency, --only or fewer seeds)`,
        { key: true },
      ),
    );
  }
  return problems;
}
