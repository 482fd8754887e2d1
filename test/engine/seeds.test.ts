import { describe, expect, it } from 'vitest';
import { drawSeed, fillDrawnSeeds } from '../../src/engine/seeds.js';
import type { RenderSpec } from '../../src/manifest/types.js';

function spec(id: string, over: Partial<RenderSpec> = {}): RenderSpec {
  return {
    id, manifestName: 'm', shot: 's', source: { file: 'm.yaml', line: 1 }, provider: 'novita', model: 'wan-t2v',
    knownModel: true, prompt: 'p', seed: null, seedOrigin: 'drawn', drawnSeedRange: { min: 0, max: 9_999_999_999 },
    take: null, params: {}, varying: {}, media: {}, ...over,
  };
}

describe('fillDrawnSeeds', () => {
  const renders = [spec('a'), spec('b'), spec('c', { seed: 5, seedOrigin: 'manifest', drawnSeedRange: null }), spec('d', { seedOrigin: 'none', drawnSeedRange: null })];
  const known = (id: string) =>
    id === 'a' ? { seed: 42, inFlight: false } : id === 'b' ? { seed: 43, inFlight: true } : undefined;

  it('reuses the previous seeds and leaves given or absent seeds alone', () => {
    const out = fillDrawnSeeds(renders, known, { reseed: false, draw: () => 99 });
    expect(out.map((r) => r.seed)).toEqual([42, 43, 5, null]);
  });

  it('--reseed draws anew, except for a job still in flight', () => {
    const out = fillDrawnSeeds(renders, known, { reseed: true, draw: () => 99 });
    expect(out.map((r) => r.seed)).toEqual([99, 43, 5, null]);
  });

  it('draws when the previous seed is outside the range', () => {
    const out = fillDrawnSeeds([spec('a', { drawnSeedRange: { min: 0, max: 10 } })], known, { reseed: false, draw: () => 3 });
    expect(out[0]?.seed).toBe(3);
  });

  it('draws integers within range, beyond 32 bits too', () => {
    for (let i = 0; i < 200; i += 1) {
      const s = drawSeed({ min: 0, max: 9_999_999_999 });
      expect(Number.isInteger(s) && s >= 0 && s <= 9_999_999_999).toBe(true);
    }
    expect(drawSeed({ min: 7, max: 7 })).toBe(7);
  });
});
