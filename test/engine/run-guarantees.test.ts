/**
 * The engine's guarantees, over real HTTP against the emulator with faults on: limits, Retry-
 * After, one POST per render, download recovery, failures that do not stop the batch, and
 * incremental reruns. Assertions are on requests received, bytes on disk and exit codes.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeMp4 } from '../../src/media/probe-mp4.js';
import {
  allPosts, createdPosts, createsPerRender, FAST_JOBS, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest,
} from './support/harness.js';

const FAST = ['--poll-interval', '0.05', '--no-progress'];

async function expectIntactFiles(dir: string, name = 'batch'): Promise<void> {
  const m = await readOutputManifest(dir, name);
  for (const r of m.renders.filter((x) => x.status === 'succeeded')) {
    const path = join(dir, 'output', name, r.file ?? '');
    const bytes = await readFile(path);
    expect(bytes.length).toBe(r.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
    const info = await probeMp4(path);
    expect({ w: info.width, h: info.height }).toEqual({ w: r.video?.width, h: r.video?.height });
  }
}

describe('render run against the emulator', () => {
  it('never exceeds the global or per-provider limit, and sends one POST per render', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const novita = [
        '  - id: city',
        '    provider: novita',
        '    model: wan-t2v',
        '    prompt: "a neon city"',
        '    params: { width: 832, height: 480, steps: 10 }',
        '    seeds: { from: 500, count: 4 }',
      ].join('\n');
      const file = await writeManifest(dir, wanManifest({ count: 9, concurrency: 3, providers: '{ novita: { concurrency: 1 } }', extraShots: novita }));
      const r = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const peak = emu.peakInFlight();
      expect(peak.total).toBeLessThanOrEqual(3);
      expect(peak.novita).toBeLessThanOrEqual(1);
      expect(peak.total).toBeGreaterThan(1); // the limit was actually used
      for (const req of emu.log) expect(req.inFlight).toBeLessThanOrEqual(3);
      const creates = createsPerRender(emu.log);
      expect(creates.size).toBe(13);
      expect([...creates.values()].every((n) => n === 1)).toBe(true);
      const m = await readOutputManifest(dir);
      expect(m.renders.map((x) => x.status)).toEqual(Array(13).fill('succeeded'));
      await expectIntactFiles(dir);
      expect(r.stdout).toMatch(/batch: 13 done of 13/);
      expect(r.stdout).toContain(join('output', 'batch', 'manifest.json'));
    });
  });

  it('honours Retry-After over HTTP: every 429 waited out, each render created once', async () => {
    await withEmulator(
      { ...FAST_JOBS, faults: { aimlapi: { submit429: { count: 2, retryAfterSeconds: 1 }, status429: { count: 2, retryAfterSeconds: 1 } } } },
      async (emu) => {
        const dir = await workspace();
        const file = await writeManifest(dir, wanManifest({ count: 4, concurrency: 2 }));
        const r = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
        expect(r.code).toBe(0);
        const api = emu.log.filter((x) => x.provider === 'aimlapi');
        const limited = api.filter((x) => x.status === 429);
        expect(limited.length).toBe(4);
        // That nothing goes to the provider before its Retry-After is exact on the fake clock
        // (engine-on-paper.test.ts); over real sockets on a loaded machine a wall-clock window
        // would measure the machine. Here: every 429 was waited out and each render created once.
        expect([...createsPerRender(emu.log).values()]).toEqual([1, 1, 1, 1]);
        expect(allPosts(emu.log).length).toBe(6); // 4 renders + 2 refused POSTs, each sent again
      },
    );
  });

  it('recovers truncated and expired downloads, re-reading the job for a fresh URL', async () => {
    await withEmulator(
      { ...FAST_JOBS, faults: { aimlapi: { truncateDownload: { count: 2 }, expireDownload: { count: 2, status: 410 } } } },
      async (emu) => {
        const dir = await workspace();
        const file = await writeManifest(dir, wanManifest({ count: 3 }));
        const r = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        await expectIntactFiles(dir);
        const media = emu.log.filter((x) => x.provider === 'media');
        expect(media.filter((x) => x.status === 410).length).toBe(2);
        expect(media.length).toBeGreaterThanOrEqual(3 + 2 + 2);
        expect(createdPosts(emu.log).length).toBe(3);
        // No partial file is left behind.
        await expect(stat(join(dir, 'output', 'batch', 'wan.seed-1.mp4.part'))).rejects.toThrow();
      },
    );
  });

  it('replaces a fresh result URL that has expired too, one status read per expired URL', async () => {
    await withEmulator({ ...FAST_JOBS, faults: { aimlapi: { expireDownload: { count: 2, status: 403 } } } }, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 1 }));
      const r = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      await expectIntactFiles(dir);
      const media = emu.log.filter((x) => x.provider === 'media');
      expect(media.map((x) => x.status)).toEqual([403, 403, 200]);
      // Three different URLs: the original and two fresh ones.
      expect(new Set(media.map((x) => x.path)).size).toBe(3);
      expect(createdPosts(emu.log).length).toBe(1);
    });
  });

  it('records a failed job while the others finish (exit 1), and a rerun resubmits only it', async () => {
    await withEmulator({ ...FAST_JOBS, faults: { aimlapi: { failJob: { reason: 'content policy violation', promptIncludes: 'doomed' } } } }, async (emu) => {
      const dir = await workspace();
      const doomed = [
        '  - id: doomed',
        '    provider: aimlapi',
        '    model: krea/krea-wan-14b/text-to-video',
        '    prompt: "a doomed ship"',
        '    params: { num_frames: 18, enable_prompt_expansion: false }',
        '    seed: 77',
      ].join('\n');
      const file = await writeManifest(dir, wanManifest({ count: 3, extraShots: doomed }));
      const first = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(first.code).toBe(1);
      expect(first.stderr).toContain('doomed.seed-77 FAILED: content policy violation');
      expect(first.stdout).toMatch(/3 done, 1 failed of 4/);
      expect(first.stdout).toContain('failed: doomed.seed-77: content policy violation');
      const m = await readOutputManifest(dir);
      const failed = m.renders.find((x) => x.id === 'doomed.seed-77');
      expect(failed).toMatchObject({ status: 'failed', error: { message: 'content policy violation' }, file: null });
      expect(m.renders.filter((x) => x.status === 'succeeded')).toHaveLength(3);

      emu.setFaults('aimlapi', {});
      const mark = emu.log.length;
      const second = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(second.code).toBe(0);
      const resent = createdPosts(emu.log, mark);
      expect(resent.map((x) => (x.body as { prompt: string }).prompt)).toEqual(['a doomed ship']);

      const mark2 = emu.log.length;
      const third = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(third.code).toBe(0);
      expect(allPosts(emu.log, mark2)).toEqual([]);
      expect(third.stdout).toContain('4 already done (skipped)');
    });
  });

  it('a submit reset after it was accepted is indeterminate and not resent without --force', async () => {
    await withEmulator({ ...FAST_JOBS, faults: { aimlapi: { submitResetAfterAccept: { count: 1 } } } }, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 2, concurrency: 1 }));
      const first = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/indeterminate: wan\.seed-1: .*dashboard.*--force/);
      expect(createdPosts(emu.log).length).toBe(2);
      const m = await readOutputManifest(dir);
      expect(m.renders.map((x) => x.status)).toEqual(['indeterminate', 'succeeded']);

      const mark = emu.log.length;
      const again = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(again.code).toBe(1);
      expect(allPosts(emu.log, mark)).toEqual([]);

      const forced = await runRender([file, ...FAST, '--force', '--only', 'wan.seed-1'], { cwd: dir, env: emu.env });
      expect(forced.code).toBe(0);
      expect(createdPosts(emu.log, mark).length).toBe(1);
      const after = await readOutputManifest(dir);
      expect(after.renders.map((x) => x.status)).toEqual(['succeeded', 'succeeded']);
    });
  });

  it('reuses drawn seeds on a second run (a no-op) and draws new ones with --reseed', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const text = [
        'version: 1', 'name: batch', 'shots:', '  - id: drawn', '    provider: aimlapi',
        '    model: krea/krea-wan-14b/text-to-video', '    prompt: "a quiet lake"',
        '    params: { num_frames: 18, enable_prompt_expansion: false }', '    seeds: { count: 2 }', '',
      ].join('\n');
      const file = await writeManifest(dir, text);
      expect((await runRender([file, ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const first = await readOutputManifest(dir);
      expect(first.renders.every((x) => x.seed_origin === 'drawn' && typeof x.seed === 'number')).toBe(true);
      const mark = emu.log.length;
      expect((await runRender([file, ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      expect(allPosts(emu.log, mark)).toEqual([]);
      expect((await readOutputManifest(dir)).renders.map((x) => x.seed)).toEqual(first.renders.map((x) => x.seed));
      expect((await runRender([file, ...FAST, '--reseed'], { cwd: dir, env: emu.env })).code).toBe(0);
      expect(createdPosts(emu.log, mark).length).toBe(2);
      expect((await readOutputManifest(dir)).renders.map((x) => x.seed)).not.toEqual(first.renders.map((x) => x.seed));
    });
  });
});
