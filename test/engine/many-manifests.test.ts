/**
 * `render a.yaml b.yaml` end to end against the emulator: one schedule for both manifests
 * (server-observed: b's jobs are created while a's are still rendering), each with its own
 * folder, manifest.json and summary line, limits held, and lines that name the manifest.
 */
import { describe, expect, it } from 'vitest';
import { createdPosts, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest } from './support/harness.js';

describe('several manifests in one command', () => {
  it('runs them on one schedule, each in its own folder with its own summary', async () => {
    await withEmulator({ jobDurationMs: { min: 1500, max: 1500 }, maxVideoFrames: 6 }, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ name: 'a', count: 2, prompt: 'first' }), 'a.yaml');
      await writeManifest(dir, wanManifest({ name: 'b', count: 2, prompt: 'second' }), 'b.yaml');
      const r = await runRender(['a.yaml', 'b.yaml', '--concurrency', '4', '--poll-interval', '0.1'], { cwd: dir, env: emu.env });
      expect(r.code).toBe(0);
      const posts = createdPosts(emu.log);
      // All four at once (they reach the server in any order), b's created before any of a's
      // videos was fetched: not one manifest after the other.
      expect(posts.map((p) => (p.body as { prompt: string }).prompt).sort()).toEqual(['first', 'first', 'second', 'second']);
      const firstVideo = Math.min(...emu.log.filter((x) => x.provider === 'media').map((x) => x.atMs));
      expect(Math.max(...posts.map((p) => p.atMs))).toBeLessThan(firstVideo);
      expect(emu.peakInFlight().total).toBeLessThanOrEqual(4);
      for (const name of ['a', 'b']) {
        const m = await readOutputManifest(dir, name);
        expect(m.name).toBe(name);
        expect(m.renders.map((x) => x.status)).toEqual(['succeeded', 'succeeded']);
        expect(r.stdout).toContain(`${name}: 2 done of 2\n`);
      }
      // Off a terminal, each line names the render with its manifest.
      expect(r.stderr).toMatch(/ a\/wan\.seed-1 submitted /);
      expect(r.stderr).toMatch(/ b\/wan\.seed-2 done: /);
    });
  });

  it("holds each manifest to its own concurrency when --concurrency is not given", async () => {
    await withEmulator({ jobDurationMs: { min: 600, max: 600 }, maxVideoFrames: 6 }, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ name: 'a', count: 3, prompt: 'first', concurrency: 1 }), 'a.yaml');
      await writeManifest(dir, wanManifest({ name: 'b', count: 3, prompt: 'second', concurrency: 2 }), 'b.yaml');
      const r = await runRender(['a.yaml', 'b.yaml', '--poll-interval', '0.1', '--no-progress'], { cwd: dir, env: emu.env });
      expect(r.code).toBe(0);
      // Server-observed: never more than the larger manifest's 2 in flight in all.
      expect(emu.peakInFlight().total).toBeLessThanOrEqual(2);
      const posts = createdPosts(emu.log).map((p) => (p.body as { prompt: string }).prompt);
      // a's single slot did not hold b back: b's first job went out with a's first.
      expect(posts.slice(0, 2).sort()).toEqual(['first', 'second']);
    });
  });
});
