/** The emulator's result files: deterministic per request, different per seed, byte ranges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { call, createPath, download, jobIdOf, pollToEnd, probeBytes, sha256, videoUrlOf, type Provider } from './helpers.js';

let em: Emulator;
// Every emulator here ages its jobs by this clock, moved 30 ms per status read: no test sleeps.
let clockMs = Date.now();
const now = (): number => clockMs;
const tick = (): void => {
  clockMs += 30;
};
beforeAll(async () => {
  em = await startEmulator({ jobDurationMs: 60, maxVideoFrames: 6, now });
});
afterAll(() => em.close());

async function render(p: Provider, body: Record<string, unknown>, on: Emulator = em): Promise<Buffer> {
  const created = await call(on, 'POST', createPath(p), body);
  expect(created.status).toBe(200);
  const { last } = await pollToEnd(on, p, jobIdOf(p, created), 0, 20_000, tick);
  const url = videoUrlOf(p, last);
  if (!url) throw new Error(last.text);
  return (await download(url)).bytes;
}

describe('determinism', () => {
  it.each([
    ['aimlapi', { model: 'krea/krea-wan-14b/text-to-video', prompt: 'dragon', num_frames: 18, seed: 7 }],
    ['aimlapi', { model: 'pixverse/v5/text-to-video', prompt: 'lighthouse', resolution: '360p', duration: 5, seed: 7 }],
    ['novita', { prompt: 'cat', width: 832, height: 480, seed: 9_876_543_210 }],
  ] as const)('%s: the same request gives the same sha256, another seed a different one', async (p, body) => {
    const a = await render(p, body);
    const b = await render(p, { ...body });
    const c = await render(p, { ...body, seed: body.seed + 1 });
    expect(sha256(a)).toBe(sha256(b));
    expect(sha256(c)).not.toBe(sha256(a));
  });

  it('the same request gives the same bytes on another emulator instance (key order ignored)', async () => {
    const other = await startEmulator({ jobDurationMs: 60, maxVideoFrames: 6, now });
    try {
      const a = await render('aimlapi', { model: 'krea/krea-wan-14b/text-to-video', prompt: 'dragon', num_frames: 30, seed: 3 });
      const b = await render('aimlapi', { seed: 3, num_frames: 30, prompt: 'dragon', model: 'krea/krea-wan-14b/text-to-video' }, other);
      expect(sha256(a)).toBe(sha256(b));
    } finally {
      await other.close();
    }
  });

  it('another prompt with the same seed gives another picture', async () => {
    const a = await render('novita', { prompt: 'cat', seed: 5 });
    const b = await render('novita', { prompt: 'dog', seed: 5 });
    expect(sha256(a)).not.toBe(sha256(b));
  });

  it('Kling 2.5 has no seed: repeats of one request are distinct draws, reproducible per emulator run', async () => {
    const body = { prompt: 'fox', duration: 5, aspect_ratio: '1:1' };
    const first = await render('krea', body);
    const second = await render('krea', body);
    expect(sha256(first)).not.toBe(sha256(second));
    const other = await startEmulator({ jobDurationMs: 60, maxVideoFrames: 6, now });
    try {
      expect(sha256(await render('krea', body, other))).toBe(sha256(first));
    } finally {
      await other.close();
    }
    expect(await probeBytes(first)).toMatchObject({ width: 960, height: 960, frames: 6 });
  });

  it('maxVideoSide scales the picture down, aspect kept, sides even', async () => {
    const small = await startEmulator({ jobDurationMs: 60, maxVideoFrames: 2, maxVideoSide: 100, now });
    try {
      const wide = await render('novita', { prompt: 'cat', width: 832, height: 480, seed: 9 }, small);
      expect(await probeBytes(wide)).toMatchObject({ width: 100, height: 58, frames: 2 });
      const square = await render('krea', { prompt: 'fox', duration: 5, aspect_ratio: '1:1' }, small);
      expect(await probeBytes(square)).toMatchObject({ width: 100, height: 100 });
    } finally {
      await small.close();
    }
  });
});

describe('downloads', () => {
  let url = '';
  let whole: Buffer = Buffer.alloc(0);
  beforeAll(async () => {
    const created = await call(em, 'POST', createPath('aimlapi'), { model: 'krea/krea-wan-14b/text-to-video', prompt: 'range', num_frames: 18, seed: 1 });
    const { last } = await pollToEnd(em, 'aimlapi', created.body.id, 0, 20_000, tick);
    url = last.body.video.url;
    const res = await download(url);
    whole = res.bytes;
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(res.headers.get('content-length'))).toBe(whole.length);
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=100-', 100, -1],
    ['bytes=-50', -50, -1],
  ])('%s answers 206 with Content-Range', async (range, from, to) => {
    const start = from < 0 ? whole.length + from : from;
    const end = to < 0 ? whole.length - 1 : to;
    const res = await download(url, { range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${whole.length}`);
    expect(Number(res.headers.get('content-length'))).toBe(end - start + 1);
    expect(res.bytes.equals(whole.subarray(start, end + 1))).toBe(true);
  });

  it('a range past the end answers 416 with the size', async () => {
    const res = await download(url, { range: `bytes=${whole.length}-` });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${whole.length}`);
  });

  it('resuming a download with a range gives the whole file', async () => {
    const head = whole.subarray(0, 1000);
    const tail = await download(url, { range: `bytes=${head.length}-` });
    expect(Buffer.concat([head, tail.bytes]).equals(whole)).toBe(true);
  });

  it('HEAD gives the headers without a body', async () => {
    const res = await fetch(url, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(whole.length);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('an unknown media URL answers 404 and the log records downloads under "media"', async () => {
    expect((await download(`${em.url}/media/deadbeef/1/output.mp4`)).status).toBe(404);
    expect(em.log.some((l) => l.provider === 'media' && l.status === 206 && l.jobId !== undefined)).toBe(true);
  });
});

describe('what an emulated take shows', () => {
  it('is captioned with the start of its prompt and its seed, or its take for a model without one', async () => {
    const { captionOf } = await import('../../src/emulator/media-store.js');
    expect(captionOf({ prompt: 'a lighthouse  in a\nstorm', video: { seed: '11' } })).toEqual(['a lighthouse in a storm', 'SEED 11']);
    expect(captionOf({ prompt: 'an eagle soars over snow-capped mountains at sunrise', video: { seed: 'repeat-1' } })).toEqual(['an eagle soars over sno...', 'TAKE 2']);
  });
});
