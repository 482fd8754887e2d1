/**
 * `render plan` after real runs against the emulator: its STATE column and --json states are
 * what the next `render run` does with each render (skip, resume, hold, resubmit, submit).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanRow } from '../../src/manifest/plan/plan-rows.js';
import { runCli } from '../support/run-cli.js';
import { allPosts, createdPosts, FAST_JOBS, runRender, wanManifest, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

const FAST = ['--poll-interval', '0.05', '--no-progress'];

/** render id → state, from `render plan --json`. */
async function planStates(dir: string, args: string[] = []): Promise<Record<string, string | undefined>> {
  const r = await runCli(['plan', 'job.yaml', '--json', ...args], dir);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as { renders: PlanRow[] };
  return Object.fromEntries(plan.renders.map((row) => [row.id, row.state]));
}

/** render id → the STATE column of the text table. */
async function planColumn(dir: string, args: string[] = []): Promise<string> {
  const r = await runCli(['plan', 'job.yaml', ...args], dir);
  expect(r.code).toBe(0);
  return r.stdout;
}

const DRAWN = ['  - id: drawn', '    provider: aimlapi', '    model: krea/krea-wan-14b/text-to-video', '    prompt: "a quiet lake"',
  '    params: { num_frames: 18, enable_prompt_expansion: false }', '    seeds: { count: 2 }'].join('\n');

describe('render plan after a run', () => {
  it('says new before any run, done after a full one (drawn seeds included), and reads --out', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 3, extraShots: DRAWN }));
      const ids = ['wan.seed-1', 'wan.seed-2', 'wan.seed-3', 'drawn.draw-1', 'drawn.draw-2'];
      expect(await planStates(dir)).toEqual(Object.fromEntries(ids.map((id) => [id, 'new'])));
      expect(await planColumn(dir)).not.toContain('STATE');

      expect((await runRender(['job.yaml', ...FAST, '--out', 'elsewhere'], { cwd: dir, env: emu.env })).code).toBe(0);
      expect(await planStates(dir, ['--out', 'elsewhere'])).toEqual(Object.fromEntries(ids.map((id) => [id, 'done'])));
      expect(Object.values(await planStates(dir))).toEqual(Array(5).fill('new'));
      const text = await planColumn(dir, ['--out', 'elsewhere']);
      expect(text).toMatch(/^ID +PROVIDER +MODEL +SEED +STATE +PRICE +VARYING$/m);
      expect(text).toMatch(/^wan\.seed-2 +aimlapi +krea\/krea-wan-14b\/text-to-video +2 +done +(?:~?[\d,]+ credits|unknown)$/m);
      expect(text).toMatch(/^ {2}done +5 {2}skipped/m);

      // A video gone from disk is fetched again from the job already paid for.
      await rm(join(dir, 'elsewhere', 'batch', 'wan.seed-3.mp4'));
      expect((await planStates(dir, ['--out', 'elsewhere']))['wan.seed-3']).toBe('in_flight');
      const mark = emu.log.length;
      expect((await runRender(['job.yaml', ...FAST, '--out', 'elsewhere'], { cwd: dir, env: emu.env })).code).toBe(0);
      expect(allPosts(emu.log, mark)).toEqual([]);
      expect(Object.values(await planStates(dir, ['--out', 'elsewhere']))).toEqual(Array(5).fill('done'));
    });
  });

  it('marks the failed render for retry and the rest done; a changed param makes renders new again', async () => {
    await withEmulator({ ...FAST_JOBS, faults: { aimlapi: { failJob: { reason: 'content policy violation', promptIncludes: 'doomed' } } } }, async (emu) => {
      const dir = await workspace();
      const doomed = ['  - id: doomed', '    provider: aimlapi', '    model: krea/krea-wan-14b/text-to-video', '    prompt: "a doomed ship"',
        '    params: { num_frames: 18, enable_prompt_expansion: false }', '    seed: 77'].join('\n');
      const text = wanManifest({ count: 2, extraShots: doomed });
      await writeManifest(dir, text);
      expect((await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env })).code).toBe(1);
      expect(await planStates(dir)).toEqual({ 'wan.seed-1': 'done', 'wan.seed-2': 'done', 'doomed.seed-77': 'failed' });
      const table = await planColumn(dir);
      expect(table).toMatch(/^doomed\.seed-77 +aimlapi +\S+ +77 +failed +(?:~?[\d,]+ credits|unknown)$/m);
      expect(table).toMatch(/^ {2}done +2 {2}skipped.*\n {2}failed +1 {2}submitted again/m);

      // The first `num_frames: 18` is the wan shot's.
      await writeFile(join(dir, 'job.yaml'), text.replace('num_frames: 18', 'num_frames: 30'));
      expect(await planStates(dir)).toEqual({ 'wan.seed-1': 'new', 'wan.seed-2': 'new', 'doomed.seed-77': 'failed' });
      await writeFile(join(dir, 'job.yaml'), text.replace('a doomed ship', 'a doomed boat'));
      expect(await planStates(dir)).toEqual({ 'wan.seed-1': 'done', 'wan.seed-2': 'done', 'doomed.seed-77': 'new' });
    });
  });

  it('marks a submit whose answer was lost as indeterminate, which a run leaves alone', async () => {
    await withEmulator({ ...FAST_JOBS, faults: { aimlapi: { submitResetAfterAccept: { count: 1 } } } }, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 2, concurrency: 1 }));
      expect((await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env })).code).toBe(1);
      expect(await planStates(dir)).toEqual({ 'wan.seed-1': 'indeterminate', 'wan.seed-2': 'done' });
      expect(await planColumn(dir)).toMatch(/^wan\.seed-1 +aimlapi +\S+ +1 +indeterminate +(?:~?[\d,]+ credits|unknown)$/m);
      const mark = emu.log.length;
      await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env });
      expect(createdPosts(emu.log, mark)).toEqual([]);
    });
  });
});
