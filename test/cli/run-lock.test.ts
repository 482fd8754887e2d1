/**
 * One run per output folder, with render as real child processes against one emulator in this
 * process: two runs started at once do the work once; the lock is released at the end and on
 * Ctrl-C; a lock left by a killed run is taken over; plan, validate and report ignore it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/emulator/types.js';
import { startEmulator } from '../../src/emulator/server.js';
import { acquireRunLock } from '../../src/store/run-lock.js';
import { runCli } from '../support/run-cli.js';
import { createdPosts, movableClock, readOutputManifest, waitFor, runRender, wanManifest, workspace, writeManifest } from '../engine/support/harness.js';
import { runChild } from './support/run-child.js';

const ARGS = ['run', 'job.yaml', '--poll-interval', '0.05', '--no-progress', '--concurrency', '3'];
const never = (): boolean => false;

/** Create POSTs per request body: a body sent twice is a render paid twice. */
function postsPerBody(log: readonly LoggedRequest[]): number[] {
  const counts = new Map<string, number>();
  for (const r of log) if (r.method === 'POST' && r.provider !== 'media') counts.set(r.bodyText ?? '', (counts.get(r.bodyText ?? '') ?? 0) + 1);
  return [...counts.values()];
}

const lockFile = (dir: string): string => join(dir, 'output', 'batch', '.render', 'lock');
const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

describe('the run lock with two real processes', () => {
  it('two runs at once: one does the work, the other exits 2 at once naming the holder; a rerun then works', async () => {
    // The winner's jobs (3 renders, --concurrency 3) finish only when the emulator's clock is
    // moved, and it is moved once the loser has ended and all three jobs exist: a loser that
    // waited for the lock instead of exiting at once would never end (waitFor fails).
    const clock = movableClock();
    const emu = await startEmulator({ jobDurationMs: 60_000, maxVideoFrames: 18, maxVideoSide: 160, now: clock.now });
    try {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 3 }));
      const ended: Record<string, number> = {};
      let refused = false;
      const both = Promise.all(
        ['a', 'b'].map((name) => runChild(emu, dir, ARGS, 'SIGINT', never).then((r) => ((ended[name] = Date.now()), (refused ||= r.code === 2), r))),
      );
      await waitFor(() => refused && createdPosts(emu.log).length === 3, 30_000);
      clock.advance(60_000);
      const [a, b] = await both;
      const runs = [a!, b!];
      const winner = runs.find((r) => r.code === 0);
      const loser = runs.find((r) => r.code === 2);
      expect(runs.map((r) => r.code).sort()).toEqual([0, 2]);
      expect(loser!.stderr).toMatch(
        new RegExp(`^render: output/batch is in use by another render run \\(pid ${winner!.pid} on host .+, since \\d{4}-.+Z\\); wait for it to finish, or stop it\\. If that process is gone, delete output/batch/\\.render/lock\\n`),
      );
      expect(loser!.stderr).not.toMatch(/at .+\.js:\d+/);
      expect(loser!.stdout).toBe('');
      // The loser stopped while the winner was still waiting on its jobs.
      const loserName = runs[0] === loser ? 'a' : 'b';
      expect(ended[loserName]).toBeLessThan(ended[loserName === 'a' ? 'b' : 'a']!);

      expect(createdPosts(emu.log)).toHaveLength(3);
      expect(postsPerBody(emu.log)).toEqual([1, 1, 1]);
      const m = await readOutputManifest(dir);
      expect(m.renders.map((r) => r.status)).toEqual(Array(3).fill('succeeded'));
      const journal = await readFile(join(dir, 'output', 'batch', '.render', 'journal.jsonl'), 'utf8');
      for (const r of m.renders) expect(journal).toContain(r.job_id!);
      expect(await exists(lockFile(dir))).toBe(false);

      const mark = emu.log.length;
      const rerun = await runRender(ARGS.slice(1), { cwd: dir, env: emu.env });
      expect(rerun.code).toBe(0);
      expect(createdPosts(emu.log, mark)).toHaveLength(0);
    } finally {
      await emu.close();
    }
  });

  it('Ctrl-C releases the lock; SIGKILL leaves it, and the next run takes it over and resumes', async () => {
    // Jobs the killed run left finish before the next run by moving the emulator's clock.
    const clock = movableClock();
    const emu = await startEmulator({ jobDurationMs: { min: 800, max: 1200 }, maxVideoFrames: 18, maxVideoSide: 160, now: clock.now });
    try {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 6 }));
      const stopped = await runChild(emu, dir, ARGS, 'SIGINT', (log) => createdPosts(log).length >= 2);
      expect(stopped.code).toBe(130);
      expect(await exists(lockFile(dir))).toBe(false);

      const killed = await runChild(emu, dir, ARGS, 'SIGKILL', (log) => createdPosts(log).length >= 4);
      expect(killed.signal).toBe('SIGKILL');
      expect(JSON.parse(await readFile(lockFile(dir), 'utf8'))).toMatchObject({ pid: killed.pid, command: ARGS.join(' ').replace(/^/, 'render ') });

      clock.advance(1200);
      const rerun = await runRender(ARGS.slice(1), { cwd: dir, env: emu.env });
      expect(rerun.stderr).toContain(`render: took over the lock of pid ${killed.pid} (no longer running)`);
      expect([0, 1]).toContain(rerun.code);
      expect(postsPerBody(emu.log).every((n) => n === 1)).toBe(true);
      expect(await exists(lockFile(dir))).toBe(false);
    } finally {
      await emu.close();
    }
  });

  it('while a run holds the folder, plan, validate and report still work and another run is refused', async () => {
    const dir = await workspace();
    await writeManifest(dir, wanManifest({ count: 2 }));
    const emu = await startEmulator({ jobDurationMs: 200, maxVideoFrames: 18, maxVideoSide: 160 });
    try {
      expect((await runRender(ARGS.slice(1), { cwd: dir, env: emu.env })).code).toBe(0);
      const lock = await acquireRunLock(join(dir, 'output', 'batch'), { command: 'render run job.yaml', cwd: dir, warn: () => undefined });
      try {
        const plan = await runCli(['plan', 'job.yaml'], dir);
        expect(plan.code).toBe(0);
        expect(plan.stdout).toMatch(/^wan\.seed-1 .* done/m);
        expect((await runCli(['validate', 'job.yaml'], dir)).code).toBe(0);
        const report = await runCli(['report', 'output/batch'], dir);
        expect(report.code).toBe(0);
        const mark = emu.log.length;
        const refused = await runRender([...ARGS.slice(1), '--force'], { cwd: dir, env: emu.env });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(`output/batch is in use by another render run (pid ${process.pid} on host`);
        expect(emu.log.length).toBe(mark);
      } finally {
        await lock.release();
      }
    } finally {
      await emu.close();
    }
  });
});
