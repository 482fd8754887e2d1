/**
 * Budgets: the most a command may spend on new submits at a provider, in the provider's unit.
 * Set per provider in the manifest (`providers.<p>.budget`) or with `--budget P=AMOUNT`, the
 * flag winning. One budget bounds all the manifests of a command; where several manifests set
 * one for the same provider, the lowest is kept. Only what would be submitted counts: renders
 * done, restored, in flight or indeterminate cost nothing more.
 */
import { PROVIDERS, type ProviderName } from './catalog.js';
import { formatAmount, PRICE_UNITS, type ProviderCost } from './prices.js';

export type Budgets = Partial<Record<ProviderName, number>>;

/** The budgets of a command: each flag, else the lowest any manifest sets. */
export function budgetLimits(manifests: readonly { providers: Partial<Record<ProviderName, { budget?: number }>> }[], flags: Budgets): Budgets {
  const limits: Budgets = {};
  for (const p of PROVIDERS) {
    const set = manifests.map((m) => m.providers[p]?.budget).filter((b): b is number => b !== undefined);
    const limit = flags[p] ?? (set.length > 0 ? Math.min(...set) : undefined);
    if (limit !== undefined) limits[p] = limit;
  }
  return limits;
}

export interface BudgetVerdict {
  /** One line per provider whose known cost is over its budget: nothing may be submitted. */
  over: string[];
  /** One line per budgeted provider with renders of unknown price. */
  warnings: string[];
}

/** Compares what the renders to submit cost with the budgets. */
export function checkBudgets(costs: readonly ProviderCost[], limits: Budgets): BudgetVerdict {
  const verdict: BudgetVerdict = { over: [], warnings: [] };
  for (const c of costs) {
    const limit = limits[c.provider];
    if (limit === undefined) continue;
    if (c.amount > limit) {
      verdict.over.push(
        `${c.provider}: the plan costs ${formatAmount(c.amount, c.unit)}, ${formatAmount(c.amount - limit, null)} over the budget of ${formatAmount(limit, null)}; ` +
          `raise --budget ${c.provider}=… or render fewer takes`,
      );
    }
    if (c.unknown > 0) {
      verdict.warnings.push(
        `warning: ${c.provider}: ${c.unknown} render${c.unknown === 1 ? '' : 's'} of unknown price, so the budget of ${formatAmount(limit, PRICE_UNITS[c.provider])} cannot be fully checked before the run; ` +
          'during it, a render of unknown price is sent only after the one before it reported its price, and only while spending is under the budget',
      );
    }
  }
  return verdict;
}
