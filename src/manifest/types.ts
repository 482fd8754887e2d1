/**
 * What a manifest expands to. Expansion is pure: the same manifest always gives the same
 * renders, in the same order, with the same ids. Seeds that render must draw are left for the
 * run to fix (reusing the previous run's where there is one), so plans stay stable.
 */
import type { ProviderName } from '../core/catalog.js';

import type { SeedOrigin, SourceRef } from '../core/records.js';

export type { SeedOrigin, SourceRef };

/** Per-provider settings from `providers:` in the manifest. */
export interface ProviderSettings {
  /** Renders of this provider in flight at once. */
  concurrency?: number;
  /** Submits per minute (Novita documents 20 for Wan 2.1). */
  submitsPerMinute?: number;
  /** The most a run may spend on new submits at this provider, in its unit (core/prices.ts). */
  budget?: number;
}


/** One render: a single paid generation request, fully resolved. */
export interface RenderSpec {
  /**
   * Stable, filesystem-safe, readable: `<shot>[.<param>-<value>...].(seed-<n>|draw-<k>|take-<k>)`,
   * e.g. `city.guidance_scale-4.seed-100`, `eagle.take-2`, `opening.draw-1`.
   */
  id: string;
  /** The manifest's name (its output folder). */
  manifestName: string;
  shot: string;
  source: SourceRef;
  provider: ProviderName;
  model: string;
  /** false: a model id render has no schema for; its params are passed through unchanged. */
  knownModel: boolean;
  /** The prompt with `{{vars}}` substituted. */
  prompt: string;
  /**
   * The seed to send. null when the model has none (`seedOrigin: 'none'`) or when it is still
   * to be drawn (`seedOrigin: 'drawn'`; see `drawnSeedRange`).
   */
  seed: number | null;
  seedOrigin: SeedOrigin;
  /** Range for a seed render must draw; null unless `seedOrigin` is 'drawn'. */
  drawnSeedRange: { min: number; max: number } | null;
  /** 1-based take number for `repeat:`; null otherwise. */
  take: number | null;
  /**
   * Every param to send besides prompt, seed and model, documented defaults made explicit,
   * keys sorted. A local media path stays as written in the manifest; see `media`.
   */
  params: Record<string, unknown>;
  /** The sweep values of this render (a subset of params), in sweep order. */
  varying: Record<string, unknown>;
  /** Params that name a local file: param name → absolute path (read and inlined at submit). */
  media: Record<string, string>;
}

/** One manifest after validation and expansion. */
export interface ExpandedManifest {
  name: string;
  /** The manifest file as the user gave it. */
  file: string;
  /** Renders in flight at once across providers, if the manifest sets it. */
  concurrency: number | undefined;
  providers: Partial<Record<ProviderName, ProviderSettings>>;
  /** Warnings that do not stop a run (e.g. a model render has no schema for). */
  warnings: string[];
  renders: RenderSpec[];
}
