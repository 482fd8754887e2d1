/** ByteSources for the MP4 box walker: an open file (positional reads) or a Buffer in memory. */
import type { FileHandle } from 'node:fs/promises';
import type { ByteSource } from './mp4-top-boxes.js';

/** Reads from `fh` at positions; the caller owns the handle and closes it. */
export function fileSource(fh: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(into, position) {
      // A positional read may return short; loop until filled or the file ends early.
      for (let done = 0; done < into.length; ) {
        const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
        if (bytesRead === 0) throw new Error(`file ended at ${position + done} (it shrank while being read)`);
        done += bytesRead;
      }
    },
  };
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    async read(into, position) {
      if (position + into.length > bytes.length) throw new Error(`read past the end at ${position}`);
      into.set(bytes.subarray(position, position + into.length));
    },
  };
}
