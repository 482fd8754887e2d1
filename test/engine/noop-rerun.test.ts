/**
 * A rerun with nothing to do submits nothing and leaves manifest.json as the run that rendered
 * wrote it: its started_at/ended_at and every record's timings are not overwritten.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allPosts, FAST_JOBS, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest } from './support/harness.js';

const ARGS = ['--poll-interval', '0.05', '--no-progress'];

describe('a rerun with nothing to do', () => {
  it('keeps the recorded times of the run that rendered, byte for byte', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 3 }));
      expect((await runRender([file, ...ARGS], { cwd: dir, env: emu.env })).code).toBe(0);
      const path = join(dir, 'output', 'batch', 'manifest.json');
      const rendered = await readFile(path, 'utf8');
      const before = await readOutputManifest(dir);
      expect(before.ended_at).not.toBeNull();
      const posts = allPosts(emu.log).length;

      // The first run took hundreds of milliseconds: new times could not match the recorded ones.
      const again = await runRender([file, ...ARGS], { cwd: dir, env: emu.env });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('3 already done (skipped)');
      expect(allPosts(emu.log)).toHaveLength(posts);
      expect(await readFile(path, 'utf8')).toBe(rendered);

      // Also when the journal is gone and the records alone say what was done.
      await rm(join(dir, 'output', 'batch', '.render', 'journal.jsonl'));
      expect((await runRender([file, ...ARGS], { cwd: dir, env: emu.env })).code).toBe(0);
      const after = await readOutputManifest(dir);
      expect(after.started_at).toBe(before.started_at);
      expect(after.ended_at).toBe(before.ended_at);
      expect(after.renders.map((r) => r.timings)).toEqual(before.renders.map((r) => r.timings));
      expect(allPosts(emu.log)).toHaveLength(posts);
    });
  });

  it('a rerun that does something (a new render) records its own times', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 1 }));
      expect((await runRender([file, ...ARGS], { cwd: dir, env: emu.env })).code).toBe(0);
      const before = await readOutputManifest(dir);
      await writeManifest(dir, wanManifest({ count: 2 }));
      expect((await runRender([file, ...ARGS], { cwd: dir, env: emu.env })).code).toBe(0);
      const after = await readOutputManifest(dir);
      expect(Date.parse(after.started_at)).toBeGreaterThanOrEqual(Date.parse(before.ended_at ?? ''));
      // The render done before keeps its own timings.
      expect(after.renders.find((r) => r.id === before.renders[0]?.id)?.timings).toEqual(before.renders[0]?.timings);
    });
  });
});
