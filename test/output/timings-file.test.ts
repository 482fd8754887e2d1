/** `<out>/.render/timings.json` on disk: written whole, read back as written, and nothing when missing. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
