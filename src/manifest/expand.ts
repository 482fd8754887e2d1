/**
 * Expansion: every shot into its renders, seeds x sweep x repeat, with vars substituted and
 * every documented default explicit. Pure: the same manifest gives the same renders, in the
 * same order, with the same ids. Seeds to draw stay null here; the run fills them in.
 */
import type { Problem } from '../core/errors.js';
import { MEDIA_PARAM_NAMES } from '../core/catalog.js';
import { MAX_RENDERS_PER_SHOT } from './limits.js';
import type { ManifestInput } from './manifest-input.js';
import { classifyMedia } from './media.js';
import { mergeBaseParams, plainParams, sweepPicks, sweepSize, withSweep } from './params-merge.js';
import { renderId } from './render-id.js';
import type { ResolvedShot } from './resolve-shots.js';
import { schemaRegistry } from './schema-registry.js';
import type { SourceMap } from './source-map.js';
import type { RenderSpec, SeedOrigin } from './types.js';
import { substituteVars } from './vars.js';

export interface ExpandContext {
  input: ManifestInput;
  shots: readonly ResolvedShot[];
  sourceMap: SourceMap;
  manifestName: string;
  manifestDir: string;
}

interface SeedSlot {
  seed: number | null;
  origin: SeedOrigin;
  range: { min: number; max: number } | null;
  take: number | null;
  /** The last part of the render id. */
  label: string;
}

export function expandRenders(ctx: ExpandContext): { renders: RenderSpec[]; problems: Problem[] } {
  const renders: RenderSpec[] = [];
  const problems: Problem[] = [];
  const madeBy = new Set<string>();
  const expandedShots = new Set<string>();
  for (const shot of ctx.shots) {
    // A repeated shot id is its own problem (rules/unique-shot-ids); its renders would only collide.
    if (expandedShots.has(shot.id)) continue;
    expandedShots.add(shot.id);
    const slots = seedSlots(shot);
    const count = sweepSize(shot) * slots.length;
    if (count > MAX_RENDERS_PER_SHOT) {
      problems.push(ctx.sourceMap.problem([...shot.path, 'id'], `shot "${shot.id}" expands to ${count} renders; the limit is ${MAX_RENDERS_PER_SHOT} per shot`));
      continue;
    }
    const defaults = shot.info ? schemaRegistry().modelSchemas(shot.info).defaults : {};
    const mediaNames = shot.info?.mediaParams ?? MEDIA_PARAM_NAMES;
    const prompt = substituteVars(shot.prompt, ctx.input.vars);
    const base = mergeBaseParams(shot, ctx.input);
    const source = { file: ctx.sourceMap.file, line: ctx.sourceMap.lineOf(shot.path) };
    for (const pick of sweepPicks(shot)) {
      const params = sortedKeys({ ...defaults, ...plainParams(withSweep(base, pick, shot)) });
      const varying: Record<string, unknown> = {};
      for (const { key, value } of pick) varying[key] = value;
      const media: Record<string, string> = {};
      for (const name of mediaNames) {
        const value = params[name];
        if (typeof value !== 'string') continue;
        const kind = classifyMedia(value, ctx.manifestDir);
        if (kind.kind === 'local') media[name] = kind.absPath;
      }
      for (const slot of slots) {
        const id = renderId(shot.id, pick, slot.label);
        if (madeBy.has(id)) {
          const where = shot.input.seeds !== undefined ? 'seeds' : shot.input.sweep.length > 0 ? 'sweep' : 'id';
          problems.push(
            ctx.sourceMap.problem([...shot.path, where], `render id "${id}" would be made twice: make the seeds or sweep values of shot "${shot.id}" distinct`, { key: where !== 'id' }),
          );
          continue;
        }
        madeBy.add(id);
        renders.push({
          id,
          manifestName: ctx.manifestName,
          shot: shot.id,
          source,
          provider: shot.provider,
          model: shot.model,
          knownModel: shot.info !== undefined,
          prompt,
          seed: slot.seed,
          seedOrigin: slot.origin,
          drawnSeedRange: slot.range,
          take: slot.take,
          params,
          varying,
          media,
        });
      }
    }
  }
  return { renders, problems };
}

/** The seeds (or takes) of one shot, before the sweep multiplies them. */
function seedSlots(shot: ResolvedShot): SeedSlot[] {
  const { seed, seeds, repeat } = shot.input;
  const range = shot.info?.seed;
  const written = (n: number): SeedSlot => ({ seed: n, origin: 'manifest', range: null, take: null, label: `seed-${n}` });
  if (range !== null) {
    if (seed !== undefined) return [written(seed)];
    if (seeds?.kind === 'list') return seeds.values.map(written);
    if (seeds?.kind === 'range') return Array.from({ length: seeds.count }, (_, i) => written(seeds.from + i));
  }
  if (range) {
    const draws = seeds?.kind === 'draw' ? seeds.count : 1;
    const drawnSeedRange = { min: range.min, max: range.max };
    return Array.from({ length: draws }, (_, i) => ({ seed: null, origin: 'drawn', range: drawnSeedRange, take: null, label: `draw-${i + 1}` }));
  }
  // No seed to send: the model has none, or render does not know it and none was written.
  return Array.from({ length: repeat ?? 1 }, (_, i) => ({ seed: null, origin: 'none', range: null, take: i + 1, label: `take-${i + 1}` }));
}

function sortedKeys(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) out[key] = params[key];
  return out;
}
