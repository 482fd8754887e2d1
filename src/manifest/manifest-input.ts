/**
 * The manifest as written, read defensively into typed values after the schema pass. A field
 * of the wrong type is left out here: the schema pass has already reported it, and the rules
 * check what is left, so one run reports as many problems as possible.
 */
import type { ProviderSettings } from './types.js';

/** The opt-in, on a shot or under `models.<id>`, to send a model render does not know. */
export const ALLOW_UNKNOWN_MODEL = 'allow_unknown_model';

export type Params = Record<string, unknown>;

export type SeedsInput =
  | { kind: 'list'; values: number[] }
  | { kind: 'range'; from: number; count: number }
  | { kind: 'draw'; count: number };

export interface ShotInput {
  /** Index in `shots:`; the document path of the shot is ['shots', index]. */
  index: number;
  id: string | undefined;
  prompt: string | undefined;
  provider: string | undefined;
  model: string | undefined;
  params: Params;
  seed: number | undefined;
  seeds: SeedsInput | undefined;
  repeat: number | undefined;
  /** Sweep keys and values, in written order. */
  sweep: { key: string; values: unknown[] }[];
  /** `allow_unknown_model: true` on the shot. */
  allowUnknownModel: boolean;
}

export interface ManifestInput {
  name: string | undefined;
  concurrency: number | undefined;
  providers: Record<string, ProviderSettings>;
  vars: Record<string, string>;
  defaults: { provider: string | undefined; model: string | undefined; params: Params };
  /** Params per model, without the `allow_unknown_model` opt-in (it is not sent). */
  models: Record<string, Params>;
  /** Models with `allow_unknown_model: true` under `models.<id>`. */
  allowUnknownModels: Set<string>;
  shots: ShotInput[];
}

export function readManifestInput(data: unknown): ManifestInput {
  const root = asRecord(data);
  const defaults = asRecord(root['defaults']);
  const models: Record<string, Params> = {};
  const allowUnknownModels = new Set<string>();
  for (const [model, params] of Object.entries(asRecord(root['models']))) {
    const { [ALLOW_UNKNOWN_MODEL]: allow, ...rest } = asRecord(params);
    if (allow === true) allowUnknownModels.add(model);
    models[model] = rest;
  }
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(asRecord(root['vars']))) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') vars[name] = String(value);
  }
  const providers: Record<string, ProviderSettings> = {};
  for (const [provider, settings] of Object.entries(asRecord(root['providers']))) {
    const s = asRecord(settings);
    const concurrency = asInteger(s['concurrency']);
    const perMinute = typeof s['submits_per_minute'] === 'number' ? s['submits_per_minute'] : undefined;
    const budget = typeof s['budget'] === 'number' && s['budget'] >= 0 ? s['budget'] : undefined;
    providers[provider] = {
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(perMinute === undefined ? {} : { submitsPerMinute: perMinute }),
      ...(budget === undefined ? {} : { budget }),
    };
  }
  const shots = Array.isArray(root['shots']) ? root['shots'].map((shot, index) => readShot(shot, index)) : [];
  return {
    name: asString(root['name']),
    concurrency: asInteger(root['concurrency']),
    providers,
    vars,
    defaults: { provider: asString(defaults['provider']), model: asString(defaults['model']), params: asRecord(defaults['params']) },
    models,
    allowUnknownModels,
    shots,
  };
}

function readShot(data: unknown, index: number): ShotInput {
  const shot = asRecord(data);
  const sweep = Object.entries(asRecord(shot['sweep']))
    .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
    .map(([key, values]) => ({ key, values }));
  return {
    index,
    id: asString(shot['id']),
    prompt: asString(shot['prompt']),
    provider: asString(shot['provider']),
    model: asString(shot['model']),
    params: asRecord(shot['params']),
    seed: asInteger(shot['seed']),
    seeds: readSeeds(shot['seeds']),
    repeat: asInteger(shot['repeat']),
    sweep,
    allowUnknownModel: shot[ALLOW_UNKNOWN_MODEL] === true,
  };
}

function readSeeds(data: unknown): SeedsInput | undefined {
  if (Array.isArray(data)) {
    const values = data.filter((v): v is number => Number.isInteger(v));
    return values.length === data.length && values.length > 0 ? { kind: 'list', values } : undefined;
  }
  const seeds = asRecord(data);
  const count = asInteger(seeds['count']);
  if (count === undefined || count < 1) return undefined;
  if (seeds['from'] === undefined) return { kind: 'draw', count };
  const from = asInteger(seeds['from']);
  return from === undefined ? undefined : { kind: 'range', from, count };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function asInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}
