/** RenderSpecs for tests: one per seed model, as the manifest layer would expand them. */
import type { RenderSpec } from '../../src/manifest/types.js';

export function renderSpec(overrides: Partial<RenderSpec> & Pick<RenderSpec, 'provider' | 'model'>): RenderSpec {
  return {
    id: 'shot.seed-7',
    manifestName: 'test',
    shot: 'shot',
    source: { file: 'jobs/test.yaml', line: 3 },
    knownModel: true,
    prompt: 'a lighthouse at dusk, waves',
    seed: 7,
    seedOrigin: 'manifest',
    drawnSeedRange: null,
    take: null,
    params: {},
    varying: {},
    media: {},
    ...overrides,
  };
}
