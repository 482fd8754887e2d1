/**
 * The disk is not the network: a write that fails because the disk is full, read-only or not
 * ours is reported as what it is, with the path, and never retried as a broken connection.
 */
import { displayPath } from '../store/local-state.js';

/** Errors of the local file system that no retry of the transfer can fix. */
export const DISK_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EFBIG: 'file too large for the file system',
};

export class DiskError extends Error {
  readonly code = 'E_DISK';
  constructor(
    /** The system's code, e.g. ENOSPC. */
    readonly errno: string,
    readonly path: string,
    cause?: unknown,
  ) {
    super(`${DISK_ERRORS[errno] ?? errno}: ${displayPath(path)}`, { cause });
    this.name = 'DiskError';
  }
}

/** The disk error code in `err` or its causes, if it is one. */
export function diskErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 6; depth += 1) {
    if (e instanceof DiskError) return e.errno;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in DISK_ERRORS) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
