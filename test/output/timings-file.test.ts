/**
 * `<out>/.render/timings.json` on disk: written whole, read back as written, nothing when missing,
 * and saved on top of what another run saved meanwhile.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { loadReadSchedule, saveReadSchedule } from '../../src/cli/read-schedule-file.js';
import { readTimings, writeTimings } from '../../src/store/timings-file.js';

describe('the timings file', () => {
  it('reads back what was written, in order, and is versioned', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'render-timings-')), '.render', 'timings.json');
    const data = { keys: [{ key: 'krea kling/kling-2.5 [["duration",5]]', samples: [[1000, 1250], [980, 980]] as Array<[number, number]> }, { key: 'b', samples: [] }] };
    await writeTimings(path, data);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, keys: data.keys });
    expect(await readTimings(path)).toEqual({ data });
  });

  it('is nothing learned, and no problem, when missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-timings-'));
    expect(await readTimings(join(dir, 'timings.json'))).toEqual({ data: { keys: [] } });
  });

  it.each([
    ['[1, 2]', 'has version none, not 1'],
    ['{"version": 1}', 'has no "keys" list'],
    ['{"version": 1, "keys": [{"key": "k", "samples": [[1, 1e12]]}]}', 'has an entry that is not a timing key with samples [lo, hi] in ms'],
    ['{"version": 1, "keys": [{"key": 3, "samples": []}]}', 'has an entry that is not a timing key with samples [lo, hi] in ms'],
  ])('%s is not trusted: %s', async (text, problem) => {
    const path = join(await mkdtemp(join(tmpdir(), 'render-timings-')), 'timings.json');
    await writeFile(path, text);
    expect(await readTimings(path)).toEqual({ data: { keys: [] }, problem });
  });

  it('two runs under one output root that save one after the other keep both runs\' samples', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-timings-'));
    const path = join(dir, '.render', 'timings.json');
    await writeTimings(path, { keys: [{ key: 'k', samples: [[100, 100]] }] });
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir } as unknown as CliIO;
    const one = await loadReadSchedule(path, io);
    const two = await loadReadSchedule(path, io);
    one.add('k', 200, 200);
    two.add('k', 300, 300);
    two.add('other', 5, 6);
    await saveReadSchedule(one, path, io);
    await saveReadSchedule(two, path, io);
    const saved = await readTimings(path);
    expect(saved).toEqual({ data: { keys: [{ key: 'k', samples: [[100, 100], [200, 200], [300, 300]] }, { key: 'other', samples: [[5, 6]] }] } });
    expect(one.changed).toBe(false);
    expect(two.changed).toBe(false);
  });

  it('a run that learned nothing writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-timings-'));
    const path = join(dir, 'timings.json');
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir } as unknown as CliIO;
    await saveReadSchedule(await loadReadSchedule(path, io), path, io);
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
