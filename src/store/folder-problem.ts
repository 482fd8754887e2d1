/**
 * Turns a file-system error met while making a run folder into a message a user can act on:
 * which path is a file where a folder should be, or which folder cannot be written.
 */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
import { RenderError } from '../core/errors.js';

/** `p` relative to `cwd` when it lies inside it (as the user typed it), else absolute. */
export function shownPath(p: string, cwd: string): string {
  const rel = relative(cwd, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

/** The nearest path at or above `p` that exists but is not a folder. */
async function fileInTheWay(p: string): Promise<string | undefined> {
  for (let at = p; ; at = dirname(at)) {
    const s = await stat(at).catch(() => undefined);
    if (s && !s.isDirectory()) return at;
    if (dirname(at) === at) return undefined;
  }
}

/** `made` is the folder that was being created: `dir` or a folder inside it. */
export async function folderProblem(err: unknown, dir: string, cwd: string, made = dir): Promise<RenderError> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const file = (await fileInTheWay(made)) ?? dir;
    return new RenderError('E_USAGE_OUTPUT', `${shownPath(file, cwd)} is a file, not a folder, so the run cannot write to ${shownPath(dir, cwd)}`, {
      hint: `move or delete ${shownPath(file, cwd)}, or choose another output folder with --out`,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    const reason = code === 'EROFS' ? 'the file system is read-only' : 'permission denied';
    return new RenderError('E_USAGE_OUTPUT', `cannot write to ${shownPath(dir, cwd)} (${reason})`, {
      hint: `make ${shownPath(dir, cwd)} writable for this user, or choose another output folder with --out`,
    });
  }
  return new RenderError('E_USAGE_OUTPUT', `cannot create ${shownPath(dir, cwd)}: ${(err as Error).message}`, {
    hint: 'check the output folder, or choose another one with --out',
  });
}
