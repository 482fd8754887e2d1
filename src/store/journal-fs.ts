/**
 * The file operations the journal uses, in one replaceable object: tests swap in a file whose
 * writes come up short or fail with ENOSPC or EACCES (errors root cannot provoke with chmod),
 * and the journal must cope. Everything else uses the real file system.
 */
import { open, readFile, truncate } from 'node:fs/promises';

/** The part of a FileHandle the journal appends through. */
export interface JournalFile {
  /** May write fewer bytes than asked (a full disk): the caller writes the rest. */
  write(buffer: Uint8Array, offset: number, length: number, position: null): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface JournalFs {
  readFile(path: string): Promise<string>;
  openAppend(path: string): Promise<JournalFile>;
  /** Makes `path` exactly `bytes` long with written (not sparse) bytes, and fsyncs it. */
  writeReserve(path: string, bytes: number): Promise<void>;
  /** Gives part of the reserve's space back to the file system: cuts it to `bytes`. */
  shrinkReserve(path: string, bytes: number): Promise<void>;
}

async function writeReserve(path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'w');
  try {
    // Zeros written, not a hole seeked over: the blocks are really taken from the disk.
    await fh.writeFile(Buffer.alloc(bytes));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export const journalFs: JournalFs = {
  readFile: (path) => readFile(path, 'utf8'),
  openAppend: (path) => open(path, 'a'),
  writeReserve,
  shrinkReserve: (path, bytes) => truncate(path, bytes),
};

/** Writes all of `buffer`, however many calls it takes; a write that makes no progress fails. */
export async function writeAll(file: JournalFile, buffer: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await file.write(buffer, offset, buffer.length - offset, null);
    if (!(bytesWritten > 0)) throw Object.assign(new Error('the file system accepted no bytes'), { code: 'EIO' });
    offset += bytesWritten;
  }
}
