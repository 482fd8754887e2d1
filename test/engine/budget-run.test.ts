/**
 * Budgets during `render run` against the emulator: a run whose known cost is over the budget
 * submits nothing (exit 2); a run whose prices are not known yet stops submitting where the
 * credits reported reach the budget (exit 1, the rest pending), and a rerun with a bigger budget
 * submits the rest, each once. The summary says what was spent.
 */
import { describe, expect, it } from 'vitest';
import { AIML_MODELS } from '../../src/emulator/aimlapi-models.js';
import { createdPosts, createsPerRender, FAST_JOBS, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest } from './support/harness.js';

const FAST = ['--poll-interval', '0.05', '--no-progress'];
/** What the emulator reports for an 18-frame krea-wan text-to-video render. */
const WAN_18 = AIML_MODELS['krea/krea-wan-14b/text-to-video']?.credits({ num_frames: 18 }) ?? NaN;
const fmt = (n: number): string => n.toLocaleString('en-US');

describe('render run within a budget', () => {
  it('stops submitting where the reported credits reach the budget, and a rerun with a bigger budget submits the rest once', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 5, concurrency: 4 }));
      const budget = Math.floor(2.5 * WAN_18);
      const first = await runRender(['job.yaml', ...FAST, '--budget', `aimlapi=${budget}`], { cwd: dir, env: emu.env });
      expect(first.code).toBe(1);
      // Two renders fit the budget: the POSTs the provider received are exactly those.
      expect(createdPosts(emu.log)).toHaveLength(2);
      expect(first.stderr).toContain('warning: aimlapi: 5 renders of unknown price, so the budget of');
      expect(first.stderr).toContain(
        `aimlapi: the next render, wan.seed-3 (${fmt(WAN_18)} credits), would take spending to ${fmt(3 * WAN_18)} credits, over the budget of ${fmt(budget)}; raise --budget aimlapi=… to render the rest`,
      );
      expect(first.stdout).toContain('batch: 2 done, 3 not submitted of 5');
      expect(first.stdout).toContain(`spent: aimlapi ${fmt(2 * WAN_18)} credits (2 jobs)`);
      const statuses = (await readOutputManifest(dir)).renders.map((r) => [r.id, r.status, r.job_id === null]);
      expect(statuses).toEqual([
        ['wan.seed-1', 'succeeded', false], ['wan.seed-2', 'succeeded', false],
        ['wan.seed-3', 'pending', true], ['wan.seed-4', 'pending', true], ['wan.seed-5', 'pending', true],
      ]);

      const mark = emu.log.length;
      const second = await runRender(['job.yaml', ...FAST, '--budget', `aimlapi=${3 * WAN_18}`], { cwd: dir, env: emu.env });
      expect(second.code).toBe(0);
      expect(second.stderr).not.toContain('unknown price');
      expect(createdPosts(emu.log, mark)).toHaveLength(3);
      expect([...createsPerRender(emu.log).values()]).toEqual([1, 1, 1, 1, 1]);
      expect(second.stdout).toContain(`spent: aimlapi ${fmt(3 * WAN_18)} credits (3 jobs)`);
    });
  });

  it('refuses a run whose known cost is over the budget before anything is submitted (exit 2)', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const kling = ['  - id: eagle', '    model: kling/kling-2.5', '    prompt: "an eagle"', '    params: { duration: 5 }', '    repeat: 3'].join('\n');
      await writeManifest(dir, ['version: 1', 'name: batch', 'providers: { krea: { budget: 500 } }', 'shots:', kling, ''].join('\n'));
      const over = await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env });
      expect(over.code).toBe(2);
      expect(over.stderr).toContain('render: krea: the plan costs 600 compute units, 100 over the budget of 500; raise --budget krea=… or render fewer takes');
      expect(over.stderr).toContain('nothing was submitted');
      expect(createdPosts(emu.log)).toHaveLength(0);

      const ok = await runRender(['job.yaml', ...FAST, '--budget', 'krea=600'], { cwd: dir, env: emu.env });
      expect(ok.code).toBe(0);
      expect(createdPosts(emu.log)).toHaveLength(3);
      expect(ok.stdout).toContain('spent: krea 600 compute units (3 jobs)');

      // Done renders cost nothing more: the same budget of 500 now passes with nothing to submit.
      const again = await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env });
      expect(again.code).toBe(0);
      expect(createdPosts(emu.log)).toHaveLength(3);
    });
  });
});
