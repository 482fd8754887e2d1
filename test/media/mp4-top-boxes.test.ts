import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/media/byte-source.js';
import { topBoxes, type ByteSource } from '../../src/media/mp4-top-boxes.js';

function box(type: string, body: number): Buffer {
  const out = Buffer.alloc(8 + body);
  out.writeUInt32BE(out.length, 0);
  out.write(type, 4, 'latin1');
  return out;
}

function largeBox(type: string, body: number): Buffer {
  const out = Buffer.alloc(16 + body);
  out.writeUInt32BE(1, 0);
  out.write(type, 4, 'latin1');
  out.writeBigUInt64BE(BigInt(out.length), 8);
  return out;
}

function hugeMdat(): Buffer {
  const out = largeBox('mdat', 0);
  out.writeBigUInt64BE(2n ** 63n, 8);
  return out;
}

/** A source that records every read as [position, length]. */
function recorded(bytes: Buffer): { src: ByteSource; reads: Array<[number, number]> } {
  const inner = bufferSource(bytes);
  const reads: Array<[number, number]> = [];
  return {
    reads,
    src: {
      size: inner.size,
      read: (into, position) => {
        reads.push([position, into.length]);
        return inner.read(into, position);
      },
    },
  };
}

async function walk(src: ByteSource): Promise<string[]> {
  const out: string[] = [];
  for await (const b of topBoxes(src)) out.push(`${b.type}@${b.start}+${b.size}/${b.headerSize}`);
  return out;
}

describe('topBoxes', () => {
  it('reads only box headers, never the bodies', async () => {
    const file = Buffer.concat([box('ftyp', 8), largeBox('mdat', 100_000), box('moov', 4)]);
    const { src, reads } = recorded(file);
    await expect(walk(src)).resolves.toEqual(['ftyp@0+16/8', 'mdat@16+100016/16', 'moov@100032+12/8']);
    expect(reads).toEqual([
      [0, 8],
      [16, 8],
      [24, 8],
      [100032, 8],
    ]);
  });

  it('gives a size-0 box the rest of the file', async () => {
    const file = Buffer.concat([box('ftyp', 8), box('mdat', 50)]);
    file.writeUInt32BE(0, 16);
    await expect(walk(bufferSource(file))).resolves.toEqual(['ftyp@0+16/8', 'mdat@16+58/8']);
  });

  it.each([
    ['a box past the end of the file', Buffer.concat([box('ftyp', 8), box('mdat', 50)]).subarray(0, 40), /truncated|of at least 74/],
    ['a header cut short', Buffer.concat([box('ftyp', 8), Buffer.from('abc')]), /too few for a box header/],
    ['a box smaller than its header', Buffer.concat([box('ftyp', 8), Buffer.from([0, 0, 0, 5, 0x66, 0x72, 0x65, 0x65])]), /impossible size 5/],
    ['a largesize past 2^53', hugeMdat(), /of at least/],
    ['a non-MP4 start', Buffer.from('<html><body>no</body></html>'), /does not start with an MP4 box/],
    ['a non-printable type', Buffer.concat([box('ftyp', 8), Buffer.from([0, 0, 0, 8, 1, 2, 3, 4])]), /no box header at 16/],
  ])('rejects %s', async (_name, bytes, message) => {
    await expect(walk(bufferSource(bytes))).rejects.toThrow(message);
  });
});
