/**
 * Reads a local media file for a `data:` URI without holding it whole: fixed-size chunks (a
 * multiple of 3 bytes, so each encodes to base64 on its own, with no padding in the middle) are
 * hashed and encoded as they come. The file is checked on the open descriptor first: a regular
 * file no larger than the limit, so a FIFO, a device or a file grown since validation is refused
 * before a byte is read.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { irregularFileReason } from '../manifest/media-file-check.js';
import { formatBytes } from '../core/media-limits.js';

/** Bytes read (and encoded) at a time: 192 KiB, a multiple of 3. */
export const MEDIA_READ_CHUNK_BYTES = 3 * 64 * 1024;

/** Encodes bytes fed in pieces of any size to the same base64 as one Buffer.toString('base64'). */
export class Base64Chunker {
  private carry: Buffer = Buffer.alloc(0);

  /** The base64 of every complete 3-byte group so far; up to 2 bytes wait for the next call. */
  push(bytes: Uint8Array): string {
    const all = this.carry.length === 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.concat([this.carry, bytes]);
    const whole = all.length - (all.length % 3);
    // Copied: the caller reuses its read buffer.
    this.carry = Buffer.from(all.subarray(whole));
    return all.subarray(0, whole).toString('base64');
  }

  /** The last (padded) group. */
  end(): string {
    const rest = this.carry.toString('base64');
    this.carry = Buffer.alloc(0);
    return rest;
  }
}

export interface StreamedMedia {
  /** The file's base64, in chunks: joined only where the text is sent. */
  base64Parts: string[];
  sha256: string;
  bytes: number;
}

/** Reads `absPath` (named `shownAs` in errors) as base64 parts; refuses anything over `maxBytes`. */
export async function readMediaBase64(absPath: string, shownAs: string, maxBytes: number): Promise<StreamedMedia> {
  const file = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await file.stat();
    const irregular = irregularFileReason(stats);
    if (irregular) throw new Error(`${shownAs} ${irregular}`);
    if (stats.size > maxBytes) throw new Error(`${shownAs} is ${formatBytes(stats.size)}, over the ${formatBytes(maxBytes)} limit for inline media`);
    const hash = createHash('sha256');
    const chunker = new Base64Chunker();
    const base64Parts: string[] = [];
    const buffer = Buffer.alloc(MEDIA_READ_CHUNK_BYTES);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      if (bytes > maxBytes) throw new Error(`${shownAs} grew past the ${formatBytes(maxBytes)} limit for inline media while it was read`);
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      base64Parts.push(chunker.push(chunk));
    }
    base64Parts.push(chunker.end());
    return { base64Parts, sha256: hash.digest('hex'), bytes };
  } finally {
    await file.close();
  }
}
