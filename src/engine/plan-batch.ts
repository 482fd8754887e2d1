/**
 * Everything decided before the first request: the previous run read, drawn seeds fixed, every
 * request built and hashed, and what to do with each render (skip, resume, submit, or leave an
 * indeterminate submit alone). Bad input (an unreadable media file) fails here, before any
 * manifest of the run has submitted anything.
 */
import { isAtProvider } from '../core/lifecycle.js';
import { RenderError } from '../core/errors.js';
import type { ExpandedManifest, RenderSpec } from '../manifest/types.js';
import type { ProviderName } from '../core/catalog.js';
import type { ProviderAdapter } from '../providers/types.js';
import { readPreviousRun, type PreviousRun } from '../store/previous-run.js';
import { prepareRender, type PreparedRender } from './prepare.js';
import { fillDrawnSeeds, type KnownSeed } from './seeds.js';
import { decideStart, type StartAction } from './start-plan.js';

export interface BatchItem {
  prepared: PreparedRender;
  action: StartAction;
}

export interface BatchPlan {
  manifest: ExpandedManifest;
  previous: PreviousRun;
  items: BatchItem[];
}


function knownSeeds(prev: PreviousRun): (id: string) => KnownSeed | undefined {
  return (id) => {
    const j = prev.journal.get(id);
    if (j) return { seed: j.seed, inFlight: j.job_id !== null && isAtProvider(j.phase) };
    const r = prev.records.get(id);
    return r && r.seed_origin === 'drawn' ? { seed: r.seed, inFlight: false } : undefined;
  };
}

export async function planBatch(
  manifest: ExpandedManifest,
  renders: readonly RenderSpec[],
  options: { outDir: string; adapterFor: (p: ProviderName) => ProviderAdapter; force: boolean; reseed: boolean },
): Promise<BatchPlan> {
  const previous = await readPreviousRun(options.outDir, manifest.name);
  const seeded = fillDrawnSeeds(renders, knownSeeds(previous), { reseed: options.reseed });
  const items: BatchItem[] = [];
  for (const spec of seeded) {
    let prepared: PreparedRender;
    try {
      prepared = await prepareRender(spec, options.adapterFor(spec.provider));
    } catch (err) {
      throw new RenderError('E_USAGE_INPUT', `${spec.source.file}:${spec.source.line}: render ${spec.id}: ${(err as Error).message}`, {
        cause: err,
        hint: 'fix the file the manifest names; nothing was submitted',
      });
    }
    items.push({ prepared, action: await decideStart(prepared, previous, options.force) });
  }
  return { manifest, previous, items };
}
