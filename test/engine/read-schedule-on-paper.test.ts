/**
 * Learned read schedules in the engine, on a fake clock (support/paper.ts): a job of a learned
 * key is first read one base interval after the earliest plausible finish, a job slower than anything learned is
 * still read every base interval until it is done, and what a run sees finish teaches the jobs
 * it submits later.
 */
import { describe, expect, it } from 'vitest';
import { Job } from '../../src/engine/job.js';
import { prepareRender } from '../../src/engine/prepare.js';
import { learnedCadence, noteStatus } from '../../src/engine/read-learning.js';
import { ReadSchedule } from '../../src/engine/read-schedule.js';
import { timingKey } from '../../src/engine/timing-key.js';
import { emptyState } from '../../src/store/journal.js';
import type { TakeStore } from '../../src/store/take-store.js';
import { paperAdapter, paperRun, spec, type PaperRun } from './support/paper.js';

const KEY = timingKey('aimlapi', 'paper-model', {});
const BASE = 250;

/** Each job's status reads, in ms after its own submit. */
function readsByJob(run: PaperRun): Map<string, number[]> {
  const submitted = new Map<string, number>();
  const reads = new Map<string, number[]>();
  for (const r of run.provider.log) {
    if (r.jobId === undefined) continue;
    if (r.operation === 'submit') submitted.set(r.jobId, r.at);
    else reads.set(r.jobId, [...(reads.get(r.jobId) ?? []), r.at - (submitted.get(r.jobId) ?? 0)]);
  }
  return reads;
}

describe('learned read schedules on paper', () => {
  it('reads a job of a learned key first near the earliest plausible finish, then at the base near the expected one', async () => {
    const schedule = new ReadSchedule({ keys: [{ key: KEY, samples: [[2900, 3000], [2950, 3050], [3000, 3100], [2900, 3000], [3000, 3100]] }] });
    const a = schedule.estimate(KEY)?.a ?? 0;
    // Midpoints 2950 to 3050: a little below the least of them.
    expect(a).toBeCloseTo(2950 - 100 / 6, 6);
    // These jobs take 3.2 s, a little longer than any learned.
    const run = await paperRun({ renders: 2, concurrency: 2, pollIntervalMs: BASE, jobMs: () => 3200, readSchedule: schedule });
    await run.clock.run(run.steps.runAll(run.jobs));
    expect(run.jobs.map((j) => j.finalStatus)).toEqual(['succeeded', 'succeeded']);
    for (const reads of readsByJob(run).values()) {
      // One base interval after a (not done yet: past the expected finish), then at the base
      // interval (done): 2 reads instead of 13.
      expect(reads).toHaveLength(2);
      expect(reads[0]).toBeCloseTo(a + BASE, 2);
      expect(reads[1]).toBeCloseTo(a + 2 * BASE, 2);
    }
    // Both jobs were learned from: [last read not done, read done] in ms after the submit.
    expect(schedule.samples(KEY)).toHaveLength(7);
    expect(schedule.samples(KEY).slice(-1)[0]).toEqual([Math.round(a + BASE), Math.round(a + 2 * BASE)]);
  });

  it('a job seen done at its first read counts at the earliest finish it was read after, so the first reads do not drift later', async () => {
    const schedule = new ReadSchedule({ keys: [{ key: KEY, samples: [[1000, 1000], [1000, 1000], [1000, 1000]] }] });
    // Jobs of exactly 1 s, one after another: each is read once, at a + base, and seen done.
    const run = await paperRun({ renders: 20, concurrency: 1, pollIntervalMs: BASE, jobMs: () => 1000, readSchedule: schedule });
    await run.clock.run(run.steps.runAll(run.jobs));
    for (const reads of readsByJob(run).values()) expect(reads).toEqual([1000 + BASE]);
    expect(schedule.estimate(KEY)?.a).toBe(1000);
  });

  it('never stops reading an overdue job: every base interval until it is done', async () => {
    const schedule = new ReadSchedule({ keys: [{ key: KEY, samples: [[1000, 1000], [1000, 1000], [1000, 1000]] }] });
    const run = await paperRun({ renders: 1, pollIntervalMs: BASE, jobMs: () => 5000, readSchedule: schedule });
    await run.clock.run(run.steps.runAll(run.jobs));
    expect(run.jobs[0]?.finalStatus).toBe('succeeded');
    const reads = readsByJob(run).get('job-1') ?? [];
    expect(reads[0]).toBe(1000 + BASE);
    expect(reads.at(-1)).toBe(5000);
    const gaps = reads.slice(1).map((t, i) => t - (reads[i] ?? 0));
    expect(gaps.every((g) => g === BASE)).toBe(true);
  });

  it('learns within a run: jobs submitted after the first ones finish are read a few times, each seen done within the base interval', async () => {
    const schedule = new ReadSchedule();
    const run = await paperRun({ renders: 12, concurrency: 3, pollIntervalMs: BASE, jobMs: () => 3000, readSchedule: schedule });
    await run.clock.run(run.steps.runAll(run.jobs));
    expect(run.jobs.every((j) => j.finalStatus === 'succeeded')).toBe(true);
    const reads = [...readsByJob(run).values()];
    // The first three were read at the base interval: nothing was learned yet.
    for (const r of reads.slice(0, 3)) expect(r).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250, 2500, 2750, 3000]);
    for (const r of reads.slice(3)) {
      expect(r.length).toBeLessThanOrEqual(4);
      expect(r.at(-1)).toBeGreaterThanOrEqual(3000);
      expect(r.at(-1)).toBeLessThanOrEqual(3000 + BASE);
    }
    expect(schedule.samples(KEY)).toHaveLength(12);
    expect(schedule.changed).toBe(true);
  });

  it('reads a job as before when no schedule is given', async () => {
    const run = await paperRun({ renders: 1, pollIntervalMs: BASE, jobMs: () => 1000 });
    await run.clock.run(run.steps.runAll(run.jobs));
    expect(readsByJob(run).get('job-1')).toEqual([250, 500, 750, 1000]);
  });

  it('a job resumed from an earlier run (its submit time unknown here) is read as before and teaches nothing', async () => {
    const schedule = new ReadSchedule({ keys: [{ key: KEY, samples: [[1000, 1000], [1000, 1000], [1000, 1000]] }] });
    const prepared = await prepareRender(spec('r1.seed-1'), paperAdapter);
    const state = { ...emptyState('r1.seed-1', prepared.requestSha256, 1), phase: 'submitted' as const, job_id: 'job-9' };
    const job = new Job(0, prepared, paperAdapter, { kind: 'resume', state }, { earlierTakes: () => [] } as unknown as TakeStore);
    expect(learnedCadence(schedule, job, 5000)).toBeUndefined();
    noteStatus(schedule, job, { state: 'succeeded', providerStatus: 'succeeded', videoUrl: 'https://media.invalid/v.mp4', metadata: {} }, 5000, BASE);
    expect(schedule.samples(KEY)).toHaveLength(3);
    expect(schedule.changed).toBe(false);
  });
});
