/**
 * Zeroes the creation and modification times in an MP4's mvhd, tkhd and mdhd boxes.
 *
 * The encoder stamps the wall clock there; everything else in its output is a pure function of
 * the frames, so zeroing these makes the same input give the same bytes (and the same sha256).
 */

/** Boxes that only contain other boxes, on the way from the top level to the ones we edit. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia']);
const TIMED = new Set(['mvhd', 'tkhd', 'mdhd']);

/** Edits `mp4` in place and returns it; throws when the box structure is broken. */
export function zeroMp4Timestamps(mp4: Buffer): Buffer {
  walk(mp4, 0, mp4.length);
  return mp4;
}

function walk(buf: Buffer, start: number, end: number): void {
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) throw new Error(`MP4 box "${type}" at ${at} has a truncated 64-bit size`);
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) throw new Error(`MP4 box "${type}" at ${at} overruns its parent`);
    if (CONTAINERS.has(type)) walk(buf, at + header, at + size);
    else if (TIMED.has(type)) zeroTimes(buf, at + header, at + size, type);
    at += size;
  }
}

/** A full box: version (1 byte) and flags (3), then the two times, 32-bit (v0) or 64-bit (v1). */
function zeroTimes(buf: Buffer, body: number, end: number, type: string): void {
  const version = buf.readUInt8(body);
  const width = version === 1 ? 8 : 4;
  if (body + 4 + 2 * width > end) throw new Error(`MP4 box "${type}" is too short`);
  buf.fill(0, body + 4, body + 4 + 2 * width);
}
