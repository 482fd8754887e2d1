/**
 * `render plan` prices: documented (Kling 2.5 on Krea), learned from the credits an earlier
 * emulated run recorded (AI/ML API), unknown (Novita); totals of what a run would submit, the
 * same in --json; budgets in the manifest and with --budget, refused over budget (exit 2).
 */
import { describe, expect, it } from 'vitest';
import type { PlanRow, PlanTotals } from '../../src/manifest/plan/plan-rows.js';
import { AIML_MODELS } from '../../src/emulator/aimlapi-models.js';
import { runCli } from '../support/run-cli.js';
import { FAST_JOBS, readOutputManifest, runRender, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

const FAST = ['--poll-interval', '0.05', '--no-progress'];
/** What the emulator reports for an 18-frame krea-wan text-to-video render. */
const WAN_18 = AIML_MODELS['krea/krea-wan-14b/text-to-video']?.credits({ num_frames: 18 }) ?? NaN;

function klingManifest(o: { providers?: string } = {}): string {
  return [
    'version: 1',
    'name: board',
    ...(o.providers ? [`providers: ${o.providers}`] : []),
    'shots:',
    '  - id: eagle',
    '    model: kling/kling-2.5',
    '    prompt: "an eagle over snow"',
    '    params: { duration: 5 }',
    '    repeat: 3',
    '  - id: long',
    '    model: kling/kling-2.5',
    '    prompt: "a long eagle"',
    '    params: { duration: 10 }',
    '  - id: city',
    '    model: wan-t2v',
    '    prompt: "a neon city"',
    '    seeds: [1, 2]',
    '',
  ].join('\n');
}

interface PlanJson {
  renders: PlanRow[];
  totals: PlanTotals;
  budgets: Record<string, number>;
  over_budget: string[];
}

async function planJson(dir: string, args: string[] = []): Promise<PlanJson> {
  const r = await runCli(['plan', 'job.yaml', '--json', ...args], dir);
  return JSON.parse(r.stdout) as PlanJson;
}

describe('render plan prices', () => {
  it('shows documented Kling prices (5 s and 10 s), Novita as unknown, and totals with unit and source', async () => {
    const dir = await workspace();
    await writeManifest(dir, klingManifest());
    const r = await runCli(['plan', 'job.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID +PROVIDER +MODEL +SEED +PRICE +VARYING$/m);
    expect(r.stdout).toMatch(/^eagle\.take-3 +krea +kling\/kling-2\.5 +— +200 compute units$/m);
    expect(r.stdout).toMatch(/^long\.take-1 +krea +kling\/kling-2\.5 +— +401 compute units$/m);
    expect(r.stdout).toMatch(/^city\.seed-2 +novita +wan-t2v +2 +unknown$/m);
    expect(r.stdout).toContain('cost of the 6 renders a run would submit:');
    expect(r.stdout).toMatch(/^ {2}krea +1,001 compute units +4 documented \(documented by Krea: 200 for 5 s, 401 for 10 s\)$/m);
    expect(r.stdout).toMatch(/^ {2}novita +unknown +2 unknown \(Novita documents no price\)$/m);

    const plan = await planJson(dir);
    expect(plan.renders.find((x) => x.id === 'long.take-1')?.price).toEqual({ amount: 401, unit: 'compute units', source: 'documented', note: 'documented by Krea: 200 for 5 s, 401 for 10 s' });
    expect(plan.renders.find((x) => x.id === 'city.seed-1')?.price).toMatchObject({ amount: null, unit: null, source: 'unknown' });
    expect(plan.totals.cost).toEqual([
      { provider: 'krea', unit: 'compute units', renders: 4, amount: 1001, unknown: 0, sources: { documented: 4 } },
      { provider: 'novita', unit: null, renders: 2, amount: 0, unknown: 2, sources: { unknown: 2 } },
    ]);
  });

  it('learns AI/ML API prices from the credits an earlier run recorded, by params, else by model only, and counts only what a run would submit', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const shot = (frames: number, seeds: string): string[] => [
        `  - id: wan${frames}`, '    model: krea/krea-wan-14b/text-to-video', '    prompt: "a lighthouse"',
        `    params: { num_frames: ${frames}, enable_prompt_expansion: false }`, `    seeds: ${seeds}`,
      ];
      await writeManifest(dir, ['version: 1', 'name: batch', 'shots:', ...shot(18, '[1, 2]'), ''].join('\n'));
      expect((await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const recorded = (await readOutputManifest(dir)).renders.map((x) => x.provider_metadata.credits_used);
      expect(recorded).toEqual([WAN_18, WAN_18]);

      await writeManifest(dir, ['version: 1', 'name: batch', 'shots:', ...shot(18, '[1, 2, 3, 4]'), ...shot(30, '[5]'), ''].join('\n'));
      const plan = await planJson(dir);
      const price = Object.fromEntries(plan.renders.map((x) => [x.id, x.price]));
      expect(price['wan18.seed-3']).toEqual({ amount: WAN_18, unit: 'credits', source: 'learned', learned_from: 2, match: 'params', note: 'learned from 2 renders' });
      expect(price['wan30.seed-5']).toMatchObject({ amount: WAN_18, source: 'learned', match: 'model' });
      expect(price['wan30.seed-5']?.note).toContain('(model only)');
      // Seeds 1 and 2 are done: only the three new renders count.
      expect(plan.totals.cost).toEqual([{ provider: 'aimlapi', unit: 'credits', renders: 3, amount: 3 * WAN_18, unknown: 0, sources: { learned: 3 } }]);

      const text = (await runCli(['plan', 'job.yaml'], dir)).stdout;
      const n = WAN_18.toLocaleString('en-US');
      expect(text).toMatch(new RegExp(`^wan18\\.seed-1 +aimlapi +\\S+ +1 +done +${n} credits$`, 'm'));
      expect(text).toMatch(new RegExp(`^wan30\\.seed-5 +aimlapi +\\S+ +5 +new +~${n} credits$`, 'm'));
      expect(text).toContain(`  aimlapi  ${(3 * WAN_18).toLocaleString('en-US')} credits  3 learned (from the credits earlier renders recorded, up to 2 per price; 1 by model only, marked ~)`);
    });
  });

  it('learns from earlier takes too: a render whose params changed keeps what its first take cost', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const manifest = (frames: number, seeds: string): string => ['version: 1', 'name: batch', 'shots:', '  - id: wan', '    model: krea/krea-wan-14b/text-to-video',
        '    prompt: "a lighthouse"', `    params: { num_frames: ${frames}, enable_prompt_expansion: false }`, `    seeds: ${seeds}`, ''].join('\n');
      await writeManifest(dir, manifest(18, '[1]'));
      expect((await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      await writeManifest(dir, manifest(30, '[1]'));
      expect((await runRender(['job.yaml', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const [record] = (await readOutputManifest(dir)).renders;
      expect(record?.takes?.map((t) => t.cost)).toEqual([{ model: 'krea/krea-wan-14b/text-to-video', params: { enable_prompt_expansion: false, num_frames: 18 }, credits_used: WAN_18 }]);

      await writeManifest(dir, manifest(18, '[1, 2]'));
      const plan = await planJson(dir);
      expect(plan.renders.find((x) => x.id === 'wan.seed-2')?.price).toMatchObject({ amount: WAN_18, source: 'learned', match: 'params', learned_from: 1 });
    });
  });

  it('refuses a plan over its budget with exit 2 and by how much; the flag wins over the manifest', async () => {
    const dir = await workspace();
    await writeManifest(dir, klingManifest({ providers: '{ krea: { budget: 800 } }' }));
    const over = await runCli(['plan', 'job.yaml'], dir);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('render plan: krea: the plan costs 1,001 compute units, 201 over the budget of 800; raise --budget krea=… or render fewer takes');
    expect(over.stdout).toContain('  budget krea: 800 compute units (201 over)');

    const json = await runCli(['plan', 'job.yaml', '--json', '--budget', 'krea=900'], dir);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as PlanJson).over_budget).toEqual(['krea: the plan costs 1,001 compute units, 101 over the budget of 900; raise --budget krea=… or render fewer takes']);

    const raised = await runCli(['plan', 'job.yaml', '--budget', 'krea=1,001'], dir);
    expect(raised.code).toBe(0);
    expect(raised.stdout).toContain('  budget krea: 1,001 compute units (0 left)');
    expect(raised.stderr).toBe('');
  });

  it('refuses a budget on Novita, which documents no price, in the manifest (with its position) and as a flag', async () => {
    const dir = await workspace();
    await writeManifest(dir, klingManifest({ providers: '{ novita: { budget: 5 } }' }));
    const manifest = await runCli(['plan', 'job.yaml'], dir);
    expect(manifest.code).toBe(2);
    expect(manifest.stderr).toMatch(/^job\.yaml:3:24: novita documents no price, so render cannot keep a budget on it: remove budget/m);

    await writeManifest(dir, klingManifest());
    const flag = await runCli(['plan', 'job.yaml', '--budget', 'novita=5'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--budget novita=5: novita documents no price, so render cannot keep a budget on it');
    for (const bad of ['krea', 'krea=-1', 'krea=lots', 'replicate=5']) {
      const r = await runCli(['plan', 'job.yaml', '--budget', bad], dir);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain('--budget');
    }
  });

  it('warns that a budget cannot be fully checked when some prices are unknown', async () => {
    const dir = await workspace();
    await writeManifest(dir, ['version: 1', 'name: batch', 'shots:', '  - id: a', '    model: pixverse/v5/text-to-video', '    prompt: "p"', '    seed: 1', ''].join('\n'));
    const r = await runCli(['plan', 'job.yaml', '--budget', 'aimlapi=1000000'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('render plan: warning: aimlapi: 1 render of unknown price, so the budget of 1,000,000 credits cannot be fully checked before the run');
    expect(r.stdout).toContain('  budget aimlapi: 1,000,000 credits (1,000,000 left, 1 of unknown price not counted)');
  });
});
