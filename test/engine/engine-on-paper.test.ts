/**
 * The engine's rules on a fake clock (support/paper.ts): the lifecycle each render goes
 * through, Retry-After, submit retries and the indeterminate case, timeouts, lost jobs,
 * pacing, a full journal and Ctrl-C — exact to the millisecond, with no socket and no sleep.
 */
import { describe, expect, it } from 'vitest';
import { paperRun, phasesOf, providerError } from './support/paper.js';

const minute = 60_000;

describe('the engine on paper', () => {
  it('takes each render through submitting, submitted, started, succeeded, downloaded, polling at the base interval', async () => {
    const run = await paperRun({ renders: 3, concurrency: 2, pollIntervalMs: 1000, jobMs: () => 3000 });
    await run.clock.run(run.steps.runAll(run.jobs));
    for (const job of run.jobs) {
      expect(job.finalStatus).toBe('succeeded');
      expect(phasesOf(run, job.id)).toEqual(['submitting', 'submitted', 'started', 'succeeded', 'downloaded']);
    }
    const creates = run.provider.log.filter((r) => r.operation === 'submit');
    // Two slots: the third submit waits for the first job to finish (3 s, seen at the 3 s read).
    expect(creates.map((r) => r.at)).toEqual([0, 0, 3000]);
    const reads = run.provider.log.filter((r) => r.operation === 'status' && r.jobId === 'job-1');
    expect(reads.map((r) => r.at)).toEqual([1000, 2000, 3000]);
  });

  it('sends nothing to a provider before the time its Retry-After asked for', async () => {
    const run = await paperRun({ renders: 2, pollIntervalMs: 500, jobMs: () => 4000 }, (p) => {
      p.statusFaults.push(providerError('status', 429, 'slow down', { retryAfterMs: 2000 }));
    });
    await run.clock.run(run.steps.runAll(run.jobs));
    const limited = run.provider.log.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    const after = run.provider.log.filter((r) => r.at > (limited?.at ?? 0));
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after.map((r) => r.at))).toBe((limited?.at ?? 0) + 2000);
    expect(run.jobs.every((j) => j.finalStatus === 'succeeded')).toBe(true);
  });

  it('sends a submit again only when the provider certainly did not create the job', async () => {
    const run = await paperRun({ renders: 2 }, (p) => {
      p.submitFaults.push({ error: providerError('submit', 429, 'busy', { retryAfterMs: 1000 }), created: false });
      p.submitFaults.push({ error: providerError('submit', undefined, 'connection reset after sending', { certainlyNotCreated: false }), created: true });
    });
    await run.clock.run(run.steps.runAll(run.jobs));
    const submits = run.provider.log.filter((r) => r.operation === 'submit');
    const byPrompt = new Map<string, number>();
    for (const s of submits) byPrompt.set(s.prompt ?? '', (byPrompt.get(s.prompt ?? '') ?? 0) + 1);
    // The refused one was sent again after its Retry-After; the reset one never.
    expect([...byPrompt.values()].sort()).toEqual([1, 2]);
    const refused = submits.find((s) => s.status === 429);
    const again = submits.filter((s) => s.prompt === refused?.prompt && s.status !== 429);
    expect(again[0]?.at).toBe((refused?.at ?? 0) + 1000);
    const statuses = run.jobs.map((j) => j.finalStatus).sort();
    expect(statuses).toEqual(['indeterminate', 'succeeded']);
    const lostAnswer = run.jobs.find((j) => j.finalStatus === 'indeterminate');
    expect(phasesOf(run, lostAnswer?.id ?? '')).toEqual(['submitting', 'indeterminate']);
  });

  it('--timeout stops waiting but keeps the job id for the next run', async () => {
    const run = await paperRun({ renders: 1, pollIntervalMs: 1000, timeoutMs: 5000, jobMs: () => 60_000 });
    await run.clock.run(run.steps.runAll(run.jobs));
    const [job] = run.jobs;
    expect(job?.finalStatus).toBe('timed_out');
    expect(job?.state.job_id).toBe('job-1');
    expect(phasesOf(run, job?.id ?? '')).toEqual(['submitting', 'submitted', 'timed_out']);
    const last = run.provider.log.filter((r) => r.operation === 'status').at(-1);
    expect(last?.at).toBeLessThanOrEqual(5000);
  });

  it('records a failed job with the provider\'s reason, and the others finish', async () => {
    const run = await paperRun({ renders: 3, concurrency: 3, pollIntervalMs: 1000, jobMs: () => 2000, failWhen: (p) => (p === 'prompt 2' ? 'content policy violation' : undefined) });
    await run.clock.run(run.steps.runAll(run.jobs));
    expect(run.jobs.map((j) => j.finalStatus)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(run.jobs[1]?.error?.message).toBe('content policy violation');
    expect(phasesOf(run, run.jobs[1]?.id ?? '')).toEqual(['submitting', 'submitted', 'started', 'failed']);
    // One submit per render: a failed job is not sent again by the run that saw it fail.
    expect(run.provider.log.filter((r) => r.operation === 'submit').map((r) => r.prompt)).toEqual(['prompt 1', 'prompt 2', 'prompt 3']);
  });

  it('a job the provider forgot is lost, and the others go on', async () => {
    const run = await paperRun({ renders: 2, pollIntervalMs: 1000, jobMs: (p) => (p === 'prompt 1' ? 2000 : 10_000) });
    const done = run.steps.runAll(run.jobs);
    run.clock.setTimer(() => run.provider.forgetAll(), 2500);
    await run.clock.run(done);
    expect(run.jobs.map((j) => j.finalStatus)).toEqual(['succeeded', 'lost']);
    expect(run.jobs[1]?.error?.message).toContain('no longer knows job job-2');
    expect(phasesOf(run, run.jobs[1]?.id ?? '').at(-1)).toBe('lost');
  });

  it('paces submits: at most N in any 60 s window, from the first burst on', async () => {
    const run = await paperRun({ renders: 6, concurrency: 6, submitsPerMinute: 2, jobMs: () => 1000 });
    await run.clock.run(run.steps.runAll(run.jobs));
    const at = run.provider.log.filter((r) => r.operation === 'submit').map((r) => r.at);
    expect(at).toEqual([0, 0, minute, minute, 2 * minute, 2 * minute]);
  });

  it('stops submitting when the journal cannot take a line, and leaves the rest pending', async () => {
    // Two renders' submitting and submitted lines fit; the third render's submitting does not.
    const run = await paperRun({ renders: 4, concurrency: 1, journalFailsAfter: 5, jobMs: () => 1000 });
    await run.clock.run(run.steps.runAll(run.jobs));
    expect(run.steps.submitsHalted).toContain('no space left on device');
    const submitted = run.provider.log.filter((r) => r.operation === 'submit').length;
    expect(submitted).toBeLessThan(4);
    expect(run.jobs.filter((j) => j.finalStatus === undefined).every((j) => j.status === 'pending')).toBe(true);
  });

  it('on Ctrl-C sends nothing more, and leaves every job known by its id', async () => {
    const run = await paperRun({ renders: 3, concurrency: 3, pollIntervalMs: 1000, jobMs: () => 10_000 });
    const done = run.steps.runAll(run.jobs);
    run.clock.setTimer(() => run.steps.stop(), 2500);
    await run.clock.run(done);
    expect(run.provider.log.filter((r) => r.at > 2500)).toEqual([]);
    expect(run.jobs.map((j) => j.state.job_id)).toEqual(['job-1', 'job-2', 'job-3']);
    expect(run.jobs.every((j) => j.finalStatus === undefined)).toBe(true);
  });
});
