/**
 * Replace a file so that a reader (or a crash) only ever sees the old or the new content:
 * write a temp file beside it, fsync, rename over, fsync the folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Text handed to the file system at once when a file is written from pieces. */
const WRITE_BATCH_CHARS = 64 * 1024;

/**
 * `data` may be pieces of text (e.g. cached per-render lines): they are written in batches, so a
 * file of many megabytes is never built as one string, which a long run would redo many times.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string>,
  options: { createDir?: boolean } = {},
): Promise<void> {
  const dir = dirname(path);
  if (options.createDir ?? true) await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(temp, 'w');
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
      else await writePieces(fh, data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** Writes `pieces` in order, joined into batches of about WRITE_BATCH_CHARS (writeFile, unlike write, never stops short). */
export async function writePieces(fh: FileHandle, pieces: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    batch.push(piece);
    size += piece.length;
    if (size >= WRITE_BATCH_CHARS) {
      // Let go of the pieces before waiting on the disk, so they die young.
      const text = batch.join('');
      batch = [];
      size = 0;
      await fh.writeFile(text);
    }
  }
  if (batch.length > 0) await fh.writeFile(batch.join(''));
}

/** Flushes a file's bytes to the disk (before it is renamed into place). */
export async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename in `dir` durable. Some filesystems refuse to fsync a folder: that is fine. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Not supported here (e.g. some network filesystems); the rename itself still happened.
  }
}
