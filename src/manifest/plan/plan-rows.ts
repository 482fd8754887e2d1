/**
 * The rows of `render plan`: one per render, and totals per provider, model and state. Built
 * apart from printing so the text table and --json say the same thing, and so the state a run
 * would find each render in (decided by the engine, cli/plan-states.ts) slots in through
 * `stateOf`.
 */
import type { StartState } from '../../core/lifecycle.js';
import { sumPrices, type Price, type ProviderCost } from '../../core/prices.js';
import { isProviderName as isProvider } from '../../core/catalog.js';
import type { ExpandedManifest, RenderSpec } from '../types.js';

/**
 * What `render run` would do with a render: `done` skipped, `in_flight` resumed without a new
 * submit, `indeterminate` left alone unless --force, `failed` submitted again, `new` submitted.
 */
export type PlanState = StartState;

export interface PlanRow {
  manifest: string;
  id: string;
  shot: string;
  provider: string;
  model: string;
  /** The seed to send; null when none (model without seed) or still to draw. */
  seed: number | null;
  seedOrigin: RenderSpec['seedOrigin'];
  /** As printed: the seed, "drawn" for a seed the run draws, "—" for none. */
  seedText: string;
  /** The sweep values of the render: the params that vary within its shot. */
  varying: Record<string, unknown>;
  params: Record<string, unknown>;
  /** Where the render stands in the output folder; absent when states were not read. */
  state?: PlanState;
  /** What one render costs at its provider (core/prices.ts); absent when prices were not asked for. */
  price?: Price;
}

export interface PlanTotals {
  renders: number;
  /** Renders whose seed the run will draw. */
  drawnSeeds: number;
  byProvider: Record<string, number>;
  byModel: { provider: string; model: string; renders: number }[];
  /** Renders per state, when states were read. */
  byState?: Partial<Record<PlanState, number>>;
  /** What the renders a run would submit cost, per provider, when prices were asked for. */
  cost?: ProviderCost[];
}

/** States whose render `render run` submits (a new paid job); the others cost nothing more. */
const SUBMITTED: ReadonlySet<PlanState> = new Set<PlanState>(['new', 'failed', 'lost']);

/** Whether a run would submit this render. */
export function isSubmitted(row: PlanRow): boolean {
  return row.state === undefined || SUBMITTED.has(row.state);
}

/** Looks up a render's state in the output folder. */
export type StateOf = (renderId: string, manifestName: string) => PlanState;

/** A render's price. */
export type PriceOfRender = (render: RenderSpec) => Price;

export function planRow(render: RenderSpec, stateOf?: StateOf, priceOf?: PriceOfRender): PlanRow {
  const seedText = render.seedOrigin === 'drawn' ? 'drawn' : render.seed === null ? '—' : String(render.seed);
  const row: PlanRow = {
    manifest: render.manifestName,
    id: render.id,
    shot: render.shot,
    provider: render.provider,
    model: render.model,
    seed: render.seed,
    seedOrigin: render.seedOrigin,
    seedText,
    varying: render.varying,
    params: render.params,
  };
  if (stateOf) row.state = stateOf(render.id, render.manifestName);
  if (priceOf) row.price = priceOf(render);
  return row;
}

export function planRows(manifests: readonly ExpandedManifest[], stateOf?: StateOf): PlanRow[] {
  return manifests.flatMap((m) => m.renders.map((r) => planRow(r, stateOf)));
}

export function planTotals(rows: readonly PlanRow[]): PlanTotals {
  const byProvider: Record<string, number> = {};
  const byModel = new Map<string, { provider: string; model: string; renders: number }>();
  let byState: Partial<Record<PlanState, number>> | undefined;
  let drawnSeeds = 0;
  for (const row of rows) {
    if (row.state !== undefined) {
      byState ??= {};
      byState[row.state] = (byState[row.state] ?? 0) + 1;
    }
    byProvider[row.provider] = (byProvider[row.provider] ?? 0) + 1;
    const key = `${row.provider} ${row.model}`;
    const entry = byModel.get(key) ?? { provider: row.provider, model: row.model, renders: 0 };
    entry.renders += 1;
    byModel.set(key, entry);
    if (row.seedOrigin === 'drawn') drawnSeeds += 1;
  }
  const sorted = [...byModel.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
  const totals: PlanTotals = { renders: rows.length, drawnSeeds, byProvider, byModel: sorted };
  if (byState) totals.byState = byState;
  if (rows.some((r) => r.price !== undefined)) {
    totals.cost = sumPrices(rows.flatMap((r) => (r.price && isSubmitted(r) && isProvider(r.provider) ? [{ provider: r.provider, price: r.price }] : [])));
  }
  return totals;
}
