/**
 * A real full disk: the output folder lives on a 2 MiB tmpfs, filled up mid-run. render stops
 * submitting (exit 1, one message), sends nothing twice and keeps the id of every job it sent;
 * once space is freed, the same command finishes every render with no duplicate submit.
 * Needs `mount` (root); skipped with the reason otherwise. The same run with the full disk
 * injected through the journal's file seam (journal-fs.ts) runs anywhere.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { journalFs, type JournalFile } from '../../src/store/journal-fs.js';
import { readJournal } from '../../src/store/journal-read.js';
import type { LoggedRequest } from '../../src/emulator/types.js';
import { createdPosts, createsPerRender, FAST_JOBS, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest } from './support/harness.js';

const ARGS = ['job.yaml', '--poll-interval', '0.05', '--no-progress'];
const RENDERS = 10;
/** The disk is filled once the provider has accepted this many jobs. */
const FILL_AFTER = 3;

let mountPoint = '';
let mounted = false;
let whyNot = '';

beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'render-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    whyNot = `cannot mount a 2 MiB tmpfs (needs root): ${(err as Error).message.split('\n')[0]}`;
  }
});

const real = { ...journalFs };
afterEach(() => Object.assign(journalFs, real));

afterAll(async () => {
  if (mounted) execFileSync('umount', [mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

/** Writes to `path` until the file system refuses another byte; returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  let total = 0;
  try {
    for (let chunk = 64 * 1024; chunk >= 1; chunk = Math.floor(chunk / 2)) {
      const buf = Buffer.alloc(chunk, 1);
      for (;;) {
        try {
          total += writeSync(fd, buf);
        } catch {
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

describe('a full disk mid-run', () => {
  it('stops submits, loses no job id, submits nothing twice; the rerun finishes each render once', async (ctx) => {
    if (!mounted) return ctx.skip(whyNot);
    const dir = join(mountPoint, 'work');
    await mkdir(dir);
    const filler = join(mountPoint, 'filler');
    let log: readonly LoggedRequest[] = [];
    let filled = 0;
    const options = {
      jobDurationMs: { min: 200, max: 400 },
      maxVideoFrames: 18,
      maxVideoSide: 128,
      onRequest: () => {
        if (filled === 0 && createdPosts(log).length >= FILL_AFTER) filled = fillDisk(filler);
      },
    };
    await withEmulator(options, async (emu) => {
      log = emu.log;
      await writeManifest(dir, wanManifest({ count: RENDERS, concurrency: 2 }));
      const first = await runRender(ARGS, { cwd: dir, env: emu.env });
      expect(filled).toBeGreaterThan(0);
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(
        // Whichever write met the full disk first, the journal's or a video's.
        /^render: no space left on device: .*output\/batch\/\S+; no more submits\. Free some space and run the same command again: jobs already sent are kept and resumed$/m,
      );
      expect(first.stderr.match(/no more submits/g)).toHaveLength(1);
      expect(first.stderr).not.toContain('internal error');
      const sent = createdPosts(emu.log);
      expect(sent.length).toBeGreaterThanOrEqual(FILL_AFTER);
      expect(sent.length).toBeLessThan(RENDERS);
      expect([...createsPerRender(emu.log).values()].every((n) => n === 1)).toBe(true);
      expect(first.stdout).toContain(`${RENDERS - sent.length} not submitted`);
      // Every job the provider accepted has its id in the journal on disk.
      const { states, problems } = await readJournal(join(dir, 'output', 'batch', '.render', 'journal.jsonl'));
      expect(problems).toEqual([]);
      const ids = new Set([...states.values()].map((s) => s.job_id));
      for (const post of sent) expect(ids.has(post.jobId ?? '')).toBe(true);

      await rm(filler);
      const mark = emu.log.length;
      const again = await runRender(ARGS, { cwd: dir, env: emu.env });
      expect(again.code).toBe(0);
      expect(createdPosts(emu.log, mark)).toHaveLength(RENDERS - sent.length);
      const perRender = createsPerRender(emu.log);
      expect(perRender.size).toBe(RENDERS);
      expect([...perRender.values()].every((n) => n === 1)).toBe(true);
      const m = await readOutputManifest(dir);
      expect(m.renders.map((r) => r.status)).toEqual(Array(RENDERS).fill('succeeded'));
    });
  });
});

describe('a full disk mid-run, injected at the journal', () => {
  it('the job ids of sent jobs go into the reserve; no submit after; the rerun submits the rest once', async () => {
    let full = false;
    let reserveGiven = 0;
    journalFs.openAppend = async (path) => {
      const fh = await real.openAppend(path);
      const file: JournalFile = {
        write: (buffer, offset, length, position) => {
          // Full until the reserve gives space back; then that space takes the lines.
          if (full && reserveGiven === 0) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
          return fh.write(buffer, offset, length, position);
        },
        datasync: () => fh.datasync(),
        truncate: (len) => fh.truncate(len),
        close: () => fh.close(),
      };
      return file;
    };
    journalFs.shrinkReserve = async (path, bytes) => {
      await real.shrinkReserve(path, bytes);
      reserveGiven += 1;
    };
    let log: readonly LoggedRequest[] = [];
    let armed = true;
    const options = { ...FAST_JOBS, onRequest: () => void (armed && createdPosts(log).length >= FILL_AFTER && (full = true)) };
    await withEmulator(options, async (emu) => {
      log = emu.log;
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: RENDERS, concurrency: 2 }));
      const first = await runRender(ARGS, { cwd: dir, env: emu.env });
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/^render: no space left on device: .*journal\.jsonl; no more submits\. Free some space and run/m);
      const sent = createdPosts(emu.log);
      expect(sent.length).toBeLessThan(RENDERS);
      expect(reserveGiven).toBeGreaterThan(0);
      const { states, problems } = await readJournal(join(dir, 'output', 'batch', '.render', 'journal.jsonl'));
      expect(problems).toEqual([]);
      const ids = new Set([...states.values()].map((s) => s.job_id));
      for (const post of sent) expect(ids.has(post.jobId ?? '')).toBe(true);
      // The jobs sent were brought home: the disk was full only for the journal.
      expect(first.stdout).toContain(`batch: ${sent.length} done, ${RENDERS - sent.length} not submitted of ${RENDERS}`);

      armed = false;
      full = false;
      const mark = emu.log.length;
      expect((await runRender(ARGS, { cwd: dir, env: emu.env })).code).toBe(0);
      expect(createdPosts(emu.log, mark)).toHaveLength(RENDERS - sent.length);
      expect([...createsPerRender(emu.log).values()]).toEqual(Array(RENDERS).fill(1));
    });
  });
});

describe('a job-id line the disk refuses (EIO, injected)', () => {
  it('is said and stops submits; the job is still brought home and the rerun pays for nothing twice', async () => {
    let failures = 0;
    journalFs.openAppend = async (path) => {
      const fh = await real.openAppend(path);
      const file: JournalFile = {
        write: (buffer, offset, length, position) => {
          const text = Buffer.from(buffer.subarray(offset, offset + length)).toString();
          if (failures === 0 && text.includes('"phase":"submitted"')) {
            failures += 1;
            return Promise.reject(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
          }
          return fh.write(buffer, offset, length, position);
        },
        datasync: () => fh.datasync(),
        truncate: (len) => fh.truncate(len),
        close: () => fh.close(),
      };
      return file;
    };
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: RENDERS, concurrency: 2 }));
      const first = await runRender(ARGS, { cwd: dir, env: emu.env });
      expect(failures).toBe(1);
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/warning: wan\.seed-\d+: cannot write the journal \(submitted\): input\/output error: .*journal\.jsonl/);
      expect(first.stderr).toMatch(/^render: input\/output error: .*journal\.jsonl; no more submits\. Fix that and run the same command again/m);
      const sent = createdPosts(emu.log);
      expect(sent.length).toBeLessThan(RENDERS);

      Object.assign(journalFs, real);
      const mark = emu.log.length;
      const again = await runRender(ARGS, { cwd: dir, env: emu.env });
      expect(again.code).toBe(0);
      expect(createdPosts(emu.log, mark)).toHaveLength(RENDERS - sent.length);
      expect([...createsPerRender(emu.log).values()]).toEqual(Array(RENDERS).fill(1));
      expect((await readOutputManifest(dir)).renders.map((r) => r.status)).toEqual(Array(RENDERS).fill('succeeded'));
    });
  });
});
