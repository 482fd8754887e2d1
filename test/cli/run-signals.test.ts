/**
 * The crash guarantees, with render as a real child process against an emulator in this
 * process: SIGKILL at any moment loses nothing paid for and a rerun submits nothing twice;
 * SIGINT stops cleanly with exit 130 and a rerun picks the jobs up.
 */
import { describe, expect, it } from 'vitest';
import type { Emulator, LoggedRequest } from '../../src/emulator/types.js';
import { startEmulator } from '../../src/emulator/server.js';
import { createdPosts, createsPerRender, movableClock, readOutputManifest, runRender, wanManifest, workspace, writeManifest } from '../engine/support/harness.js';
import { runChild as runChildWith } from './support/run-child.js';

const ARGS = ['run', 'job.yaml', '--poll-interval', '0.05', '--no-progress', '--concurrency', '4'];

/** Starts render in `cwd`; `when(log)` decides the moment to send `signal`. */
function runChild(emu: Emulator, cwd: string, signal: NodeJS.Signals, when: (log: readonly LoggedRequest[]) => boolean) {
  return runChildWith(emu, cwd, ARGS, signal, when);
}

describe('render run as a child process', () => {
  it('killed with SIGKILL mid-run twice, then rerun: every render done or indeterminate, none submitted twice', async () => {
    // Jobs still in flight when the last run starts finish by moving the emulator's clock.
    const clock = movableClock();
    const emu = await startEmulator({ jobDurationMs: { min: 600, max: 1200 }, maxVideoFrames: 18, maxVideoSide: 160, now: clock.now });
    try {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 8 }));
      const killedEarly = await runChild(emu, dir, 'SIGKILL', (log) => createdPosts(log).length >= 3);
      expect(killedEarly.sent).toBe(true);
      expect(killedEarly.signal).toBe('SIGKILL');
      const mark = emu.log.length;
      // The second run is killed once it has brought a video home.
      const killedLater = await runChild(emu, dir, 'SIGKILL', (log) => log.slice(mark).some((r) => r.provider === 'media' && r.status === 200));
      expect(killedLater.signal).toBe('SIGKILL');
      clock.advance(1200);
      const last = await runRender(ARGS.slice(1), { cwd: dir, env: emu.env });

      const creates = createsPerRender(emu.log);
      expect([...creates.values()].every((n) => n === 1)).toBe(true);
      const m = await readOutputManifest(dir);
      expect(m.renders).toHaveLength(8);
      // A kill between the journal's "submitting" line and the provider's answer leaves a job
      // that may exist: it is reported, never resent. Every other render is done.
      const statuses = m.renders.map((r) => r.status);
      expect(statuses.every((s) => s === 'succeeded' || s === 'indeterminate')).toBe(true);
      expect(last.code).toBe(statuses.includes('indeterminate') ? 1 : 0);
      for (const r of m.renders.filter((x) => x.status === 'succeeded')) expect(creates.get(`${r.prompt}#${r.seed}`)).toBe(1);
    } finally {
      await emu.close();
    }
  });

  it('SIGINT stops submitting, exits 130 saying how many jobs are still rendering, and a rerun picks them up', async () => {
    const clock = movableClock();
    const emu = await startEmulator({ jobDurationMs: { min: 800, max: 1200 }, maxVideoFrames: 18, maxVideoSide: 160, now: clock.now });
    try {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 6 }));
      const stopped = await runChild(emu, dir, 'SIGINT', (log) => createdPosts(log).length >= 4);
      expect(stopped.code).toBe(130);
      expect(stopped.stdout).toMatch(/interrupted: \d+ jobs? (is|are) still rendering at the providers/);
      expect(stopped.stdout).toContain('run the same command again');
      const before = createdPosts(emu.log).length;
      expect(before).toBeLessThan(6);
      const mark = emu.log.length;
      clock.advance(1200); // the jobs the stopped run left finish; the rerun's own still take their time
      const rerun = await runRender(ARGS.slice(1).filter((a) => a !== '--no-progress'), { cwd: dir, env: emu.env });
      expect(rerun.code).toBe(0);
      expect(rerun.stderr).toMatch(/resumed/);
      expect(createdPosts(emu.log, mark).length).toBe(6 - before);
      expect([...createsPerRender(emu.log).values()]).toEqual([1, 1, 1, 1, 1, 1]);
      const m = await readOutputManifest(dir);
      expect(m.renders.map((r) => r.status)).toEqual(Array(6).fill('succeeded'));
    } finally {
      await emu.close();
    }
  });
});
