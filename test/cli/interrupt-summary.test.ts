/**
 * After Ctrl-C the summary counts the jobs still at the providers, per manifest and in all: the
 * ones this run sent, and those an earlier run left there that this run resumed. Checked against
 * what the provider holds: jobs created and never downloaded.
 */
import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/emulator/types.js';
import type { RunSummary } from '../../src/present/console/summary.js';
import { createdPosts, runRender, wanManifest, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

/** Jobs that stay queued or running while the test looks. */
const SLOW_JOBS = { jobDurationMs: { min: 60_000, max: 60_000 }, maxVideoFrames: 18 };

describe('the summary after Ctrl-C', () => {
  it('counts the jobs still at the providers per manifest, resumed ones included', async () => {
    let stopWhen: ((log: readonly LoggedRequest[]) => boolean) | undefined;
    let controller = new AbortController();
    const log: LoggedRequest[] = [];
    const onRequest = (r: LoggedRequest): void => {
      log.push(r);
      if (stopWhen?.(log)) controller.abort();
    };
    await withEmulator({ ...SLOW_JOBS, onRequest }, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ name: 'a', count: 3, prompt: 'first' }), 'a.yaml');
      await writeManifest(dir, wanManifest({ name: 'b', count: 2, prompt: 'second' }), 'b.yaml');
      const args = ['--poll-interval', '0.05', '--concurrency', '4', '--json'];

      // An earlier run of b alone leaves its two jobs at the provider.
      stopWhen = (l) => createdPosts(l).length >= 2;
      const first = await runRender(['b.yaml', ...args], { cwd: dir, env: emu.env, signal: controller.signal });
      expect(first.code).toBe(130);
      const firstSummary = JSON.parse(first.stdout.trim().split('\n').at(-1) ?? '') as RunSummary;
      expect(firstSummary.still_at_providers).toBe(2);

      // a and b on one schedule: b's two jobs are resumed (they hold two of the four slots), a
      // gets the other two; stopped once a has two jobs at the provider.
      controller = new AbortController();
      const mark = log.length;
      stopWhen = (l) => createdPosts(l, mark).length >= 2;
      const r = await runRender(['a.yaml', 'b.yaml', ...args], { cwd: dir, env: emu.env, signal: controller.signal });
      expect(r.code).toBe(130);
      const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as RunSummary;
      const created = createdPosts(emu.log).length;
      const downloaded = emu.log.filter((x) => x.provider === 'media' && x.status === 200).length;
      expect(created - downloaded).toBe(4);
      expect(summary.still_at_providers).toBe(4);
      expect(summary.manifests.map((m) => [m.name, m.still_at_providers, m.counts.pending])).toEqual([
        ['a', 2, 3],
        ['b', 2, 2],
      ]);
      // b's jobs were not submitted again: the only new POSTs are a's.
      expect(createdPosts(emu.log, mark).map((p) => (p.body as { prompt: string }).prompt)).toEqual(['first', 'first']);
      // What a user reads (on stderr with --json after Ctrl-C).
      expect(r.stderr).toContain('a: 0 done, 2 still at the providers, 1 not submitted of 3\n');
      expect(r.stderr).toContain('b: 0 done, 2 still at the providers of 2\n');
      expect(r.stderr).toContain('interrupted: 4 jobs are still rendering at the providers');
    });
  });
});
