/**
 * Seeds render draws itself (providers.md A.4). A drawn seed is kept for the render's life:
 * reused from the journal (a render interrupted mid-run must resend the same bytes) or the
 * previous manifest.json, so a second run sends nothing; `--reseed` draws afresh, except for
 * a job already submitted and still in flight, which keeps the seed it was paid for.
 */
import { randomInt } from 'node:crypto';
import type { RenderSpec } from '../manifest/types.js';

export interface KnownSeed {
  seed: number | null;
  /** True when the render's job is submitted and not finished: its seed can never change. */
  inFlight: boolean;
}

/** A uniformly random integer in [min, max] from the OS's CSPRNG. */
export function drawSeed(range: { min: number; max: number }): number {
  // randomInt takes an exclusive upper bound and spans < 2^48: Novita's 0..9999999999 fits.
  return randomInt(range.min, range.max + 1);
}

/**
 * Returns the renders with every drawn seed filled in. `known` gives the seed this render had
 * before (journal or previous manifest), when any. Other renders are returned unchanged.
 */
export function fillDrawnSeeds(
  renders: readonly RenderSpec[],
  known: (id: string) => KnownSeed | undefined,
  options: { reseed: boolean; draw?: (range: { min: number; max: number }) => number },
): RenderSpec[] {
  const draw = options.draw ?? drawSeed;
  return renders.map((render) => {
    if (render.seedOrigin !== 'drawn' || render.seed !== null) return render;
    const range = render.drawnSeedRange;
    if (!range) throw new Error(`internal: render ${render.id} has a drawn seed but no range`);
    const prior = known(render.id);
    const usable = prior !== undefined && typeof prior.seed === 'number' && prior.seed >= range.min && prior.seed <= range.max;
    const seed = usable && (!options.reseed || prior.inFlight) ? (prior.seed as number) : draw(range);
    return { ...render, seed };
  });
}
