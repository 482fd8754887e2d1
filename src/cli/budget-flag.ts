/** `--budget P=AMOUNT` (repeatable): a provider's budget in its own unit. */
import { isProviderName, PROVIDERS } from '../core/catalog.js';
import type { Budgets } from '../core/budget.js';
import { UsageError } from '../core/errors.js';
import { PRICE_UNITS } from '../core/prices.js';

const UNITS_HINT = 'the amount is in the provider\'s unit: credits for aimlapi, compute units for krea; e.g. --budget krea=800';

export function parseBudgetFlags(values: string | boolean | string[] | undefined): Budgets {
  const budgets: Budgets = {};
  for (const value of Array.isArray(values) ? values : []) {
    const m = /^([^=]+)=(.*)$/.exec(value);
    const provider = m?.[1]?.trim();
    if (!m || !provider) throw new UsageError(`--budget must be PROVIDER=AMOUNT, got "${value}"`, { hint: UNITS_HINT });
    if (!isProviderName(provider)) {
      throw new UsageError(`--budget ${value}: unknown provider "${provider}" (providers: ${PROVIDERS.join(', ')})`, { hint: UNITS_HINT });
    }
    if (PRICE_UNITS[provider] === null) {
      throw new UsageError(`--budget ${value}: ${provider} documents no price, so render cannot keep a budget on it`, {
        hint: 'leave it out; limit its spending with --only, fewer seeds or the manifest\'s concurrency',
      });
    }
    const amount = Number((m[2] ?? '').replace(/[,_]/g, '').trim());
    if (m[2]?.trim() === '' || !Number.isFinite(amount) || amount < 0) {
      throw new UsageError(`--budget ${value}: "${m[2] ?? ''}" is not an amount (a number of ${PRICE_UNITS[provider]}, 0 or more)`, { hint: UNITS_HINT });
    }
    budgets[provider] = amount;
  }
  return budgets;
}
