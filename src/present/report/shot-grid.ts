/**
 * Lays a run's renders out as the contact sheet shows them: one group per shot in manifest
 * order, and inside a group a grid whose columns are the seed slots (seed N, draw K, take K)
 * and whose rows are the other sweep values, so a sweep reads side by side. Pure data; the
 * HTML is built elsewhere.
 */
import type { RenderRecord } from '../../core/records.js';
import { compareText } from '../../core/compare-text.js';

export interface GridColumn {
  key: string;
  label: string;
}

export interface GridRow {
  /** The values of the group's varying keys shared by this row's renders. */
  values: Array<[key: string, value: unknown]>;
  /** One cell per column; null where the sweep has no render there. */
  cells: Array<RenderRecord | null>;
}

export interface ShotGroup {
  shot: string;
  /** Every render of the shot, in manifest order. */
  renders: RenderRecord[];
  /** Shared by every render of the shot, or null where they differ (then each tile shows its own). */
  prompt: string | null;
  model: string | null;
  provider: string | null;
  /** Sweep keys first, in sweep order, then any other param whose value differs between renders. */
  varyingKeys: string[];
  columns: GridColumn[];
  rows: GridRow[];
}

/** The seed slot a render's id ends with (`<shot>[.<param>-<value>...].seed-42`), if any. */
const SLOT = /(?:^|\.)((seed|draw|take)-(\d+))$/;

/** Groups renders by shot, in order of each shot's first render. */
export function groupByShot(renders: readonly RenderRecord[]): ShotGroup[] {
  const byShot = new Map<string, RenderRecord[]>();
  for (const r of renders) {
    const list = byShot.get(r.shot);
    if (list) list.push(r);
    else byShot.set(r.shot, [r]);
  }
  return [...byShot].map(([shot, list]) => layoutShot(shot, list));
}

function layoutShot(shot: string, renders: RenderRecord[]): ShotGroup {
  const varyingKeys = findVaryingKeys(renders);
  const columns: GridColumn[] = [];
  const columnIndex = new Map<string, number>();
  const rows: Array<GridRow & { key: string }> = [];

  for (const r of renders) {
    const column = columnOf(r);
    let col = columnIndex.get(column.key);
    if (col === undefined) {
      col = columns.length;
      columnIndex.set(column.key, col);
      columns.push(column);
    }
    const values = varyingKeys.map((k): [string, unknown] => [k, valueOf(r, k)]);
    const key = stableJson(values.map(([, v]) => v));
    // A second render for the same cell (a sweep render cannot tell apart) opens a new row
    // with the same label rather than hiding either render.
    let row = rows.find((candidate) => candidate.key === key && candidate.cells[col] == null);
    if (!row) {
      row = { key, values, cells: [] };
      rows.push(row);
    }
    row.cells[col] = r;
  }
  for (const row of rows) {
    row.cells = Array.from({ length: columns.length }, (_, i) => row.cells[i] ?? null);
  }

  return {
    shot,
    renders,
    prompt: shared(renders, (r) => r.prompt),
    model: shared(renders, (r) => r.model),
    provider: shared(renders, (r) => r.provider),
    varyingKeys,
    columns,
    rows: rows.map(({ values, cells }) => ({ values, cells })),
  };
}

function findVaryingKeys(renders: readonly RenderRecord[]): string[] {
  const keys: string[] = [];
  for (const r of renders) {
    for (const k of Object.keys(r.varying ?? {})) if (!keys.includes(k)) keys.push(k);
  }
  const first = renders[0];
  if (!first) return keys;
  const paramKeys = new Set(renders.flatMap((r) => Object.keys(r.params ?? {})));
  for (const k of paramKeys) {
    if (keys.includes(k)) continue;
    const firstValue = stableJson(first.params?.[k]);
    if (renders.some((r) => stableJson(r.params?.[k]) !== firstValue)) keys.push(k);
  }
  return keys;
}

function valueOf(r: RenderRecord, key: string): unknown {
  if (r.varying && key in r.varying) return r.varying[key];
  return r.params?.[key];
}

function columnOf(r: RenderRecord): GridColumn {
  const slot = SLOT.exec(r.id);
  if (slot?.[1] && slot[2] && slot[3]) return { key: slot[1], label: `${slot[2]} ${slot[3]}` };
  if (r.seed !== null) return { key: `seed-${r.seed}`, label: `seed ${r.seed}` };
  return { key: 'no-seed', label: 'no seed' };
}

/** The take number from a render id ending `.take-K`, if it has one. */
export function takeOf(r: RenderRecord): number | null {
  const slot = SLOT.exec(r.id);
  return slot?.[2] === 'take' && slot[3] ? Number(slot[3]) : null;
}

function shared<T>(renders: readonly RenderRecord[], pick: (r: RenderRecord) => T): T | null {
  const first = renders[0];
  if (!first) return null;
  const value = pick(first);
  return renders.every((r) => pick(r) === value) ? value : null;
}

/** JSON with sorted object keys, so equal values compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareText(a, b)))
      : v,
  ) ?? 'undefined';
}
