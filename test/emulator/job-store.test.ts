import { describe, expect, it } from 'vitest';
import { JobStore, type JobRequest } from '../../src/emulator/job-store.js';
import type { ProviderName } from '../../src/core/catalog.js';

const REQUEST: JobRequest = {
  model: 'm',
  prompt: 'p',
  seed: null,
  video: { width: 16, height: 16, fps: 24, frames: 1, seed: 's', label: 'l' },
};
const PROVIDERS: ProviderName[] = ['aimlapi', 'krea', 'novita'];

/** A store on a hand-driven clock, and the plain count the incremental one must always match. */
function storeAt(durations: number[]): { store: JobStore; setNow: (t: number) => void; bruteForce: (p?: ProviderName) => number } {
  let now = 0;
  let next = 0;
  const store = new JobStore({ durationMs: 0, queuedFraction: 0 }, () => now);
  // Each job draws the next duration from the list instead of the fixed 0.
  (store as unknown as { drawDuration: () => number }).drawDuration = () => durations[next++ % durations.length]!;
  const bruteForce = (p?: ProviderName): number => {
    let n = 0;
    for (let i = 0; ; i += 1) {
      const job = store.get(`j${i}`);
      if (!job) return n;
      if ((p === undefined || job.provider === p) && now - job.startMs < job.durationMs) n += 1;
    }
  };
  return { store, setNow: (t) => (now = t), bruteForce };
}

describe('JobStore in-flight counts', () => {
  // The emulator's clock only goes forward, so this one does too.
  it('match a count of every job whose state is not terminal, at every moment, per provider and in total', () => {
    const durations = [0, 5, 17, 3, 40, 1, 12, 12, 29, 8, 0, 60];
    const { store, setNow, bruteForce } = storeAt(durations);
    let peak = 0;
    for (let i = 0, t = 0; i < 60; i += 1, t += 4 + ((i * 7) % 11)) {
      setNow(t);
      store.create(PROVIDERS[i % 3]!, `j${i}`, REQUEST, undefined);
      peak = Math.max(peak, bruteForce());
      for (const dt of [0, 1, 4]) {
        setNow(t + dt);
        expect(store.inFlight()).toBe(bruteForce());
        for (const p of PROVIDERS) expect(store.inFlight(p)).toBe(bruteForce(p));
      }
    }
    expect(store.peakInFlight().total).toBe(peak);
    setNow(10_000);
    expect(store.inFlight()).toBe(0);
  });

  it('count a job while a status read shows it unfinished, and not from the moment it is terminal', () => {
    const { store, setNow } = storeAt([10]);
    setNow(100);
    const job = store.create('krea', 'j0', REQUEST, undefined);
    setNow(109.5);
    expect(store.view(job).state).toBe('running');
    expect(store.inFlight('krea')).toBe(1);
    setNow(110);
    expect(store.view(job).state).toBe('succeeded');
    expect(store.inFlight('krea')).toBe(0);
    expect(store.peakInFlight()).toEqual({ aimlapi: 0, krea: 1, novita: 0, total: 1 });
  });
});
