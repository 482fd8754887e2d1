import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeMp4 } from '../../src/media/make-mp4.js';
import { probeMp4 } from '../../src/media/probe-mp4.js';

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
});
