import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import { JobStore, type JobRequest } from '../../src/emulator/job-store.js';
import type { Emulator } from '../../src/emulator/types.js';
import { AUTH, call } from './helpers.js';

const RANGE = { min: 1000, max: 3000 };
const REQUEST: JobRequest = { model: 'm', prompt: 'p', seed: null, video: { width: 16, height: 16, fps: 24, frames: 1, seed: 's', label: 'l' } };

function durations(seed: number | undefined, count: number): number[] {
  const store = new JobStore({ durationMs: RANGE, queuedFraction: 0.3, durationSeed: seed }, () => 0);
  return Array.from({ length: count }, (_, i) => store.create('krea', `j${i}`, REQUEST, undefined).durationMs);
}

describe('durationSeed', () => {
  it('gives the n-th job created the same duration in every store seeded alike, spread over the range', () => {
    const a = durations(7, 200);
    expect(durations(7, 200)).toEqual(a);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(RANGE.min);
    expect(Math.max(...a)).toBeLessThanOrEqual(RANGE.max);
    // Spread, not one value: the draws cover most of the range.
    expect(Math.max(...a) - Math.min(...a)).toBeGreaterThan(1500);
    expect(new Set(a).size).toBeGreaterThan(150);
  });

  it('draws another sequence for another seed, and an unseeded store does not repeat itself', () => {
    expect(durations(8, 50)).not.toEqual(durations(7, 50));
    expect(durations(undefined, 50)).not.toEqual(durations(undefined, 50));
  });

  describe('on the wire', () => {
    const emulators: Emulator[] = [];
    afterEach(async () => {
      await Promise.all(emulators.splice(0).map((e) => e.close()));
    });

    /** Submits `count` Kling jobs, then moves the clock past their end and reads each job's created → completed time. */
    async function wireDurations(seed: number, count: number): Promise<number[]> {
      let now = Date.parse('2026-01-01T00:00:00Z');
      const emu = await startEmulator({ jobDurationMs: RANGE, durationSeed: seed, now: () => now, maxVideoFrames: 1 });
      emulators.push(emu);
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const created = await call(emu, 'POST', '/generate/video/kling/kling-2.5', { prompt: `take ${i}`, duration: 5, aspect_ratio: '1:1' }, AUTH);
        expect(created.status).toBe(200);
        ids.push(created.body.job_id as string);
        now += 37;
      }
      now += RANGE.max;
      const out: number[] = [];
      for (const id of ids) {
        const job = (await call(emu, 'GET', `/jobs/${id}`)).body as { status: string; created_at: string; completed_at: string };
        expect(job.status).toBe('completed');
        out.push(Date.parse(job.completed_at) - Date.parse(job.created_at));
      }
      return out;
    }

    it('lets two emulators give a client the same job durations in submit order', async () => {
      const first = await wireDurations(42, 12);
      const second = await wireDurations(42, 12);
      expect(second).toEqual(first);
      expect(new Set(first).size).toBeGreaterThan(6);
      expect(await wireDurations(43, 12)).not.toEqual(first);
    });
  });
});
