/**
 * `render cancel` after real runs against the emulator: one DELETE per live Krea job, the
 * journal and manifest.json say cancelled, AI/ML API jobs are listed as not cancellable, and a
 * folder whose run is still going is refused.
 */
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/store/journal-read.js';
import type { PlanRow } from '../../src/manifest/plan/plan-rows.js';
import type { Emulator, LoggedRequest } from '../../src/emulator/types.js';
import { runCli } from '../support/run-cli.js';
import { createdPosts, readOutputManifest, runRender, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

const MANIFEST = [
  'version: 1',
  'name: batch',
  'shots:',
  '  - id: eagle',
  '    provider: krea',
  '    model: kling/kling-2.5',
  '    prompt: "an eagle over snow"',
  '    params: { duration: 5 }',
  '    repeat: 2',
  '  - id: wan',
  '    provider: aimlapi',
  '    model: krea/krea-wan-14b/text-to-video',
  '    prompt: "a lighthouse in a storm"',
  '    params: { num_frames: 18, enable_prompt_expansion: false }',
  '    seed: 1',
  '',
].join('\n');
const RUN = ['job.yaml', '--poll-interval', '0.05', '--no-progress'];
/** Jobs that stay queued or running for the whole test. */
const SLOW_JOBS = { jobDurationMs: 120_000, maxVideoFrames: 18 };

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

const journalPath = (dir: string): string => join(dir, 'output', 'batch', '.render', 'journal.jsonl');
const deletes = (log: readonly LoggedRequest[]): LoggedRequest[] => log.filter((r) => r.method === 'DELETE');

/** Runs job.yaml until all three jobs are accepted, then stops it as Ctrl-C would. */
async function interruptedRun(emu: Emulator, dir: string): Promise<void> {
  const stop = new AbortController();
  const run = runRender(RUN, { cwd: dir, env: emu.env, signal: stop.signal });
  await until(() => createdPosts(emu.log).length === 3);
  stop.abort();
  expect((await run).code).toBe(130);
}

describe('render cancel', () => {
  it('cancels the live Krea jobs once each, records them as cancelled, and lists the AI/ML API one as not cancellable', async () => {
    await withEmulator(SLOW_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, MANIFEST);
      await interruptedRun(emu, dir);
      const before = await readOutputManifest(dir);
      const job = Object.fromEntries(before.renders.map((r) => [r.id, r.job_id!]));

      const r = await runCli(['cancel', 'output/batch'], dir, emu.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n').sort()).toEqual([
        '',
        `cancelled        eagle.take-1 (krea job ${job['eagle.take-1']})`,
        `cancelled        eagle.take-2 (krea job ${job['eagle.take-2']})`,
        `not cancellable  wan.seed-1 (aimlapi job ${job['wan.seed-1']}): AI/ML API cannot cancel a job; stop it on its dashboard if you need to`,
        'render cancel: 3 live jobs: 2 cancelled, 1 not cancellable, 0 failed; the next run submits the cancelled renders again',
      ].sort());
      expect(deletes(emu.log).map((d) => [d.provider, d.path, d.status]).sort()).toEqual([
        ['krea', `/jobs/${job['eagle.take-1']}`, 200],
        ['krea', `/jobs/${job['eagle.take-2']}`, 200],
      ].sort());

      const journal = (await readJournal(join(dir, 'output', 'batch', '.render', 'journal.jsonl'))).states;
      expect([journal.get('eagle.take-1')?.phase, journal.get('eagle.take-2')?.phase, journal.get('wan.seed-1')?.phase]).toEqual(['cancelled', 'cancelled', 'submitted']);
      const after = await readOutputManifest(dir);
      expect(Object.fromEntries(after.renders.map((x) => [x.id, x.status]))).toEqual({ 'eagle.take-1': 'cancelled', 'eagle.take-2': 'cancelled', 'wan.seed-1': 'queued' });
      const schema = JSON.parse(await readFile(new URL('../../schemas/render-manifest.schema.json', import.meta.url), 'utf8')) as object;
      const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
      addFormats.default(ajv);
      const validate = ajv.compile(schema);
      expect(validate(after), JSON.stringify(validate.errors)).toBe(true);
      expect(await readFile(join(dir, 'output', 'batch', 'index.html'), 'utf8')).toContain('>2 cancelled</li>');

      // What the next run does: submit the cancelled renders again, resume the live one.
      const plan = await runCli(['plan', 'job.yaml', '--json'], dir);
      const states = Object.fromEntries((JSON.parse(plan.stdout) as { renders: PlanRow[] }).renders.map((row) => [row.id, row.state]));
      expect(states).toEqual({ 'eagle.take-1': 'failed', 'eagle.take-2': 'failed', 'wan.seed-1': 'in_flight' });
      // manifest.json alone says the same.
      const journalCopy = await readFile(journalPath(dir));
      await rm(journalPath(dir));
      const fromRecords = await runCli(['plan', 'job.yaml', '--json'], dir);
      expect((JSON.parse(fromRecords.stdout) as { renders: PlanRow[] }).renders.map((row) => row.state)).toEqual(['failed', 'failed', 'in_flight']);
      await writeFile(journalPath(dir), journalCopy);

      // Nothing Krea left to cancel: no second DELETE.
      const again = await runCli(['cancel', 'output/batch', '--only', 'eagle.*'], dir, emu.env);
      expect([again.code, again.stdout]).toEqual([0, 'render cancel: no job of output/batch matching --only is queued or running at a provider; nothing to cancel\n']);
      expect(deletes(emu.log)).toHaveLength(2);
    });
  });

  it('cancels a timed-out job, and says so when Krea refuses a cancel', async () => {
    await withEmulator(SLOW_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, MANIFEST);
      const timedOut = await runRender([...RUN, '--only', 'eagle.*', '--timeout', '1'], { cwd: dir, env: emu.env });
      expect(timedOut.code).toBe(1);
      const m = await readOutputManifest(dir);
      expect(m.renders.filter((x) => x.id.startsWith('eagle')).map((x) => x.status)).toEqual(['timed_out', 'timed_out']);
      const [one, two] = m.renders.filter((x) => x.id.startsWith('eagle'));

      // take-2's journal now points at a job Krea does not know.
      const journalPath = join(dir, 'output', 'batch', '.render', 'journal.jsonl');
      await appendFile(journalPath, `${JSON.stringify({ phase: 'timed_out', id: two!.id, request_sha256: two!.request_sha256, at: new Date().toISOString(), job_id: 'no-such-job' })}\n`);
      const r = await runCli(['cancel', 'output/batch'], dir, emu.env);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`cancelled        eagle.take-1 (krea job ${one!.job_id})\n`);
      expect(r.stdout).toContain('cancel failed    eagle.take-2 (krea job no-such-job): krea cancel: HTTP 404: Job not found\n');
      expect(r.stdout).toContain('render cancel: 2 live jobs: 1 cancelled, 0 not cancellable, 1 failed');
      expect(deletes(emu.log).map((d) => [d.path, d.status])).toEqual(expect.arrayContaining([[`/jobs/${one!.job_id}`, 200], ['/jobs/no-such-job', 404]]));
      const journal = (await readJournal(journalPath)).states;
      expect([journal.get('eagle.take-1')?.phase, journal.get('eagle.take-2')?.phase]).toEqual(['cancelled', 'timed_out']);
      expect((await readOutputManifest(dir)).renders.filter((x) => x.id.startsWith('eagle')).map((x) => x.status)).toEqual(['cancelled', 'timed_out']);
    });
  });

  it('refuses a folder whose run is still going (exit 2, nothing sent), and a folder with no run', async () => {
    await withEmulator(SLOW_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, MANIFEST);
      const stop = new AbortController();
      const run = runRender(RUN, { cwd: dir, env: emu.env, signal: stop.signal });
      try {
        await until(() => createdPosts(emu.log).length === 3);
        const r = await runCli(['cancel', 'output/batch'], dir, emu.env);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`render: output/batch is in use by another render run (pid ${process.pid} on host `);
        expect(r.stdout).toBe('');
        expect(deletes(emu.log)).toHaveLength(0);
      } finally {
        stop.abort();
        await run;
      }
      const none = await runCli(['cancel', 'output/nothing'], dir, emu.env);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('render cancel: output/nothing holds no render run');
    });
  });
});
