/**
 * The timing key of a render: what its time to completion depends on. The provider, the model
 * and the params that drive generation time (length, frames, resolution, size, steps, mode),
 * never the prompt or the seed, so every take of a sweep teaches the model about the others.
 */
import type { ProviderName } from '../core/catalog.js';

/** Params that make a job take longer or shorter, by the names the models use for them. */
export const TIMING_PARAMS: readonly string[] = [
  'duration',
  'num_frames',
  'frames',
  'resolution',
  'aspect_ratio',
  'size',
  'width',
  'height',
  'steps',
  'mode',
  'fast_mode',
];

export function timingKey(provider: ProviderName, model: string, params: Readonly<Record<string, unknown>>): string {
  const drivers = TIMING_PARAMS.filter((name) => params[name] !== undefined).map((name) => [name, params[name]]);
  return `${provider} ${model} ${JSON.stringify(drivers)}`;
}
