/**
 * `render plan` after a run stopped mid-way (Ctrl-C, or killed outright): the jobs already at
 * the provider show as in flight, and the next run submits exactly the renders plan calls new.
 */
import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/emulator/types.js';
import type { PlanRow } from '../../src/manifest/plan/plan-rows.js';
import { runCli } from '../support/run-cli.js';
import { createdPosts, movableClock, runRender, waitFor, wanManifest, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';
import { runChild } from './support/run-child.js';

const ARGS = ['run', 'job.yaml', '--poll-interval', '0.05', '--no-progress', '--concurrency', '4'];
const SLOW_JOBS = { jobDurationMs: { min: 800, max: 1200 }, maxVideoFrames: 18, maxVideoSide: 160 };
/** The emulator's options with a clock the test moves: jobs left in flight finish before the rerun. */
const slowJobs = (clock: ReturnType<typeof movableClock>) => ({ ...SLOW_JOBS, now: clock.now });

async function planStates(dir: string): Promise<Record<string, string | undefined>> {
  const r = await runCli(['plan', 'job.yaml', '--json'], dir);
  expect(r.code).toBe(0);
  return Object.fromEntries((JSON.parse(r.stdout) as { renders: PlanRow[] }).renders.map((row) => [row.id, row.state]));
}

/** Render ids of the jobs the emulator created (the manifest's seed n is render wan.seed-n). */
function createdIds(log: readonly LoggedRequest[], from = 0): string[] {
  return createdPosts(log, from).map((r) => `wan.seed-${(r.body as { seed: number }).seed}`).sort();
}

const idsIn = (states: Record<string, string | undefined>, state: string): string[] =>
  Object.keys(states).filter((id) => states[id] === state).sort();

describe('render plan after an interrupted run', () => {
  it('after Ctrl-C: the submitted renders are in flight, the rest new, and a rerun submits only those', async () => {
    const clock = movableClock();
    await withEmulator(slowJobs(clock), async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 6 }));
      // Ctrl-C in-process (the signal a real SIGINT raises: run-signals.test.ts sends that to a
      // child process), once the provider took four jobs.
      const stop = new AbortController();
      const stopping = runRender(ARGS.slice(1), { cwd: dir, env: emu.env, signal: stop.signal });
      await waitFor(() => createdPosts(emu.log).length >= 4);
      stop.abort();
      expect((await stopping).code).toBe(130);
      const submitted = createdIds(emu.log);
      const states = await planStates(dir);
      expect(idsIn(states, 'in_flight')).toEqual(submitted);
      expect(idsIn(states, 'new')).toEqual(Object.keys(states).filter((id) => !submitted.includes(id)).sort());
      expect(idsIn(states, 'new').length).toBeGreaterThan(0);
      const table = (await runCli(['plan', 'job.yaml'], dir)).stdout;
      for (const id of submitted) expect(table).toMatch(new RegExp(`^${id.replace('.', '\\.')} .* in flight +\\S.*$`, 'm'));

      const mark = emu.log.length;
      clock.advance(1200);
      expect((await runRender(ARGS.slice(1), { cwd: dir, env: emu.env })).code).toBe(0);
      expect(createdIds(emu.log, mark)).toEqual(idsIn(states, 'new'));
      expect(Object.values(await planStates(dir))).toEqual(Array(6).fill('done'));
    });
  });

  it('after SIGKILL: jobs the provider took are in flight (or indeterminate), and a rerun submits exactly the new ones', async () => {
    const clock = movableClock();
    await withEmulator(slowJobs(clock), async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 8 }));
      // Killed once the provider took three jobs and render has read one back: a status read
      // comes only after its job id is on disk, so at least one render is known to be in flight.
      const killed = await runChild(
        emu, dir, ARGS, 'SIGKILL',
        (log) => createdPosts(log).length >= 3 && log.some((r) => r.provider === 'aimlapi' && r.method === 'GET'),
      );
      expect(killed.signal).toBe('SIGKILL');
      const submitted = createdIds(emu.log);
      const states = await planStates(dir);
      // A kill between the journal's "submitting" line and the provider's answer leaves a job
      // that may exist: plan says indeterminate, as the run does; it never says new.
      for (const id of submitted) expect(['in_flight', 'indeterminate']).toContain(states[id]);
      expect(idsIn(states, 'in_flight').length).toBeGreaterThan(0);
      expect(idsIn(states, 'in_flight').every((id) => submitted.includes(id))).toBe(true);
      expect(idsIn(states, 'done')).toEqual([]);

      const mark = emu.log.length;
      clock.advance(1200);
      await runRender(ARGS.slice(1), { cwd: dir, env: emu.env });
      expect(createdIds(emu.log, mark)).toEqual(idsIn(states, 'new'));
      const after = await planStates(dir);
      for (const id of Object.keys(after)) expect(after[id]).toBe(states[id] === 'indeterminate' ? 'indeterminate' : 'done');
    });
  });
});

