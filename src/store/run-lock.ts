/**
 * One run per output folder: `<out>/<name>/.render/lock`, created with `open(…, 'wx')` (so two
 * processes can never both create it) and holding `{pid, host, started_at, command}`. A run
 * takes it before it reads or writes anything in the folder and removes it when it ends; a
 * lock whose process is gone (same host, `kill(pid, 0)` says ESRCH) is taken over. A lock from
 * another host, or one that cannot be read, is never taken over: the user is told how to clear it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { RenderError } from '../core/errors.js';
import { folderProblem, shownPath } from './folder-problem.js';

export const LOCK_PATH_IN_RUN = join('.render', 'lock');
/** A lock file is written right after it is created: a reader seeing it empty or partial waits this long, this many times. */
export const LOCK_READ_RETRIES = 5;
export const LOCK_READ_RETRY_MS = 20;
/** Create attempts (each after a stale lock was moved away or the folder vanished) before giving up. */
const LOCK_CREATE_ATTEMPTS = 4;

export interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

export interface RunLock {
  /** The run folder, `<out>/<name>`, absolute. */
  readonly dir: string;
  readonly path: string;
  readonly info: LockInfo;
  /** Removes the lock if it is still this one. Safe to call twice. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** The command line, recorded for whoever finds the lock. */
  command: string;
  /** Paths in messages are shown relative to this. */
  cwd: string;
  /** One line for the user (the takeover note). */
  warn: (line: string) => void;
  pid?: number;
  host?: string;
  now?: () => Date;
  /** Whether a process of this host is running; default `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
}

/** Locks held by this process, removed on the way out even by process.exit (a second Ctrl-C). */
const held = new Map<string, string>();
let exitHookInstalled = false;

function removeHeldOnExit(): void {
  for (const [path, text] of held) {
    try {
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // Already gone or unreadable: nothing of ours to remove.
    }
  }
  held.clear();
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

type ReadResult = { kind: 'held'; info: LockInfo; text: string } | { kind: 'garbage'; reason: string; text: string } | { kind: 'gone' };

function parseLock(text: string): LockInfo | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trim() === '' ? 'the file is empty' : 'not JSON';
  }
  const v = value as Partial<LockInfo> | null;
  if (!v || typeof v !== 'object') return 'not a JSON object';
  if (typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) return 'no valid "pid"';
  if (typeof v.host !== 'string' || v.host === '') return 'no valid "host"';
  return { pid: v.pid, host: v.host, started_at: String(v.started_at ?? 'an unknown time'), command: String(v.command ?? '') };
}

async function readLock(path: string): Promise<ReadResult> {
  for (let attempt = 1; ; attempt += 1) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
      return { kind: 'garbage', reason: `cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, text: '' };
    }
    const parsed = parseLock(text);
    if (typeof parsed !== 'string') return { kind: 'held', info: parsed, text };
    // A lock being created is empty for a moment: look again before calling it garbage.
    if (attempt >= LOCK_READ_RETRIES) return { kind: 'garbage', reason: parsed, text };
    await new Promise((r) => setTimeout(r, LOCK_READ_RETRY_MS));
  }
}

async function createLock(path: string, text: string): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
  await fh.close();
}

/**
 * Removes a stale lock only if it is still the one judged stale: it is moved aside first, and
 * put back if another process had replaced it in the meantime.
 */
async function removeStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

export function heldMessage(dir: string, path: string, info: LockInfo, cwd: string, sameHost: boolean): RenderError {
  const who = `pid ${info.pid} on host ${info.host}, since ${info.started_at}`;
  const hint = info.command ? `that run is: ${info.command}` : undefined;
  if (!sameHost) {
    return new RenderError(
      'E_USAGE_LOCK',
      `${shownPath(dir, cwd)} is in use by a render run on another host (${who}); a lock from another host is never taken over. ` +
        `Wait for that run to finish, or stop it. If it is gone, delete ${shownPath(path, cwd)}`,
      hint ? { hint } : {},
    );
  }
  return new RenderError(
    'E_USAGE_LOCK',
    `${shownPath(dir, cwd)} is in use by another render run (${who}); wait for it to finish, or stop it. ` +
      `If that process is gone, delete ${shownPath(path, cwd)}`,
    hint ? { hint } : {},
  );
}

/** Takes the lock of run folder `dir` (absolute), creating the folder. Throws RenderError (exit 2). */
export async function acquireRunLock(dir: string, o: LockOptions): Promise<RunLock> {
  const path = join(dir, LOCK_PATH_IN_RUN);
  const host = o.host ?? hostname();
  const info: LockInfo = { pid: o.pid ?? process.pid, host, started_at: (o.now?.() ?? new Date()).toISOString(), command: o.command };
  const text = `${JSON.stringify(info)}\n`;
  const isAlive = o.isAlive ?? processIsAlive;
  let tookOverFrom: number | undefined;
  let created: string | undefined;

  for (let attempt = 1; attempt <= LOCK_CREATE_ATTEMPTS; attempt += 1) {
    try {
      created ??= await mkdir(dirname(path), { recursive: true });
    } catch (err) {
      throw await folderProblem(err, dir, o.cwd, dirname(path));
    }
    try {
      await createLock(path, text);
      if (tookOverFrom !== undefined) o.warn(`render: took over the lock of pid ${tookOverFrom} (no longer running)`);
      return lockHandle(dir, path, info, text, created);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // the folder was removed under us: make it again
      if (code !== 'EEXIST') throw await folderProblem(err, dir, o.cwd);
    }
    const found = await readLock(path);
    if (found.kind === 'gone') continue;
    if (found.kind === 'garbage') {
      throw new RenderError(
        'E_USAGE_LOCK',
        `${shownPath(path, o.cwd)} is not a readable render lock (${found.reason}), so ${shownPath(dir, o.cwd)} is treated as in use. ` +
          `If no render run is using that folder, delete ${shownPath(path, o.cwd)}`,
      );
    }
    if (found.info.host !== host) throw heldMessage(dir, path, found.info, o.cwd, false);
    if (isAlive(found.info.pid)) throw heldMessage(dir, path, found.info, o.cwd, true);
    await removeStale(path, found.text);
    tookOverFrom = found.info.pid;
  }
  throw new RenderError('E_USAGE_LOCK', `could not take the lock ${shownPath(path, o.cwd)}: other runs keep taking it`, {
    hint: 'wait for the other render runs on this folder to finish, then try again',
  });
}

function lockHandle(dir: string, path: string, info: LockInfo, text: string, created: string | undefined): RunLock {
  held.set(path, text);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', removeHeldOnExit);
  }
  let released = false;
  return {
    dir,
    path,
    info,
    async release() {
      if (released) return;
      released = true;
      held.delete(path);
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now === text) await unlink(path).catch(() => undefined);
      // A run that wrote nothing leaves no empty folders behind (rmdir fails on anything else).
      if (created !== undefined) {
        for (let d = dirname(path); d.length >= created.length; d = dirname(d)) {
          if (!(await rmdir(d).then(() => true, () => false))) break;
        }
      }
    },
  };
}

/** Takes every lock or none: on the first refusal the ones taken are released and it throws. */
export async function acquireRunLocks(dirs: readonly string[], o: LockOptions): Promise<RunLock[]> {
  const locks: RunLock[] = [];
  try {
    for (const dir of dirs) locks.push(await acquireRunLock(dir, o));
    return locks;
  } catch (err) {
    await releaseRunLocks(locks);
    throw err;
  }
}

export async function releaseRunLocks(locks: readonly RunLock[]): Promise<void> {
  for (const lock of locks) await lock.release();
}
