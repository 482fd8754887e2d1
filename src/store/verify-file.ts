/** Is the file on disk the one recorded? Size first (cheap), then sha256 of every byte. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function fileMatches(path: string, expected: { bytes: number; sha256: string }): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size !== expected.bytes) return false;
    return (await sha256OfFile(path)) === expected.sha256;
  } catch {
    return false;
  }
}
