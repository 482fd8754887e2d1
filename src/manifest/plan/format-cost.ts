/** The price parts of `render plan` as text: the PRICE cell of a row, and the cost per provider. */
import type { Budgets } from '../../core/budget.js';
import { formatAmount, type Price, type PriceSource, type ProviderCost } from '../../core/prices.js';
import { isSubmitted, type PlanRow } from './plan-rows.js';

/** Distinct notes shown per provider at most; the rest are counted. */
const MAX_NOTES = 3;

/** `200 compute units`, `~72,692 credits` (learned for the model only), `unknown`. */
export function priceCell(price: Price | undefined): string {
  if (!price) return '';
  if (price.amount === null) return 'unknown';
  return `${price.match === 'model' ? '~' : ''}${formatAmount(price.amount, price.unit)}`;
}

/** The cost of what a run would submit, one line per provider, with its sources; then the budgets. */
export function costLines(rows: readonly PlanRow[], costs: readonly ProviderCost[], budgets: Budgets): string[] {
  const submitted = costs.reduce((n, c) => n + c.renders, 0);
  if (submitted === 0) return ['cost: nothing to submit'];
  const lines = [`cost of the ${submitted} render${submitted === 1 ? '' : 's'} a run would submit:`];
  const cells = costs.map((c) => [c.provider, amountText(c), sourcesText(c, rows)]);
  const widths = [0, 1].map((i) => Math.max(...cells.map((cell) => cell[i]?.length ?? 0)));
  for (const [p, amount, sources] of cells) lines.push(`  ${(p ?? '').padEnd(widths[0] ?? 0)}  ${(amount ?? '').padEnd(widths[1] ?? 0)}  ${sources ?? ''}`);
  for (const c of costs) {
    const limit = budgets[c.provider];
    if (limit === undefined) continue;
    const left = limit - c.amount;
    const state = left >= 0 ? `${formatAmount(left, null)} left` : `${formatAmount(-left, null)} over`;
    lines.push(`  budget ${c.provider}: ${formatAmount(limit, c.unit)} (${state}${c.unknown > 0 ? `, ${c.unknown} of unknown price not counted` : ''})`);
  }
  return lines;
}

function amountText(c: ProviderCost): string {
  if (c.unknown === c.renders) return 'unknown';
  const known = formatAmount(c.amount, c.unit);
  return c.unknown > 0 ? `${known} + ${c.unknown} unknown` : known;
}

const SOURCE_WORDS: Readonly<Record<PriceSource, string>> = { documented: 'documented', learned: 'learned', unknown: 'unknown' };

/** `4 documented (documented by Krea: …)`, `2 learned (learned from 12 renders)`, `4 unknown (Novita documents no price)`. */
function sourcesText(c: ProviderCost, rows: readonly PlanRow[]): string {
  const parts: string[] = [];
  for (const source of ['documented', 'learned', 'unknown'] as const) {
    const n = c.sources[source] ?? 0;
    if (n === 0) continue;
    const mine = rows.filter((r) => r.provider === c.provider && r.price?.source === source && isSubmitted(r));
    if (source === 'learned') {
      const byModel = mine.filter((r) => r.price?.match === 'model').length;
      const from = Math.max(...mine.map((r) => r.price?.learned_from ?? 0));
      parts.push(`${n} learned (from the credits earlier renders recorded, up to ${from} per price${byModel > 0 ? `; ${byModel} by model only, marked ~` : ''})`);
      continue;
    }
    const notes = [...new Set(mine.map((r) => r.price?.note ?? ''))];
    const shown = notes.slice(0, MAX_NOTES).join('; ') + (notes.length > MAX_NOTES ? `; ${notes.length - MAX_NOTES} more` : '');
    parts.push(`${n} ${SOURCE_WORDS[source]} (${shown})`);
  }
  return parts.join(', ');
}
