/**
 * The emulator against the documented examples (providers.md §2-§4, §6.2, §7.2): create
 * answers, the status sequence, the completed shape, and the delivered MP4.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { makeMp4 } from '../../src/media/make-mp4.js';
import { call, download, pollToEnd, probeBytes } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
let em: Emulator;
// The emulator's jobs age by this clock: each status read moves it 25 ms, so every job is seen
// queued, then running, then done, however loaded the machine is.
let clockMs = Date.now();
const tick = (): void => {
  clockMs += 25;
};

beforeAll(async () => {
  em = await startEmulator({ jobDurationMs: 400, now: () => clockMs });
});
afterAll(() => em.close());

describe('AI/ML API', () => {
  it('krea-wan-14b text-to-video: the docs example, queued → generating → completed, 832x480 at 16 fps', async () => {
    const created = await call(em, 'POST', '/v2/video/generations', {
      model: 'krea/krea-wan-14b/text-to-video',
      prompt: 'A menacing evil dragon appears in a distance above the tallest mountain',
      num_frames: 90,
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.any(String), status: 'queued', meta: { usage: { credits_used: expect.any(Number) } } });
    const id: string = created.body.id;
    expect(id).toMatch(/^[0-9a-f-]{36}:krea\/krea-wan-14b\/text-to-video$/);
    expect(created.headers.get('x-inference-id')).toBe(id);

    const { states, last } = await pollToEnd(em, 'aimlapi', id, 25, 20_000, tick);
    expect(states).toEqual(['queued', 'generating', 'completed']);
    expect(last.body).toMatchObject({ id, status: 'completed', video: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//) }, meta: { usage: { credits_used: expect.any(Number) } } });
    expect(last.body.error ?? null).toBeNull();

    const file = await download(last.body.video.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    expect(await probeBytes(file.bytes)).toMatchObject({ width: 832, height: 480, frames: 90, duration_s: 90 / 16 });
  });

  it('krea-wan-14b video-to-video: output length follows a data: URI input, 78 frames for a remote URL', async () => {
    const input = await makeMp4({ width: 64, height: 64, fps: 16, frames: 30, seed: 5 });
    const fromData = await call(em, 'POST', '/v2/video/generations', {
      model: 'krea/krea-wan-14b/video-to-video',
      prompt: 'make it winter',
      video_url: `data:video/mp4;base64,${input.toString('base64')}`,
      strength: 0.85,
      enable_prompt_expansion: true,
      seed: 11,
    });
    expect(fromData.status).toBe(200);
    expect(fromData.body.id).toMatch(/:krea\/krea-wan-14b\/video-to-video$/);
    const remote = await call(em, 'POST', '/v2/video/generations', {
      model: 'krea/krea-wan-14b/video-to-video',
      prompt: 'make it winter',
      video_url: 'https://example.com/input.mp4',
    });
    expect(remote.status).toBe(200);

    const a = await pollToEnd(em, 'aimlapi', fromData.body.id, 25, 20_000, tick);
    const b = await pollToEnd(em, 'aimlapi', remote.body.id, 25, 20_000, tick);
    expect(a.states).toEqual(['queued', 'generating', 'completed']);
    expect(await probeBytes((await download(a.last.body.video.url)).bytes)).toMatchObject({ width: 832, height: 480, frames: 30 });
    expect(await probeBytes((await download(b.last.body.video.url)).bytes)).toMatchObject({ width: 832, height: 480, frames: 78 });
  });

  it('a video-to-video job whose input is not a video fails with a reason', async () => {
    const created = await call(em, 'POST', '/v2/video/generations', {
      model: 'krea/krea-wan-14b/video-to-video',
      prompt: 'x',
      video_url: `data:video/mp4;base64,${Buffer.from('not a video').toString('base64')}`,
    });
    const { states, last } = await pollToEnd(em, 'aimlapi', created.body.id, 25, 20_000, tick);
    expect(states.at(-1)).toBe('error');
    expect(last.body.error).toEqual({ name: 'Error', message: expect.stringMatching(/input video/) });
  });

  it('pixverse v5: queued → generating → succeeded (as its docs show), size from resolution and aspect', async () => {
    const created = await call(em, 'POST', '/v2/video/generations', {
      model: 'pixverse/v5/text-to-video',
      prompt: 'A lighthouse in a storm',
      aspect_ratio: '16:9',
      resolution: '720p',
      duration: 5,
      seed: 1123949342,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'queued', meta: { usage: { credits_used: expect.any(Number) } } });
    const { states, last } = await pollToEnd(em, 'aimlapi', created.body.id, 25, 20_000, tick);
    expect(states).toEqual(['queued', 'generating', 'succeeded']);
    const info = await probeBytes((await download(last.body.video.url)).bytes);
    expect(info).toMatchObject({ width: 1280, height: 720, frames: 5 * 24, duration_s: 5 });
  });
});

describe('Krea', () => {
  it('kling-2.5: the create example, queued → processing → completed with result.urls, 1280x720 at 24 fps', async () => {
    const created = await call(em, 'POST', '/generate/video/kling/kling-2.5', { prompt: 'A red fox running through snow', duration: 5, aspect_ratio: '16:9' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ job_id: expect.stringMatching(UUID), status: 'queued', created_at: expect.stringMatching(ISO), completed_at: null, result: null });

    const { states, last } = await pollToEnd(em, 'krea', created.body.job_id, 25, 20_000, tick);
    expect(states).toEqual(['queued', 'processing', 'completed']);
    expect(last.body).toEqual({
      job_id: created.body.job_id,
      status: 'completed',
      created_at: created.body.created_at,
      completed_at: expect.stringMatching(ISO),
      result: { urls: [expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\.mp4$/)] },
    });
    expect(await probeBytes((await download(last.body.result.urls[0])).bytes)).toMatchObject({ width: 1280, height: 720, frames: 120, duration_s: 5 });
  });
});

describe('Novita', () => {
  it('wan-t2v: {task_id}, QUEUED → PROCESSING (eta, progress) → SUCCEED with video_url_ttl "3600", 832x480, 81 frames', async () => {
    const created = await call(em, 'POST', '/v3/async/wan-t2v', {
      model_name: 'wan2.1-t2v',
      prompt: 'A cat surfing a wave',
      width: 832,
      height: 480,
      seed: 42,
      steps: 30,
      guidance_scale: 5,
      flow_shift: 5,
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ task_id: expect.any(String) });

    const seen: Array<{ status: string; eta: unknown; progress: unknown }> = [];
    let last;
    do {
      last = await call(em, 'GET', `/v3/async/task-result?task_id=${encodeURIComponent(created.body.task_id)}`);
      expect(last.status).toBe(200);
      seen.push({ status: last.body.task.status, eta: last.body.task.eta, progress: last.body.task.progress_percent });
      tick();
    } while (!['TASK_STATUS_SUCCEED', 'TASK_STATUS_FAILED'].includes(last.body.task.status));

    expect([...new Set(seen.map((s) => s.status))]).toEqual(['TASK_STATUS_QUEUED', 'TASK_STATUS_PROCESSING', 'TASK_STATUS_SUCCEED']);
    for (const s of seen) {
      expect(typeof s.eta).toBe('number');
      expect(typeof s.progress).toBe('number');
    }
    const running = seen.filter((s) => s.status === 'TASK_STATUS_PROCESSING').map((s) => s.progress as number);
    expect(running).toEqual([...running].sort((a, b) => a - b));
    expect(last.body).toMatchObject({
      extra: { seed: '42' },
      task: { task_id: created.body.task_id, task_type: 'WAN_TXT_TO_VIDEO', status: 'TASK_STATUS_SUCCEED', reason: '', eta: 0, progress_percent: 100 },
      images: [],
      videos: [{ video_url: expect.any(String), video_url_ttl: '3600', video_type: 'mp4' }],
    });
    const info = await probeBytes((await download(last.body.videos[0].video_url)).bytes);
    expect(info).toMatchObject({ width: 832, height: 480, frames: 81, duration_s: 81 / 16 });
  });

  it('wan-t2v: a portrait pair and no explicit size (forced to 832x480)', async () => {
    const portrait = await call(em, 'POST', '/v3/async/wan-t2v', { prompt: 'tall', width: 480, height: 832, seed: 1 });
    const plain = await call(em, 'POST', '/v3/async/wan-t2v', { prompt: 'default', seed: 1 });
    const a = await pollToEnd(em, 'novita', portrait.body.task_id, 25, 20_000, tick);
    const b = await pollToEnd(em, 'novita', plain.body.task_id, 25, 20_000, tick);
    expect(await probeBytes((await download(a.last.body.videos[0].video_url)).bytes)).toMatchObject({ width: 480, height: 832 });
    expect(await probeBytes((await download(b.last.body.videos[0].video_url)).bytes)).toMatchObject({ width: 832, height: 480 });
  });
});
