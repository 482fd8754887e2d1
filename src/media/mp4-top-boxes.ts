/**
 * Walks the top-level boxes of an MP4 by reading only their headers, so a caller can skip the
 * media data (mdat) without reading it. Every header is bounds-checked against the file size:
 * a box that runs past the end of the file means the file was cut off.
 */

/** Positional reads from a file or from bytes already in memory. */
export interface ByteSource {
  readonly size: number;
  /** Fills `into` with the bytes at `position`; rejects when they are not all there. */
  read(into: Uint8Array, position: number): Promise<void>;
}

export interface TopBox {
  type: string;
  /** Offset of the box's first header byte in the file. */
  start: number;
  /** Whole box, header included (size 0 in the file is resolved to "to the end of the file"). */
  size: number;
  /** 8, or 16 with a 64-bit largesize. */
  headerSize: number;
}

/** The kind of file problem found, so the caller can word its error. */
export class Mp4LayoutError extends Error {
  constructor(
    /** not-mp4: the file does not start like one; invalid: a later box header is garbage. */
    readonly kind: 'not-mp4' | 'invalid' | 'truncated',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Types a file may begin with. Without this, text or an HTML error page would read as a box
 * with a huge size and be reported as a truncated MP4 rather than as not an MP4 at all.
 */
const FIRST_TYPES = new Set(['ftyp', 'styp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pdin', 'uuid', 'moof', 'sidx', 'meta']);

/** Yields each top-level box in file order; throws Mp4LayoutError on a bad or cut-off header. */
export async function* topBoxes(src: ByteSource): AsyncGenerator<TopBox> {
  const header = new Uint8Array(16);
  const view = new DataView(header.buffer);
  for (let start = 0; start < src.size; ) {
    const left = src.size - start;
    if (left < 8) {
      if (start === 0) throw new Mp4LayoutError('not-mp4', `${left} bytes is too short`);
      throw new Mp4LayoutError('truncated', `${left} bytes at ${start} are too few for a box header`);
    }
    await src.read(header.subarray(0, 8), start);
    const type = String.fromCharCode(...header.subarray(4, 8));
    // mp4box rejects the same way: a box type is four printable ASCII characters.
    if (start === 0 && !FIRST_TYPES.has(type)) throw new Mp4LayoutError('not-mp4', 'it does not start with an MP4 box');
    if (!/^[\x20-\x7e]{4}$/.test(type)) throw new Mp4LayoutError('invalid', `no box header at ${start}`);
    let size = view.getUint32(0);
    let headerSize = 8;
    if (size === 1) {
      if (left < 16) throw new Mp4LayoutError('truncated', `'${type}' box at ${start} cut inside its header`);
      await src.read(header.subarray(8, 16), start + 8);
      const large = view.getBigUint64(8);
      // Anything past 2^53 cannot be a real file offset; the check below then rejects it.
      size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large);
      headerSize = 16;
    } else if (size === 0) {
      size = left;
    }
    if (size < headerSize) throw new Mp4LayoutError('invalid', `'${type}' box at ${start} has an impossible size ${size}`);
    if (size > left) throw new Mp4LayoutError('truncated', `${src.size} bytes of at least ${start + size} ('${type}' box at ${start})`);
    yield { type, start, size, headerSize };
    start += size;
  }
}
