/**
 * Seeds against the shot's model: a model without a seed takes `repeat:` instead, a model with
 * one takes seeds (not repeat) within its range, and render can only draw seeds where it knows
 * the range.
 */
import type { Problem } from '../../core/errors.js';
import type { ProviderName } from '../../core/catalog.js';
import type { RuleContext } from './context.js';

/** Seeds a provider reads as "pick one at random"; allowed when written, never drawn. */
const PROVIDER_RANDOM_SEED: Partial<Record<ProviderName, number>> = { novita: -1 };

export function seedsFitModel(ctx: RuleContext): Problem[] {
  const problems: Problem[] = [];
  const { sourceMap } = ctx;
  for (const shot of ctx.shots) {
    const { seed, seeds, repeat } = shot.input;
    const at = (...rest: (string | number)[]) => [...shot.path, ...rest];
    const written = seed !== undefined ? 'seed' : seeds !== undefined ? 'seeds' : undefined;
    if (seed !== undefined && seeds !== undefined) {
      problems.push(sourceMap.problem(at('seeds'), 'give seed or seeds, not both', { key: true }));
    }
    const range = shot.info?.seed;
    if (shot.info && range === null) {
      if (written) {
        const n = seeds?.kind === 'list' ? seeds.values.length : seeds?.count ?? 1;
        problems.push(
          sourceMap.problem(at(written), `${shot.model} takes no seed: use repeat: ${n} for ${n} take${n === 1 ? '' : 's'} instead of ${written}`, { key: true }),
        );
      }
      continue;
    }
    if (!range) {
      // A model render does not know: seeds are sent as written, or takes are repeated.
      if (repeat !== undefined && written) {
        problems.push(sourceMap.problem(at('repeat'), `give repeat or ${written}, not both`, { key: true }));
      }
      if (seeds?.kind === 'draw') {
        problems.push(
          sourceMap.problem(at('seeds'), `render cannot draw seeds for ${shot.model}, a model it does not know the seed range of: list them (seeds: [..] or {from: N, count: ${seeds.count}})`),
        );
      }
      continue;
    }
    if (repeat !== undefined) {
      problems.push(
        sourceMap.problem(at('repeat'), `${shot.model} takes a seed: use seeds: {count: ${repeat}} for ${repeat} renders with drawn seeds, instead of repeat`, { key: true }),
      );
    }
    const random = PROVIDER_RANDOM_SEED[shot.provider];
    const outOfRange = (n: number): boolean => (n < range.min || n > range.max) && n !== random;
    const rangeWords = `${shot.model} takes seeds from ${range.min} to ${range.max}`;
    if (seed !== undefined && outOfRange(seed)) problems.push(sourceMap.problem(at('seed'), `${rangeWords} (got ${seed})`));
    if (seeds?.kind === 'list') {
      seeds.values.forEach((value, i) => {
        if (outOfRange(value)) problems.push(sourceMap.problem(at('seeds', i), `${rangeWords} (got ${value})`));
      });
    }
    if (seeds?.kind === 'range') {
      const last = seeds.from + seeds.count - 1;
      if (seeds.from < range.min || seeds.from > range.max) {
        problems.push(sourceMap.problem(at('seeds', 'from'), `${rangeWords} (got from: ${seeds.from})`));
      } else if (last > range.max) {
        problems.push(sourceMap.problem(at('seeds', 'count'), `${rangeWords}; from ${seeds.from}, count ${seeds.count} ends at ${last}`));
      }
    }
  }
  return problems;
}
