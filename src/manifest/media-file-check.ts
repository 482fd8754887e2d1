/**
 * Checks a local file named by a media param before anything is sent: it must be a regular
 * file (after symlinks), of the kind the param takes (by its first bytes), and small enough to
 * go inline. Never blocks: the type comes from stat, so a FIFO is never opened, and only the
 * first bytes of a regular file are read. Messages say what the file is, never what it holds.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { formatBytes } from '../core/media-limits.js';
import { formatList, kindOfFormat, sniffMediaFormat, SNIFF_BYTES, type MediaKind } from '../media/sniff.js';

export interface MediaFileRule {
  kind: MediaKind;
  limitBytes: number;
  /** Whose limit it is, for the message (`aimlapi`). */
  provider: string;
}

/** Fine, or what is wrong with the file, as the end of a sentence that starts with its path. */
export type MediaFileVerdict = { ok: true } | { ok: false; missing: boolean; reason: string };

/** Why `stats` is not a regular file (a folder, a FIFO, a device...), or undefined when it is one. */
export function irregularFileReason(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'is a folder, not a file';
  if (stats.isFIFO()) return 'is a FIFO, not a regular file';
  if (stats.isCharacterDevice()) return 'is a character device, not a regular file';
  if (stats.isBlockDevice()) return 'is a block device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

function errnoReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ELOOP') return 'is a symlink loop';
  if (code === 'ENOTDIR') return 'is not a file (a part of its path is not a folder)';
  return `cannot be read (${code ?? (err as Error).message})`;
}

/** Size over the limit, with exact bytes when the rounded sizes would read the same. */
function sizeReason(size: number, rule: MediaFileRule): string {
  const shown = formatBytes(size);
  const limit = formatBytes(rule.limitBytes);
  const exact = shown === limit ? `${size} bytes` : shown;
  return `is ${exact}, over the ${limit} limit of ${rule.provider} for inline media: upload it and give its https URL instead`;
}

/** The first bytes of a regular file, read without blocking; the open file is checked again. */
function readHead(absPath: string): { head: Uint8Array; stats: Stats } {
  const fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    const head = new Uint8Array(SNIFF_BYTES);
    const n = stats.isFile() ? readSync(fd, head, 0, SNIFF_BYTES, 0) : 0;
    return { head: head.subarray(0, n), stats };
  } finally {
    closeSync(fd);
  }
}

export function checkMediaFile(absPath: string, rule: MediaFileRule): MediaFileVerdict {
  let stats: Stats;
  try {
    stats = statSync(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true, reason: 'no such file' };
    return { ok: false, missing: false, reason: errnoReason(err) };
  }
  const irregular = irregularFileReason(stats);
  if (irregular) return { ok: false, missing: false, reason: irregular };
  if (stats.size > rule.limitBytes) return { ok: false, missing: false, reason: sizeReason(stats.size, rule) };
  let head: Uint8Array;
  try {
    const read = readHead(absPath);
    // Replaced between stat and open: judge what was opened.
    const changed = irregularFileReason(read.stats);
    if (changed) return { ok: false, missing: false, reason: changed };
    if (read.stats.size > rule.limitBytes) return { ok: false, missing: false, reason: sizeReason(read.stats.size, rule) };
    head = read.head;
  } catch (err) {
    return { ok: false, missing: false, reason: errnoReason(err) };
  }
  const expected = `${rule.kind === 'image' ? 'an' : 'a'} ${rule.kind} file (${formatList(rule.kind)})`;
  if (head.length === 0) return { ok: false, missing: false, reason: `is empty, not ${expected}` };
  const format = sniffMediaFormat(head);
  if (format === undefined) {
    return { ok: false, missing: false, reason: `is not ${expected}: its first bytes are not a known ${rule.kind} header` };
  }
  if (kindOfFormat(format) !== rule.kind) return { ok: false, missing: false, reason: `is ${format.startsWith('M') ? 'an' : 'a'} ${format} ${kindOfFormat(format)}, not ${expected}` };
  return { ok: true };
}
