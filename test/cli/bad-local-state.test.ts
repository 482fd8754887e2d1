/**
 * Bad local state in the output folder (the journal a folder, unreadable, immutable, full of
 * foreign lines; manifest.json a folder or immutable): one clear message naming the path and the
 * fix, exit 2, nothing submitted, no stack trace. Reading errors root cannot provoke with chmod
 * (EACCES) are injected through the journal's file seam (src/engine/journal-fs.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalFs } from '../../src/store/journal-fs.js';
import type { Emulator } from '../../src/emulator/types.js';
import { allPosts, FAST_JOBS, runRender, wanManifest, withEmulator, workspace, writeManifest, type RunOutput } from '../engine/support/harness.js';

const ARGS = ['job.yaml', '--poll-interval', '0.05', '--no-progress'];
const real = { ...journalFs };
afterEach(() => Object.assign(journalFs, real));

function expectClearRefusal(r: RunOutput, path: string, words: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(words);
  expect(lines[1]).toMatch(/^ {2}.*nothing was submitted$/);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/** A first run of one render (done), then the manifest grows to two: the second run has one to submit. */
async function afterOneRun(emu: Emulator): Promise<string> {
  const dir = await workspace();
  await writeManifest(dir, wanManifest({ count: 1 }));
  expect((await runRender(ARGS, { cwd: dir, env: emu.env })).code).toBe(0);
  await writeManifest(dir, wanManifest({ count: 2 }));
  return dir;
}

/** chattr +i on `path`, or false when this file system does not support it. */
function makeImmutable(path: string): boolean {
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
    return execFileSync('lsattr', ['-d', path], { encoding: 'utf8' }).split(' ')[0]?.includes('i') === true;
  } catch {
    return false;
  }
}

function undoImmutable(path: string): void {
  execFileSync('chattr', ['-i', path], { stdio: 'ignore' });
}

describe('bad local state', () => {
  it('a journal that is a folder', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 2 }));
      const journal = join(dir, 'output', 'batch', '.render', 'journal.jsonl');
      await mkdir(journal, { recursive: true });
      const r = await runRender(ARGS, { cwd: dir, env: emu.env });
      expectClearRefusal(r, journal, /cannot read the journal .*: is a directory, not a file$/);
      expect(r.stderr).toContain(`move the folder ${journal} out of the way`);
      expect(allPosts(emu.log)).toEqual([]);
    });
  });

  it('a journal render may not read (EACCES, injected)', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await afterOneRun(emu);
      const journal = join(dir, 'output', 'batch', '.render', 'journal.jsonl');
      journalFs.readFile = async (path) => {
        if (path === journal) throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
        return real.readFile(path);
      };
      const mark = emu.log.length;
      const r = await runRender(ARGS, { cwd: dir, env: emu.env });
      expectClearRefusal(r, journal, /cannot read the journal .*: permission denied$/);
      expect(r.stderr).toContain(`chmod u+rw ${journal}`);
      expect(allPosts(emu.log, mark)).toEqual([]);
    });
  });

  it('a journal full of foreign lines', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await afterOneRun(emu);
      const journal = join(dir, 'output', 'batch', '.render', 'journal.jsonl');
      await writeFile(journal, 'PK\u0003\u0004 binary\nsome notes\nnull\n');
      const mark = emu.log.length;
      const r = await runRender(ARGS, { cwd: dir, env: emu.env });
      expectClearRefusal(r, journal, /is not a render journal: none of its 3 lines is a journal entry$/);
      expect(r.stderr).toContain('move it out of the way');
      expect(allPosts(emu.log, mark)).toEqual([]);
    });
  });

  it('an immutable journal (chattr +i)', async (ctx) => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await afterOneRun(emu);
      const journal = join(dir, 'output', 'batch', '.render', 'journal.jsonl');
      if (!makeImmutable(journal)) return ctx.skip('chattr +i is not supported here (not root, or not ext4-like)');
      try {
        const mark = emu.log.length;
        const r = await runRender(ARGS, { cwd: dir, env: emu.env });
        expectClearRefusal(r, journal, /cannot write the journal .*: operation not permitted$/);
        expect(r.stderr).toContain(`chattr -i ${journal}`);
        expect(allPosts(emu.log, mark)).toEqual([]);
      } finally {
        undoImmutable(journal);
      }
    });
  });

  it('manifest.json that is a folder', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 2 }));
      const manifest = join(dir, 'output', 'batch', 'manifest.json');
      await mkdir(manifest, { recursive: true });
      const r = await runRender(ARGS, { cwd: dir, env: emu.env });
      expectClearRefusal(r, manifest, /cannot read manifest\.json .*: is a directory, not a file$/);
      expect(allPosts(emu.log)).toEqual([]);
    });
  });

  it('an immutable manifest.json (chattr +i): not writable', async (ctx) => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await afterOneRun(emu);
      const manifest = join(dir, 'output', 'batch', 'manifest.json');
      if (!makeImmutable(manifest)) return ctx.skip('chattr +i is not supported here (not root, or not ext4-like)');
      try {
        const mark = emu.log.length;
        const r = await runRender(ARGS, { cwd: dir, env: emu.env });
        expectClearRefusal(r, manifest, /cannot write manifest\.json .*: operation not permitted$/);
        expect(allPosts(emu.log, mark)).toEqual([]);
      } finally {
        undoImmutable(manifest);
      }
    });
  });

  it('a second manifest whose journal is immutable, after the first one submitted: exit 1, both said', async (ctx) => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ name: 'second', count: 1, prompt: 'a second ship' }), 'b.yaml');
      expect((await runRender(['b.yaml', ...ARGS.slice(1)], { cwd: dir, env: emu.env })).code).toBe(0);
      await writeManifest(dir, wanManifest({ name: 'second', count: 2, prompt: 'a second ship' }), 'b.yaml');
      await writeManifest(dir, wanManifest({ name: 'first', count: 2 }), 'a.yaml');
      const journal = join(dir, 'output', 'second', '.render', 'journal.jsonl');
      if (!makeImmutable(journal)) return ctx.skip('chattr +i is not supported here (not root, or not ext4-like)');
      try {
        const mark = emu.log.length;
        const r = await runRender(['a.yaml', 'b.yaml', ...ARGS.slice(1)], { cwd: dir, env: emu.env });
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('first: 2 done of 2');
        expect(r.stderr).toMatch(/^render: cannot write the journal .*second\/\.render\/journal\.jsonl: operation not permitted; its renders were not started$/m);
        expect(r.stderr).not.toContain('internal error');
        // Only the first manifest's two renders were sent.
        expect(allPosts(emu.log, mark).map((p) => (p.body as { prompt: string }).prompt)).toEqual(['a lighthouse in a storm', 'a lighthouse in a storm']);
      } finally {
        undoImmutable(journal);
      }
    });
  });
});
