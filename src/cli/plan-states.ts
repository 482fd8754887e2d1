/**
 * The STATE column of `render plan`: what `render run` would do with each render. The answer
 * comes from the engine's own start-of-run planning (engine/plan-batch.ts: drawn seeds reused,
 * request built and hashed, journal and manifest.json read, files checked by size and sha256),
 * so plan and run cannot disagree. Nothing here touches the network or loads undici.
 */
import type { StartState } from '../core/lifecycle.js';
import { planBatch } from '../engine/plan-batch.js';
import type { StartAction } from '../engine/start-plan.js';
import type { ExpandedManifest, RenderSpec } from '../manifest/types.js';
import type { StateOf } from '../manifest/plan/plan-rows.js';
import { previousState, readPreviousRun, type PreviousRun, type PreviousState } from '../store/previous-run.js';
import { adapterFor } from '../providers/registry.js';

export interface ChosenRenders {
  manifest: ExpandedManifest;
  renders: readonly RenderSpec[];
}

/** States of the chosen renders, as a run without --force or --reseed would find them. */
export async function readRunStates(chosen: readonly ChosenRenders[], outDir: string): Promise<StateOf> {
  const byManifest = new Map<string, Map<string, StartState>>();
  for (const { manifest, renders } of chosen) byManifest.set(manifest.name, await statesOf(manifest, renders, outDir));
  return (renderId, manifestName) => byManifest.get(manifestName)?.get(renderId) ?? 'new';
}

async function statesOf(manifest: ExpandedManifest, renders: readonly RenderSpec[], outDir: string): Promise<Map<string, StartState>> {
  const states = new Map<string, StartState>();
  // Nothing left by an earlier run: every render is new (previousState says so for any id), and
  // building and hashing every request of a large manifest would be wasted.
  const previous = await readPreviousRun(outDir, manifest.name);
  if (previous.records.size === 0 && previous.journal.size === 0 && previous.takes.isEmpty) return states;
  const plan = await planBatch(manifest, renders, { outDir, adapterFor, force: false, reseed: false });
  for (const { prepared, action } of plan.items) {
    const id = prepared.spec.id;
    states.set(id, stateOfAction(action) ?? (await submittedAgain(plan.previous, id, prepared.requestSha256)));
  }
  return states;
}

function stateOfAction(action: StartAction): StartState | undefined {
  switch (action.kind) {
    case 'skip':
      return 'done';
    case 'restore':
      return 'restore';
    case 'resume':
      return 'in_flight';
    case 'indeterminate':
      return 'indeterminate';
    case 'submit':
      return undefined;
  }
}

/** A render the run submits: again after a failure, or for the first time. */
async function submittedAgain(previous: PreviousRun, id: string, sha: string): Promise<PreviousState> {
  // Only failed and new renders get here (force is off), so no video file is hashed twice.
  const state = await previousState(previous, id, sha);
  return state === 'failed' || state === 'lost' ? state : 'new';
}
