/**
 * What an engine with no overhead at all would take for a given batch: the same jobs in the same
 * order on `slots` slots, each slot refilled the moment its job is seen finished, and a job seen
 * finished only at a status read, every `pollMs` from its submit. The gap between this and the
 * ideal bound is inherent to polling and to not knowing job lengths in advance; the gap between
 * the measured makespan and this is the engine's own.
 */
export function pollingFloorMs(durationsInSubmitOrder: readonly number[], slots: number, pollMs: number): number {
  const freeAt = new Array<number>(slots).fill(0);
  let end = 0;
  for (const d of durationsInSubmitOrder) {
    let slot = 0;
    for (let i = 1; i < slots; i += 1) if (freeAt[i]! < freeAt[slot]!) slot = i;
    const seenAt = freeAt[slot]! + Math.max(1, Math.ceil(d / pollMs)) * pollMs;
    freeAt[slot] = seenAt;
    end = Math.max(end, seenAt);
  }
  return end;
}
