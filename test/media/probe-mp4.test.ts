import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeMp4 } from '../../src/media/make-mp4.js';
import { probeMp4, probeMp4Bytes } from '../../src/media/probe-mp4.js';

let dir = '';
let good: Buffer = Buffer.alloc(0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-probe-'));
  good = await makeMp4({ width: 160, height: 96, fps: 10, frames: 20, seed: 3 });
});

async function saved(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Top-level boxes of an MP4, as [type, bytes]. */
function topBoxes(mp4: Buffer): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (let at = 0; at + 8 <= mp4.length; ) {
    const size = mp4.readUInt32BE(at);
    out.push([mp4.toString('latin1', at + 4, at + 8), mp4.subarray(at, at + size)]);
    at += size;
  }
  return out;
}

/** Rewrites ftyp/free/mdat/moov as ftyp/moov/mdat, shifting the chunk offsets (stco) to match. */
function fastStart(mp4: Buffer): Buffer {
  const boxes = new Map(topBoxes(mp4));
  const ftyp = boxes.get('ftyp');
  const mdat = boxes.get('mdat');
  const moov = Buffer.from(boxes.get('moov') ?? Buffer.alloc(0));
  if (!ftyp || !mdat || moov.length === 0) throw new Error('unexpected MP4 layout');
  const oldMdatAt = mp4.indexOf(mdat);
  const delta = ftyp.length + moov.length - oldMdatAt;
  const stco = moov.indexOf('stco', 0, 'latin1');
  const count = moov.readUInt32BE(stco + 8);
  for (let i = 0; i < count; i++) {
    const at = stco + 12 + 4 * i;
    moov.writeUInt32BE(moov.readUInt32BE(at) + delta, at);
  }
  return Buffer.concat([ftyp, moov, mdat]);
}

/** A copy of `moov` with every chunk offset (stco) moved by `delta`. */
function shiftChunks(moov: Buffer, delta: number): Buffer {
  const out = Buffer.from(moov);
  const stco = out.indexOf('stco', 0, 'latin1');
  for (let i = 0; i < out.readUInt32BE(stco + 8); i++) {
    const at = stco + 12 + 4 * i;
    out.writeUInt32BE(out.readUInt32BE(at) + delta, at);
  }
  return out;
}

/** `mp4` (moov after mdat) with mdat's header in the 64-bit form: size 1, then a largesize. */
function largesizeMdat(mp4: Buffer, claim?: bigint): Buffer {
  const parts: Buffer[] = [];
  for (const [type, bytes] of topBoxes(mp4)) {
    if (type === 'mdat') {
      const header = Buffer.alloc(16);
      header.writeUInt32BE(1, 0);
      header.write('mdat', 4, 'latin1');
      header.writeBigUInt64BE(claim ?? BigInt(bytes.length + 8), 8);
      parts.push(header, bytes.subarray(8));
    } else {
      parts.push(type === 'moov' ? shiftChunks(bytes, 8) : bytes);
    }
  }
  return Buffer.concat(parts);
}

/** A copy of `mp4` with the 32-bit size of its first `type` box set to `size`. */
function withBoxSize(mp4: Buffer, type: string, size: number): Buffer {
  const out = Buffer.from(mp4);
  const at = out.indexOf(type, 0, 'latin1') - 4;
  out.writeUInt32BE(size, at);
  return out;
}

describe('probeMp4', () => {
  it('reads size, duration, codec and frames of a whole file', async () => {
    await expect(probeMp4(await saved('good.mp4', good))).resolves.toEqual({
      width: 160,
      height: 96,
      duration_s: 2,
      codec: expect.stringMatching(/^avc1\.[0-9a-f]{6}$/),
      frames: 20,
    });
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['text', 'this is not a video\n'],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))],
    ['HTML error page', '<html><body>403 Forbidden</body></html>'],
  ])('rejects %s', async (name, bytes) => {
    await expect(probeMp4(await saved(`${name}.bin`, bytes))).rejects.toThrow(/not (an|a valid) MP4/);
  });

  it('rejects a file cut before its index', async () => {
    const cut = good.subarray(0, Math.floor(good.length / 2));
    await expect(probeMp4(await saved('cut.mp4', cut))).rejects.toThrow(/truncated|not an MP4/);
  });

  it('reads a fast-start file (index first) and rejects one whose frames are cut off', async () => {
    const fast = fastStart(good);
    await expect(probeMp4(await saved('fast.mp4', fast))).resolves.toMatchObject({ width: 160, height: 96, frames: 20 });
    // The index parses; only the frame offsets show that the media data is incomplete.
    const cut = fast.subarray(0, fast.length - 40);
    await expect(probeMp4(await saved('fast-cut.mp4', cut))).rejects.toThrow(/truncated MP4/);
  });

  it('rejects a missing file', async () => {
    await expect(probeMp4(join(dir, 'nowhere.mp4'))).rejects.toThrow(/ENOENT/);
  });
  it('reads a file whose index (moov) comes after the media data', async () => {
    const order = topBoxes(good).map(([type]) => type);
    expect(order.indexOf('moov')).toBeGreaterThan(order.indexOf('mdat'));
    const info = await probeMp4(await saved('moov-last.mp4', good));
    expect(info).toMatchObject({ width: 160, height: 96, duration_s: 2, frames: 20 });
    await expect(probeMp4Bytes(good)).resolves.toEqual(info);
  });

  it('reads an mdat with a 64-bit largesize, before or after the index', async () => {
    const info = await probeMp4(await saved('plain.mp4', good));
    const large = largesizeMdat(good);
    expect(large.readUInt32BE(large.indexOf('mdat', 0, 'latin1') - 4)).toBe(1);
    await expect(probeMp4(await saved('large.mp4', large))).resolves.toEqual(info);
    await expect(probeMp4Bytes(large)).resolves.toEqual(info);
    await expect(probeMp4(await saved('large-fast.mp4', largesizeMdat(fastStart(good))))).resolves.toEqual(info);
  });

  it('reads an mdat of size 0 (to the end of the file)', async () => {
    const fast = withBoxSize(fastStart(good), 'mdat', 0);
    await expect(probeMp4(await saved('mdat-0.mp4', fast))).resolves.toMatchObject({ frames: 20 });
  });

  it('rejects an mdat that claims more bytes than the file has', async () => {
    const fast = fastStart(good);
    const mdatSize = fast.readUInt32BE(fast.indexOf('mdat', 0, 'latin1') - 4);
    const claims = withBoxSize(fast, 'mdat', mdatSize + 1000);
    await expect(probeMp4(await saved('mdat-long.mp4', claims))).rejects.toThrow(/truncated MP4/);
    await expect(probeMp4Bytes(claims)).rejects.toThrow(/truncated MP4/);
    // moov after mdat: the over-long mdat swallows the index.
    await expect(probeMp4(await saved('mdat-long-2.mp4', withBoxSize(good, 'mdat', good.length)))).rejects.toThrow(/truncated MP4/);
    await expect(probeMp4(await saved('mdat-huge.mp4', largesizeMdat(good, 2n ** 62n)))).rejects.toThrow(/truncated MP4/);
  });

  it('rejects a garbage box size', async () => {
    for (const [name, bytes] of [
      ['size-3', withBoxSize(good, 'free', 3)],
      ['size-7', withBoxSize(good, 'moov', 7)],
      ['largesize-4', largesizeMdat(good, 4n)],
    ] as const) {
      await expect(probeMp4(await saved(`${name}.mp4`, bytes)), name).rejects.toThrow(/not a valid MP4 \(.*impossible size/);
    }
  });
});
