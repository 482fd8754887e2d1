/**
 * Learning across runs, end to end against the emulator: a run keeps how long its jobs took in
 * `<out>/.render/timings.json`, and the next run on the same output folder reads its jobs near
 * when they are likely done (fewer status reads, as the emulator's request log shows). A file
 * render cannot read or write is a one-line warning, never a failed run or a lost video.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/emulator/types.js';
import { runRender, wanManifest, withEmulator, workspace, writeManifest } from './support/harness.js';

/** Every job takes the same time, so the second run meets what the first learned. */
const FIXED = { jobDurationMs: 1500, maxVideoFrames: 18 };
const ARGS = ['--poll-interval', '0.1', '--no-progress'];

function statusReads(log: readonly LoggedRequest[], from = 0): number {
  return log.slice(from).filter((r) => r.method === 'GET' && r.provider === 'aimlapi').length;
}

describe('learned job times across runs', () => {
  it('a second run on the same output folder reads its jobs fewer times than the first did', async () => {
    await withEmulator(FIXED, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 4, concurrency: 4 }));
      const first = await runRender([file, ...ARGS], { cwd: dir, env: emu.env });
      expect(first.code).toBe(0);
      const firstReads = statusReads(emu.log);
      const saved = JSON.parse(await readFile(join(dir, 'output', '.render', 'timings.json'), 'utf8')) as { version: number; keys: Array<{ key: string; samples: number[][] }> };
      expect(saved.version).toBe(1);
      expect(saved.keys).toHaveLength(1);
      expect(saved.keys[0]?.key).toContain('krea/krea-wan-14b/text-to-video');
      expect(saved.keys[0]?.samples).toHaveLength(4);

      // Four new renders of the same model and params (other seeds), into the same output root.
      const mark = emu.log.length;
      await writeManifest(dir, wanManifest({ name: 'again', count: 4, from: 100, concurrency: 4 }));
      const second = await runRender([file, ...ARGS], { cwd: dir, env: emu.env });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('4 done of 4');
      const secondReads = statusReads(emu.log, mark);
      expect(secondReads).toBeGreaterThanOrEqual(4);
      // Read every 0.1 s, a 1.5 s job is read about 15 times; read from about when it is done, a few.
      expect(secondReads).toBeLessThan(firstReads);
      expect(secondReads).toBeLessThanOrEqual(4 * 6);
    });
  });

  it.each([
    { name: 'not JSON', content: '{"version": 1, "keys": [', problem: 'is not valid JSON' },
    { name: 'another version', content: '{"version": 7, "keys": []}', problem: 'has version 7, not 1' },
    { name: 'a damaged sample', content: '{"version": 1, "keys": [{"key": "k", "samples": [[5, 1]]}]}', problem: 'has an entry that is not a timing key with samples [lo, hi] in ms' },
  ])('a timings file that is $name is named in one warning, then nothing learned is used and a good file replaces it', async ({ content, problem }) => {
    await withEmulator(FIXED, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 1 }));
      const path = join(dir, 'output', '.render', 'timings.json');
      await mkdir(join(dir, 'output', '.render'), { recursive: true });
      await writeFile(path, content);
      const out = await runRender([file, ...ARGS], { cwd: dir, env: emu.env });
      expect(out.code).toBe(0);
      const warnings = out.stderr.split('\n').filter((l) => l.includes('timings.json'));
      expect(warnings).toEqual([`render: warning: output/.render/timings.json ${problem}; learned job times not used: delete it to start afresh`]);
      const saved = JSON.parse(await readFile(path, 'utf8')) as { version: number; keys: unknown[] };
      expect(saved).toMatchObject({ version: 1, keys: [{ samples: [expect.any(Array)] }] });
    });
  });

  it('a timings file that cannot be read or written is a warning; the run succeeds and the video is kept', async () => {
    await withEmulator(FIXED, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 1 }));
      // A folder where the file should be: neither readable nor replaceable as a file.
      await mkdir(join(dir, 'output', '.render', 'timings.json'), { recursive: true });
      const out = await runRender([file, ...ARGS], { cwd: dir, env: emu.env });
      expect(out.code).toBe(0);
      const warnings = out.stderr.split('\n').filter((l) => l.includes('timings.json'));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/^render: warning: output\/\.render\/timings\.json cannot be read \(.+\); learned job times not used: delete it to start afresh$/);
      expect(warnings[1]).toMatch(/^render: warning: cannot save the learned job times to output\/\.render\/timings\.json \(.+\); the videos are kept, and the next run learns again$/);
      expect((await stat(join(dir, 'output', 'batch', 'wan.seed-1.mp4'))).size).toBeGreaterThan(0);
    });
  });

  it('--emulate runs learn apart, beside the emulator\'s jobs, so emulated times never stand for a real provider\'s', async () => {
    const dir = await workspace();
    const file = await writeManifest(dir, wanManifest({ count: 1 }));
    const out = await runRender(['--emulate', file, '--no-progress'], { cwd: dir, env: {} });
    expect(out.code).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, 'output', '.emulator', 'timings.json'), 'utf8')) as { version: number; keys: unknown[] };
    expect(saved.keys).toHaveLength(1);
    await expect(stat(join(dir, 'output', '.render', 'timings.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
