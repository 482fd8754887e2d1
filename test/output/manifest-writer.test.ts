/** manifest.json kept current while a run goes on: paced writes, and always a last one. */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/store/atomic-write.js';
import { runLayout } from '../../src/store/layout.js';
import { ManifestWriter } from '../../src/store/manifest-writer.js';
import type { RenderManifestFile } from '../../src/core/records.js';

function manifest(endedAt: string | null): RenderManifestFile {
  return {
    version: 1, name: 'm', manifest_files: ['m.yaml'], runner: { name: 'render', version: '0.0.0' },
    started_at: '2026-01-01T00:00:00.000Z', ended_at: endedAt, renders: [],
  };
}

describe('ManifestWriter', () => {
  it('a change made while writes are paced far apart is still on disk after flush, and index.html follows', async () => {
    const layout = runLayout(await mkdtemp(join(tmpdir(), 'writer-')), 'm');
    let endedAt: string | null = null;
    const reports: Array<string | null> = [];
    const writer = new ManifestWriter({
      layout,
      // So long that no paced write can happen during the test: only flush writes.
      minIntervalMs: 3_600_000,
      build: () => manifest(endedAt),
      serialize: function* (m) {
        yield '{"ended_at":';
        yield JSON.stringify(m.ended_at);
        yield '}\n';
      },
      writeReport: async (dir, m) => {
        reports.push(m.ended_at);
        return join(dir, 'index.html');
      },
    });
    await writer.flush();
    endedAt = '2026-01-01T00:01:00.000Z';
    writer.markDirty();
    await writer.flush();
    expect(JSON.parse(await readFile(layout.manifestPath, 'utf8'))).toEqual({ ended_at: endedAt });
    expect(reports).toEqual([null, endedAt]);
    expect((await readdir(layout.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a contact sheet that cannot be written is said once and does not stop manifest.json; a manifest.json that cannot be written fails the flush', async () => {
    const layout = runLayout(await mkdtemp(join(tmpdir(), 'writer-')), 'm');
    const said: string[] = [];
    let sheets = 0;
    const writer = new ManifestWriter({
      layout,
      minIntervalMs: 3_600_000,
      build: () => manifest('2026-01-01T00:01:00.000Z'),
      writeReport: async () => {
        sheets += 1;
        throw new Error('no room for index.html');
      },
      onReportError: (err) => said.push((err as Error).message),
    });
    await writer.flush();
    await writer.flush();
    expect(JSON.parse(await readFile(layout.manifestPath, 'utf8'))).toMatchObject({ ended_at: '2026-01-01T00:01:00.000Z' });
    expect([sheets, said]).toEqual([2, ['no room for index.html']]);

    // manifest.json's folder replaced by a file: the flush fails, and the sheet's write still ran to its end.
    const blocked = runLayout(join(await mkdtemp(join(tmpdir(), 'writer-')), 'not-a-folder'), 'm');
    await writeFileAtomic(join(blocked.dir, '..'), 'a file where the folder should be');
    let sheetDone = false;
    const failing = new ManifestWriter({
      layout: blocked,
      minIntervalMs: 3_600_000,
      build: () => manifest(null),
      writeReport: async (dir) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        sheetDone = true;
        return join(dir, 'index.html');
      },
    });
    await expect(failing.flush()).rejects.toThrow();
    expect(sheetDone).toBe(true);
  });

  it('writes text given in pieces, however many and however long, in order', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'pieces-')), 'f.txt');
    const pieces = Array.from({ length: 5000 }, (_, i) => `${i}:${'x'.repeat(i % 97)}\n`);
    await writeFileAtomic(path, pieces);
    expect(await readFile(path, 'utf8')).toBe(pieces.join(''));
  });
});
