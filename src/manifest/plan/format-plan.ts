/** `render plan` as text: an aligned table per manifest, then the totals. */
import { START_STATES } from '../../core/lifecycle.js';
import type { Budgets } from '../../core/budget.js';
import { costLines, priceCell } from './format-cost.js';
import type { PlanRow, PlanState, PlanTotals } from './plan-rows.js';

/** The STATE column's words, and what a run does with each, in the order the legend lists them. */
const STATE_TEXT = START_STATES;

export function formatPlanTable(rows: readonly PlanRow[], totals: PlanTotals, budgets: Budgets = {}): string {
  // Before any run every render is new: the column would say nothing.
  const withState = rows.some((r) => r.state !== undefined && r.state !== 'new');
  const withPrice = totals.cost !== undefined;
  const header = ['ID', 'PROVIDER', 'MODEL', 'SEED', ...(withState ? ['STATE'] : []), ...(withPrice ? ['PRICE'] : []), 'VARYING'];
  const lines: string[] = [];
  let manifest: string | undefined;
  let table: string[][] = [];
  const flush = (): void => {
    if (table.length > 0) lines.push(...alignColumns([header, ...table]), '');
    table = [];
  };
  for (const row of rows) {
    if (row.manifest !== manifest) {
      flush();
      manifest = row.manifest;
      lines.push(`${manifest}:`);
    }
    const varying = Object.entries(row.varying).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    table.push([
      row.id, row.provider, row.model, row.seedText,
      ...(withState ? [row.state ? STATE_TEXT[row.state].word : ''] : []),
      ...(withPrice ? [priceCell(row.price)] : []),
      varying.join(' '),
    ]);
  }
  flush();
  lines.push(`${totals.renders} render${totals.renders === 1 ? '' : 's'}${totals.drawnSeeds > 0 ? ` (${totals.drawnSeeds} with seeds drawn at run time)` : ''}`);
  for (const [provider, count] of Object.entries(totals.byProvider).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${provider}: ${count}`);
    for (const m of totals.byModel.filter((e) => e.provider === provider)) lines.push(`    ${m.model}: ${m.renders}`);
  }
  if (withState) lines.push('what `render run` does with them now:', ...stateLines(totals));
  if (totals.cost) lines.push(...costLines(rows, totals.cost, budgets));
  return `${lines.join('\n')}\n`;
}

/** Renders per state and what `render run` will do with them. */
function stateLines(totals: PlanTotals): string[] {
  const states = (Object.keys(STATE_TEXT) as PlanState[]).filter((s) => (totals.byState?.[s] ?? 0) > 0);
  const width = Math.max(...states.map((s) => STATE_TEXT[s].word.length));
  return states.map((s) => `  ${STATE_TEXT[s].word.padEnd(width)}  ${String(totals.byState?.[s] ?? 0).padStart(6)}  ${STATE_TEXT[s].run}`);
}

function alignColumns(table: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of table) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}
