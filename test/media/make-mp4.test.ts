import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFile, MP4BoxBuffer } from 'mp4box';
import { describe, expect, it } from 'vitest';
import { makeMp4 } from '../../src/media/make-mp4.js';
import { probeMp4 } from '../../src/media/probe-mp4.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const dir = await mkdtemp(join(tmpdir(), 'render-media-'));

async function saved(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** mp4box on the whole buffer at once, independent of probeMp4's streaming. */
function mp4boxInfo(bytes: Buffer): { width: number; height: number; frames: number; codec: string } {
  const file = createFile();
  let out: { width: number; height: number; frames: number; codec: string } | undefined;
  file.onReady = (info) => {
    const t = info.videoTracks[0];
    if (t) out = { width: t.video?.width ?? 0, height: t.video?.height ?? 0, frames: t.nb_samples, codec: t.codec };
  };
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(ab, 0));
  file.flush();
  if (!out) throw new Error('mp4box did not read the file');
  return out;
}

describe('makeMp4', () => {
  it.each([
    [832, 480, 16, 18],
    [480, 832, 16, 30],
    [1280, 720, 24, 24],
    [64, 36, 30, 5],
  ])('encodes %ix%i at %i fps with %i frames', async (width, height, fps, frames) => {
    const bytes = await makeMp4({ width, height, fps, frames, seed: 7 });
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const info = await probeMp4(await saved(`${width}x${height}-${frames}.mp4`, bytes));
    expect(info).toEqual({ width, height, frames, duration_s: frames / fps, codec: expect.stringMatching(/^avc1\./) });
    expect(mp4boxInfo(bytes)).toMatchObject({ width, height, frames });
  });

  it('gives the same bytes for the same input and other bytes for another seed or label', async () => {
    const spec = { width: 320, height: 180, fps: 16, frames: 12, seed: 1234, label: 'a' };
    const [a, b] = await Promise.all([makeMp4(spec), makeMp4(spec)]);
    const c = await makeMp4({ ...spec, seed: 1235 });
    const d = await makeMp4({ ...spec, label: 'b' });
    expect(sha256(a)).toBe(sha256(b));
    expect(sha256(c)).not.toBe(sha256(a));
    expect(sha256(d)).not.toBe(sha256(a));
    // Beyond 2^32 (Novita seeds): still a distinct picture.
    const e = await makeMp4({ ...spec, seed: 9_999_999_999 });
    const f = await makeMp4({ ...spec, seed: 9_999_999_998 });
    expect(sha256(e)).not.toBe(sha256(f));
  });

  it('draws its caption into the frames: same caption same bytes, another caption other bytes', async () => {
    const spec = { width: 320, height: 180, fps: 8, frames: 4, seed: 7, label: 'x' };
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const a = sha(await makeMp4({ ...spec, caption: ['A LIGHTHOUSE', 'SEED 7'] }));
    expect(sha(await makeMp4({ ...spec, caption: ['A LIGHTHOUSE', 'SEED 7'] }))).toBe(a);
    expect(sha(await makeMp4({ ...spec, caption: ['A LIGHTHOUSE', 'SEED 8'] }))).not.toBe(a);
    expect(sha(await makeMp4(spec))).not.toBe(a);
  });

  it('writes no wall-clock time into the movie, track and media headers', async () => {
    const bytes = await makeMp4({ width: 64, height: 64, fps: 8, frames: 4, seed: 1 });
    for (const box of ['mvhd', 'tkhd', 'mdhd']) {
      const at = bytes.indexOf(box, 0, 'latin1');
      expect(at).toBeGreaterThan(0);
      // version+flags, then creation and modification times (version 0: 4 bytes each).
      expect(bytes.readUInt8(at + 4)).toBe(0);
      expect(bytes.readUInt32BE(at + 8)).toBe(0);
      expect(bytes.readUInt32BE(at + 12)).toBe(0);
    }
  });

  it.each([
    [{ width: 831, height: 480, fps: 16, frames: 1, seed: 1 }, /even/],
    [{ width: 832, height: 0, fps: 16, frames: 1, seed: 1 }, /even/],
    [{ width: 832, height: 480, fps: 12.5, frames: 1, seed: 1 }, /fps/],
    [{ width: 832, height: 480, fps: 16, frames: 0, seed: 1 }, /frames/],
  ])('rejects an impossible spec %j', async (spec, message) => {
    await expect(makeMp4(spec)).rejects.toThrow(message);
  });
});
