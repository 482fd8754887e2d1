/**
 * The `--emulate` guarantee with render as a real child process: Ctrl-C while jobs are in
 * flight, then the same command again, resumes the same jobs from the emulator's state in
 * `<out>/.emulator/`: nothing is submitted twice and every video arrives intact.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RenderManifestFile } from '../../src/core/records.js';

const bin = new URL('../../bin/render.js', import.meta.url).pathname;
const ARGS = ['--emulate', 'job.yaml', '--no-progress', '--json'];
/** Bounds the wait for the first job id in the journal; the run itself takes a few seconds. */
const JOB_ID_WAIT_MS = 30_000;
const POLL_MS = 20;

const MANIFEST = [
  'version: 1',
  'name: resume',
  'concurrency: 2',
  'shots:',
  '  - id: wan',
  '    provider: aimlapi',
  '    model: krea/krea-wan-14b/text-to-video',
  '    prompt: "a lighthouse in a storm"',
  '    params: { num_frames: 18, enable_prompt_expansion: false }',
  '    seeds: [1, 2, 3]',
  '  - id: city',
  '    provider: novita',
  '    model: wan-t2v',
  '    prompt: "a neon street in the rain"',
  '    params: { steps: 4, fast_mode: true }',
  '    seed: 100',
  '',
].join('\n');
const RENDERS = 4;

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Submitted {
  event: 'submitted';
  id: string;
  job_id: string;
  resumed: boolean;
}

/** Runs render in `cwd` with no keys in its environment; `stopWhen` (polled) decides when to send SIGINT. */
function runRender(cwd: string, stopWhen?: () => Promise<boolean>): Promise<ChildResult & { interrupted: boolean }> {
  const child = spawn(process.execPath, [bin, ...ARGS], { cwd, env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let interrupted = false;
  let exited = false;
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => ((exited = true), resolve(code))));
  const watch = (async () => {
    if (!stopWhen) return;
    const deadline = Date.now() + JOB_ID_WAIT_MS;
    while (!exited && Date.now() < deadline) {
      if (await stopWhen()) {
        interrupted = child.kill('SIGINT');
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (!exited) child.kill('SIGKILL');
  })();
  return Promise.all([closed, watch]).then(([code]) => ({ code, stdout, stderr, interrupted }));
}

async function journalHasJobId(dir: string): Promise<boolean> {
  const text = await readFile(join(dir, 'output', 'resume', '.render', 'journal.jsonl'), 'utf8').catch(() => '');
  return /"job_id":"[^"]+"/.test(text);
}

function submittedEvents(stdout: string): Submitted[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { event: string })
    .filter((e): e is Submitted => e.event === 'submitted');
}

describe('render --emulate, interrupted and run again', () => {
  it('resumes the same jobs from <out>/.emulator/: each render submitted once, exit 0, every MP4 intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-emulate-resume-'));
    await writeFile(join(dir, 'job.yaml'), MANIFEST);

    const first = await runRender(dir, () => journalHasJobId(dir));
    expect(first.interrupted, first.stderr).toBe(true);
    expect(first.code, first.stderr).toBe(130);
    const firstSubmits = submittedEvents(first.stdout);
    expect(firstSubmits.length).toBeGreaterThan(0);
    expect(firstSubmits.every((e) => !e.resumed)).toBe(true);

    const second = await runRender(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/FAILED|not found/i);
    const secondSubmits = submittedEvents(second.stdout);

    // Across both runs, each render was submitted exactly once.
    const fresh = [...firstSubmits, ...secondSubmits].filter((e) => !e.resumed).map((e) => e.id);
    expect(fresh.sort()).toEqual(['city.seed-100', 'wan.seed-1', 'wan.seed-2', 'wan.seed-3']);
    // The rerun resumed, by the same job ids, the jobs the first run submitted and did not finish.
    for (const e of secondSubmits.filter((s) => s.resumed)) expect(firstSubmits.find((f) => f.id === e.id)?.job_id).toBe(e.job_id);

    const out = join(dir, 'output', 'resume');
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as RenderManifestFile;
    expect(m.renders.map((r) => r.status)).toEqual(Array(RENDERS).fill('succeeded'));
    for (const f of firstSubmits) expect(m.renders.find((r) => r.id === f.id)?.job_id).toBe(f.job_id);
    for (const r of m.renders) {
      const bytes = await readFile(join(out, r.file!));
      expect(bytes.length).toBe(r.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
    }

    // The emulator behind both runs accepted one job per render, each taking 2 to 4 s as
    // --emulate's jobs always have, and kept no key.
    const state = await readFile(join(dir, 'output', '.emulator', 'jobs.jsonl'), 'utf8');
    const jobs = state.trimEnd().split('\n').map((l) => (JSON.parse(l) as { job: { id: string; durationMs: number } }).job);
    expect(jobs.map((j) => j.id).sort()).toEqual(m.renders.map((r) => r.job_id).sort());
    for (const j of jobs) expect(j.durationMs).toBeGreaterThanOrEqual(2000);
    for (const j of jobs) expect(j.durationMs).toBeLessThanOrEqual(4000);
    expect(state).not.toContain('emulator-key');
  });
});
