/**
 * A run that has nothing to do (every render already done) keeps the times of the run that
 * rendered: manifest.json's `started_at` and `ended_at` say when the videos were made, not when
 * someone last checked that they still are.
 */
import type { BatchPlan } from './plan-batch.js';

export interface RunTimes {
  started_at: string;
  ended_at: string;
}

/** The previous run's times when this run skips every render, else undefined (new times). */
export function keptRunTimes(plan: BatchPlan): RunTimes | undefined {
  if (plan.items.length === 0 || plan.items.some((item) => item.action.kind !== 'skip')) return undefined;
  const previous = plan.previous.manifest;
  if (typeof previous?.started_at !== 'string' || typeof previous.ended_at !== 'string') return undefined;
  return { started_at: previous.started_at, ended_at: previous.ended_at };
}
