/** `render plan <files...>`: the renders a run would make, as a table or JSON. No network. */
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { loadManifests } from '../../manifest/load-manifests.js';
import { formatPlanTable } from '../../manifest/plan/format-plan.js';
import { planRow, planTotals } from '../../manifest/plan/plan-rows.js';
import { parseShard, selectRenders, type Selection } from '../../manifest/select.js';
import { DEFAULT_OUT_DIR } from '../../store/layout.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { readRunStates } from '../plan-states.js';
import { parseBudgetFlags } from '../budget-flag.js';
import { budgetLimits, checkBudgets } from '../../core/budget.js';
import { priceOf } from '../../core/prices.js';
import { learnPrices } from '../../store/learned-prices.js';

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', argv, {
    json: { type: 'boolean' },
    out: { type: 'string' },
    only: { type: 'string', multiple: true },
    shard: { type: 'string' },
    budget: { type: 'string', multiple: true },
  });
  if (positionals.length === 0) throw new UsageError('render plan: give at least one manifest file', { hint: 'e.g. render plan jobs/*.yaml' });
  const selection: Selection = {};
  if (Array.isArray(values['only'])) selection.only = values['only'];
  if (typeof values['shard'] === 'string') selection.shard = parseShard(values['shard']);
  const budgetFlags = parseBudgetFlags(values['budget']);

  const manifests = await loadManifests(positionals, { cwd: io.cwd });
  const outDir = resolve(io.cwd, typeof values['out'] === 'string' ? values['out'] : DEFAULT_OUT_DIR);
  // The same selection a run makes, so seeds and states are decided over the same renders.
  const chosen = manifests.map((m) => ({ manifest: m, renders: selectRenders(m.renders, selection) }));
  const stateOf = await readRunStates(chosen, outDir);
  const book = await learnPrices(outDir);
  const rows = chosen.flatMap((c) => c.renders.map((r) => planRow(r, stateOf, (x) => priceOf(x.provider, x.model, x.params, book))));
  const totals = planTotals(rows);
  const budgets = budgetLimits(manifests, budgetFlags);
  const verdict = checkBudgets(totals.cost ?? [], budgets);
  if (values['json'] === true) {
    const plan = {
      manifests: manifests.map((m) => ({ name: m.name, file: m.file, warnings: m.warnings })),
      renders: rows,
      totals,
      budgets,
      over_budget: verdict.over,
    };
    io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  } else {
    for (const m of manifests) for (const warning of m.warnings) io.stderr.write(`${warning}\n`);
    io.stdout.write(formatPlanTable(rows, totals, budgets));
  }
  for (const line of verdict.warnings) io.stderr.write(`render plan: ${line}\n`);
  for (const line of verdict.over) io.stderr.write(`render plan: ${line}\n`);
  return verdict.over.length > 0 ? EXIT.usage : EXIT.ok;
}
