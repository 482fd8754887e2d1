import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RenderError } from '../../src/core/errors.js';
import { acquireRunLock, acquireRunLocks, type LockOptions } from '../../src/store/run-lock.js';

async function setup(): Promise<{ cwd: string; dir: string; lockPath: string; notes: string[]; opts: LockOptions }> {
  const cwd = await mkdtemp(join(tmpdir(), 'render-lock-'));
  const notes: string[] = [];
  const dir = join(cwd, 'output', 'batch');
  return { cwd, dir, lockPath: join(dir, '.render', 'lock'), notes, opts: { command: 'render run job.yaml', cwd, warn: (l) => notes.push(l) } };
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

async function refusal(p: Promise<unknown>): Promise<RenderError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RenderError);
  return err as RenderError;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

describe('the run lock', () => {
  it('is a JSON file naming the holder; a second taker is refused with the holder and the fix; release frees it', async () => {
    const { dir, lockPath, opts } = await setup();
    const lock = await acquireRunLock(dir, { ...opts, now: () => new Date('2026-12-01T09:30:00Z') });
    const onDisk = JSON.parse(await readFile(lockPath, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toEqual({ pid: process.pid, host: hostname(), started_at: '2026-12-01T09:30:00.000Z', command: 'render run job.yaml' });

    const err = await refusal(acquireRunLock(dir, opts));
    expect(err.code).toBe('E_USAGE_LOCK');
    expect(err.message).toBe(
      `output/batch is in use by another render run (pid ${process.pid} on host ${hostname()}, since 2026-12-01T09:30:00.000Z); ` +
        'wait for it to finish, or stop it. If that process is gone, delete output/batch/.render/lock',
    );
    expect(err.hint).toBe('that run is: render run job.yaml');

    await lock.release();
    expect(await exists(lockPath)).toBe(false);
    const again = await acquireRunLock(dir, opts);
    expect(await exists(lockPath)).toBe(true);
    await again.release();
  });

  it('takes over a lock whose process is gone, and says so', async () => {
    const { dir, lockPath, notes, opts } = await setup();
    const pid = deadPid();
    await mkdir(join(dir, '.render'), { recursive: true });
    await writeFile(lockPath, JSON.stringify({ pid, host: hostname(), started_at: '2026-01-01T00:00:00Z', command: 'render run old.yaml' }));
    const lock = await acquireRunLock(dir, opts);
    expect(notes).toEqual([`render: took over the lock of pid ${pid} (no longer running)`]);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    // Nothing left beside it from the takeover.
    expect(await readdir(join(dir, '.render'))).toEqual(['lock']);
    await lock.release();
  });

  it('never takes over a lock from another host, even one whose pid is free here', async () => {
    const { dir, lockPath, notes, opts } = await setup();
    await mkdir(join(dir, '.render'), { recursive: true });
    const text = JSON.stringify({ pid: deadPid(), host: 'render-farm-7', started_at: '2026-12-01T08:00:00Z', command: 'render run a.yaml' });
    await writeFile(lockPath, text);
    const err = await refusal(acquireRunLock(dir, opts));
    expect(err.message).toContain('output/batch is in use by a render run on another host');
    expect(err.message).toContain('on host render-farm-7, since 2026-12-01T08:00:00Z');
    expect(err.message).toContain('never taken over');
    expect(err.message).toContain('delete output/batch/.render/lock');
    expect(await readFile(lockPath, 'utf8')).toBe(text);
    expect(notes).toEqual([]);
  });

  it.each([
    ['not JSON', 'garbage{', 'not JSON'],
    ['empty', '', 'the file is empty'],
    ['without a pid', '{"host":"x"}', 'no valid "pid"'],
  ])('treats a lock file that is %s as held, naming the path and the fix', async (_name, content, reason) => {
    const { dir, lockPath, opts } = await setup();
    await mkdir(join(dir, '.render'), { recursive: true });
    await writeFile(lockPath, content);
    const err = await refusal(acquireRunLock(dir, opts));
    expect(err.code).toBe('E_USAGE_LOCK');
    expect(err.message).toBe(
      `output/batch/.render/lock is not a readable render lock (${reason}), so output/batch is treated as in use. ` +
        'If no render run is using that folder, delete output/batch/.render/lock',
    );
    expect(await readFile(lockPath, 'utf8')).toBe(content);
  });

  it('release leaves alone a lock that is no longer its own', async () => {
    const { dir, lockPath, opts } = await setup();
    const lock = await acquireRunLock(dir, opts);
    const other = JSON.stringify({ pid: 1, host: hostname(), started_at: 'x', command: 'y' });
    await writeFile(lockPath, other);
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe(other);
  });

  it('takes all the locks of a command or none, and a refused command leaves no folders behind', async () => {
    const { cwd, opts } = await setup();
    const a = join(cwd, 'output', 'a');
    const b = join(cwd, 'output', 'b');
    const holder = await acquireRunLock(b, opts);
    const err = await refusal(acquireRunLocks([a, b], opts));
    expect(err.message).toContain('output/b is in use');
    expect(await exists(a)).toBe(false);
    await holder.release();
    const both = await acquireRunLocks([a, b], opts);
    expect(both.map((l) => l.path)).toEqual([join(a, '.render', 'lock'), join(b, '.render', 'lock')]);
  });

  it('names a file standing where the output folder should be', async () => {
    const { cwd, opts } = await setup();
    await writeFile(join(cwd, 'output'), 'not a folder');
    const err = await refusal(acquireRunLock(join(cwd, 'output', 'batch'), opts));
    expect(err.code).toBe('E_USAGE_OUTPUT');
    expect(err.message).toBe('output is a file, not a folder, so the run cannot write to output/batch');
    expect(err.hint).toContain('move or delete output');

    await mkdir(join(cwd, 'out2'));
    await writeFile(join(cwd, 'out2', 'batch'), '');
    const inner = await refusal(acquireRunLock(join(cwd, 'out2', 'batch'), opts));
    expect(inner.message).toBe('out2/batch is a file, not a folder, so the run cannot write to out2/batch');
  });

  it.skipIf(process.getuid?.() === 0)('names an output folder it cannot write to', async () => {
    const { cwd, opts } = await setup();
    await mkdir(join(cwd, 'ro'));
    await chmod(join(cwd, 'ro'), 0o555);
    const err = await refusal(acquireRunLock(join(cwd, 'ro', 'batch'), opts));
    expect(err.message).toBe('cannot write to ro/batch (permission denied)');
    expect(err.hint).toContain('writable');
  });
});
