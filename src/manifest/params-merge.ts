/**
 * How params reach a render, later wins: `defaults.params`, `models.<model>`, the shot's
 * `params`, then one value of each sweep key. Each param remembers where it was written, so a
 * problem points there and says where it came from.
 */
import type { ManifestInput } from './manifest-input.js';
import type { ResolvedShot } from './resolve-shots.js';
import type { DocPath } from './source-map.js';

export type ParamOriginKind = 'defaults' | 'model' | 'shot' | 'sweep';

export interface ParamSource {
  value: unknown;
  kind: ParamOriginKind;
  /** The value's node in the document. */
  path: DocPath;
}

export type MergedParams = Map<string, ParamSource>;

/** One value of every sweep key, in the sweep's written order. */
export type SweepPick = { key: string; value: unknown; index: number }[];

/** `defaults.params` ⊕ `models.<model>` ⊕ the shot's `params`. */
export function mergeBaseParams(shot: ResolvedShot, input: ManifestInput): MergedParams {
  const merged: MergedParams = new Map();
  const layer = (params: Record<string, unknown> | undefined, kind: ParamOriginKind, path: DocPath): void => {
    if (!params) return;
    for (const [key, value] of Object.entries(params)) merged.set(key, { value, kind, path: [...path, key] });
  };
  layer(input.defaults.params, 'defaults', ['defaults', 'params']);
  layer(input.models[shot.model], 'model', ['models', shot.model]);
  layer(shot.input.params, 'shot', [...shot.path, 'params']);
  return merged;
}

/** The base params with one sweep pick laid over them. */
export function withSweep(base: MergedParams, pick: SweepPick, shot: ResolvedShot): MergedParams {
  if (pick.length === 0) return base;
  const merged = new Map(base);
  for (const { key, value, index } of pick) merged.set(key, { value, kind: 'sweep', path: [...shot.path, 'sweep', key, index] });
  return merged;
}

/** Every combination of sweep values: the first key varies slowest. */
export function sweepPicks(shot: ResolvedShot): SweepPick[] {
  let picks: SweepPick[] = [[]];
  for (const { key, values } of shot.input.sweep) {
    const next: SweepPick[] = [];
    for (const pick of picks) values.forEach((value, index) => next.push([...pick, { key, value, index }]));
    picks = next;
  }
  return picks;
}

/** How many sweep combinations a shot has, without building them. */
export function sweepSize(shot: ResolvedShot): number {
  return shot.input.sweep.reduce((n, { values }) => n * values.length, 1);
}

export function plainParams(merged: MergedParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, source] of merged) out[key] = source.value;
  return out;
}

/** Where a param came from, in words, for messages. */
export function originWords(source: ParamSource, model: string): string {
  switch (source.kind) {
    case 'defaults':
      return 'from defaults.params';
    case 'model':
      return `from models.${model}`;
    case 'sweep':
      return 'in the sweep';
    case 'shot':
      return 'in params';
  }
}
