import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseShard, selectRenders } from '../../src/manifest/select.js';

const renders = Array.from({ length: 200 }, (_, i) => ({ id: `shot-${i % 7}.seed-${i}` }));

describe('selectRenders', () => {
  it('keeps renders whose id matches any --only glob, whole-id', () => {
    const picked = selectRenders(
      [{ id: 'city.guidance_scale-4.seed-100' }, { id: 'city.guidance_scale-6.seed-100' }, { id: 'eagle.take-1' }, { id: 'eagles.take-1' }],
      { only: ['city.*-4.*', 'eagle.take-?'] },
    );
    expect(picked.map((r) => r.id)).toEqual(['city.guidance_scale-4.seed-100', 'eagle.take-1']);
  });

  it('splits renders into shards that cover everything exactly once, stably', () => {
    const shards = [1, 2, 3].map((index) => selectRenders(renders, { shard: { index, count: 3 } }).map((r) => r.id));
    expect(shards.flat().sort()).toEqual(renders.map((r) => r.id).sort());
    for (const shard of shards) expect(shard.length).toBeGreaterThan(40);
    expect(selectRenders(renders, { shard: { index: 2, count: 3 } }).map((r) => r.id)).toEqual(shards[1]);
  });
});

describe('parseShard', () => {
  it('reads I/N', () => expect(parseShard('2/4')).toEqual({ index: 2, count: 4 }));
  it.each(['0/4', '5/4', '1/0', 'a/b', '2', '-1/3'])('rejects %s', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });
});
