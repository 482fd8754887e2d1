import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { main } from '../../src/cli/main.js';
import { allPosts, FAST_JOBS, runRender, wanManifest, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

describe('render run (in-process)', () => {
  it('--json prints one JSON event per line on stdout, ending with the summary', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 2 }));
      const r = await runRender([file, '--json', '--poll-interval', '0.05'], { cwd: dir, env: emu.env });
      expect(r.code).toBe(0);
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as EngineEvent | { event: 'summary'; exit_code: number });
      const kinds = events.map((e) => e.event);
      expect(kinds.filter((k) => k === 'submitted')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'downloaded')).toHaveLength(2);
      expect(kinds).toContain('status');
      expect(kinds.at(-1)).toBe('summary');
      expect(events.at(-1)).toMatchObject({ exit_code: 0, interrupted: false, manifests: [{ name: 'batch', counts: { succeeded: 2 } }] });
    });
  });

  it('on a terminal draws one bar with counts per state, not a line per render', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 3 }));
      let stderr = '';
      let stdout = '';
      const code = await main(['job.yaml', '--poll-interval', '0.05'], {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: Object.assign({ write: (t: string) => (stderr += t), isTTY: true }, { columns: 200 }),
        env: emu.env,
        cwd: dir,
      });
      expect(code).toBe(0);
      expect(stderr).toMatch(/3\/3 \| 0 waiting, 0 queued, 0 running, 0 downloading, 3 done, 0 failed \| ETA 0s/);
      // The ETA always carries its unit while the run goes on.
      expect(stderr).not.toMatch(/ETA \d+(?![\dhms])/);
      expect(stderr).not.toContain('submitted (aimlapi');
      expect(stdout).toContain('batch: 3 done of 3');
    });
  });

  it.each([
    [['job.yaml', '--concurrency', '0'], /--concurrency must be a whole number/],
    [['job.yaml', '--shard', '3/2'], /--shard must be I\/N/],
    [['job.yaml', '--bogus'], /Unknown option '--bogus'/],
    [[], /give at least one manifest/],
    [['job.yaml', '--only', 'nothing-*'], /no render matches/],
  ])('bad usage %j exits 2 and submits nothing', async (args, message) => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 1 }));
      const r = await runRender(args, { cwd: dir, env: emu.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(allPosts(emu.log)).toEqual([]);
    });
  });

  it('a missing key stops the run before anything is submitted, naming the variable', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 1 }));
      const env = { ...emu.env };
      delete env['AIMLAPI_API_KEY'];
      const r = await runRender(['job.yaml'], { cwd: dir, env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('AIMLAPI_API_KEY');
      expect(allPosts(emu.log)).toEqual([]);
    });
  });

  it('--emulate runs with no keys at all', async () => {
    const dir = await workspace();
    await writeManifest(dir, wanManifest({ count: 1 }));
    const r = await runRender(['job.yaml', '--emulate', '--poll-interval', '0.2', '--no-progress'], { cwd: dir, env: {} });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('local emulator');
    expect(r.stdout).toContain('batch: 1 done of 1');
  });
});
