/**
 * Problems with the files a run keeps in its output folder (the journal, its reserve,
 * manifest.json): the operating system's error in words, the path, and what to do about it.
 * Bad local state is the user's to fix, so it is a one-line message with a hint, never a stack.
 */
import { RenderError } from '../core/errors.js';
import { shownPath } from './folder-problem.js';

/** Exit 2: nothing was submitted; the user fixes the folder and runs the same command again. */
export const LOCAL_STATE_CODE = 'E_USAGE_LOCAL_STATE';

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a folder on its path is a file',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

/** The errno code of a file system error, if it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the disk (or the user's quota) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = errnoOf(err);
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** "no space left on device", "permission denied"…: the error in words, without the path. */
export function fsWords(err: unknown): string {
  const code = errnoOf(err);
  if (code !== undefined && WORDS[code]) return WORDS[code];
  const message = err instanceof Error ? err.message : String(err);
  // Node's messages are "ECODE: words, syscall 'path'": keep the words.
  return message.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

/** What the user can do about `err` on `path`. */
export function fsFix(err: unknown, path: string): string {
  switch (errnoOf(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space and run the same command again';
    case 'EACCES':
    case 'EPERM':
      return `make it writable (chmod u+rw ${path}; if lsattr shows it immutable: chattr -i ${path}) and run the same command again`;
    case 'EROFS':
      return 'write the output to a writable folder (--out DIR) or remount it read-write';
    case 'EISDIR':
      return `move the folder ${path} out of the way (render keeps a file there) and run the same command again`;
    case 'ENOTDIR':
      return `make every folder on the path ${path} a folder, not a file`;
    default:
      return 'check the disk and the folder, then run the same command again';
  }
}

/** A path as the user reads it: relative to the process's working folder when inside it. */
export function displayPath(path: string): string {
  return shownPath(path, process.cwd());
}

/**
 * The output folder's files cannot be read or written as a run needs them. `what` names the
 * file ("the journal"), `did` what failed ("read", "write").
 */
export function localStateError(err: unknown, path: string, what: string, did: 'read' | 'write'): RenderError {
  const shown = displayPath(path);
  return new RenderError(LOCAL_STATE_CODE, `cannot ${did} ${what} ${shown}: ${fsWords(err)}`, {
    cause: err,
    hint: `${fsFix(err, shown)}; nothing was submitted`,
  });
}
