/**
 * Repeatable random draws: mulberry32, a tiny 32-bit PRNG. Two emulators seeded alike draw the
 * same job durations in the same order (so a benchmark can give two clients the same jobs), and
 * the encoder worker draws the same picture for the same seed (its source embeds this function,
 * so it must stay self-contained).
 */
export function seededDraws(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
