/** Folders, globs render expands itself, and "did you mean" for a missing manifest, for run, validate and plan. */
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const manifest = (name: string): string => `version: 1\nname: ${name}\nshots: [{ id: a, prompt: p, model: wan-t2v, seed: 1 }]\n`;

function jobsDir(): string {
  return tempDir({
    'jobs/b.yaml': manifest('b'),
    'jobs/a.yml': manifest('a'),
    'jobs/notes.txt': 'not a manifest',
    'jobs/.hidden.yaml': manifest('hidden'),
    'jobs/deep/c.yaml': manifest('c'),
    'jobs/deep/deeper/d.yaml': manifest('d'),
  });
}

const okLines = (stdout: string): string[] => stdout.trim().split('\n').map((l) => l.replace(/: OK.*/, ''));

describe('manifest arguments', () => {
  it('a folder means every .yaml and .yml directly in it, sorted', async () => {
    const dir = jobsDir();
    const r = await runCli(['validate', 'jobs'], dir);
    expect(r.stderr).toBe('');
    expect(okLines(r.stdout)).toEqual(['jobs/a.yml', 'jobs/b.yaml']);
    expect(r.code).toBe(0);
  });

  it('a quoted glob is expanded by render, ** at any depth', async () => {
    const dir = jobsDir();
    expect(okLines((await runCli(['validate', 'jobs/*.yaml'], dir)).stdout)).toEqual(['jobs/b.yaml']);
    expect(okLines((await runCli(['validate', 'jobs/**/*.yaml'], dir)).stdout)).toEqual(['jobs/b.yaml', 'jobs/deep/c.yaml', 'jobs/deep/deeper/d.yaml']);
    expect(okLines((await runCli(['validate', 'jobs/?.y*ml'], dir)).stdout)).toEqual(['jobs/a.yml', 'jobs/b.yaml']);
    expect(okLines((await runCli(['validate', 'jobs/[a]*'], dir)).stdout)).toEqual(['jobs/a.yml']);
  });

  it('plan takes a folder, and a file named twice (by the folder too) is loaded once', async () => {
    const dir = jobsDir();
    const r = await runCli(['plan', 'jobs', 'jobs/a.yml', '--json'], dir);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { manifests: { name: string; file: string }[] };
    expect(plan.manifests.map((m) => m.file)).toEqual(['jobs/a.yml', 'jobs/b.yaml']);
  });

  it('a missing file gets a "did you mean" among its neighbours', async () => {
    const dir = tempDir({ 'jobs/storyboard.yaml': manifest('s'), 'jobs/seed-sweep.yaml': manifest('t') });
    for (const command of ['validate', 'plan', 'run']) {
      const r = await runCli([command, 'jobs/storybord.yaml'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe('jobs/storybord.yaml:1:1: no such file; did you mean "jobs/storyboard.yaml"?');
      expect(r.stderr).toContain('nothing was submitted');
    }
    const far = await runCli(['validate', 'jobs/completely-else.yaml'], dir);
    expect(far.stderr.split('\n')[0]).toBe('jobs/completely-else.yaml:1:1: no such file');
  });

  it('a glob that matches nothing and a folder with no manifest are problems that say so', async () => {
    const dir = tempDir({ 'empty/readme.txt': 'x', 'jobs/a.yaml': manifest('a') });
    const r = await runCli(['validate', 'jobs/*.yml', 'empty'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'empty:1:1: is a folder with no .yaml or .yml file in it: give a manifest file, or a folder that holds some',
      'jobs/*.yml:1:1: no file matches this pattern',
    ]);
  });

  it('run expands a glob too (and, with no key, stops before sending anything)', async () => {
    const dir = jobsDir();
    const r = await runCli(['run', 'jobs/*.y*ml', '--no-progress'], dir);
    // Loaded, then stopped for the missing key: a glob left unexpanded would be "no such file".
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NOVITA_API_KEY');
    expect(r.stderr).not.toContain('no such file');
  });
});
