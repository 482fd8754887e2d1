/**
 * The rows of `render plan`: one per render, and totals per provider and model. Built apart
 * from printing so the text table and --json say the same thing, and so a state column (done,
 * in flight) read from the output folder slots in through `stateOf`.
 */
import type { ExpandedManifest, RenderSpec } from '../types.js';

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
  /** From the output folder, when known (e.g. "done", "in flight"). */
  state?: string;
}

export interface PlanTotals {
  renders: number;
  /** Renders whose seed the run will draw. */
  drawnSeeds: number;
  byProvider: Record<string, number>;
  byModel: { provider: string; model: string; renders: number }[];
}

/** Looks up a render's state in the output folder; undefined when it has none. */
export type StateOf = (renderId: string, manifestName: string) => string | undefined;

export function planRow(render: RenderSpec, stateOf?: StateOf): PlanRow {
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
  const state = stateOf?.(render.id, render.manifestName);
  if (state !== undefined) row.state = state;
  return row;
}

export function planRows(manifests: readonly ExpandedManifest[], stateOf?: StateOf): PlanRow[] {
  return manifests.flatMap((m) => m.renders.map((r) => planRow(r, stateOf)));
}

export function planTotals(rows: readonly PlanRow[]): PlanTotals {
  const byProvider: Record<string, number> = {};
  const byModel = new Map<string, { provider: string; model: string; renders: number }>();
  let drawnSeeds = 0;
  for (const row of rows) {
    byProvider[row.provider] = (byProvider[row.provider] ?? 0) + 1;
    const key = `${row.provider} ${row.model}`;
    const entry = byModel.get(key) ?? { provider: row.provider, model: row.model, renders: 0 };
    entry.renders += 1;
    byModel.set(key, entry);
    if (row.seedOrigin === 'drawn') drawnSeeds += 1;
  }
  const sorted = [...byModel.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
  return { renders: rows.length, drawnSeeds, byProvider, byModel: sorted };
}
