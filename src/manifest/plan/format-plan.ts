/** `render plan` as text: an aligned table per manifest, then the totals. */
import type { PlanRow, PlanTotals } from './plan-rows.js';

export function formatPlanTable(rows: readonly PlanRow[], totals: PlanTotals): string {
  const withState = rows.some((r) => r.state !== undefined);
  const header = ['ID', 'PROVIDER', 'MODEL', 'SEED', ...(withState ? ['STATE'] : []), 'VARYING'];
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
    table.push([row.id, row.provider, row.model, row.seedText, ...(withState ? [row.state ?? ''] : []), varying.join(' ')]);
  }
  flush();
  lines.push(`${totals.renders} render${totals.renders === 1 ? '' : 's'}${totals.drawnSeeds > 0 ? ` (${totals.drawnSeeds} with seeds drawn at run time)` : ''}`);
  for (const [provider, count] of Object.entries(totals.byProvider).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${provider}: ${count}`);
    for (const m of totals.byModel.filter((e) => e.provider === provider)) lines.push(`    ${m.model}: ${m.renders}`);
  }
  return `${lines.join('\n')}\n`;
}

function alignColumns(table: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of table) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}
