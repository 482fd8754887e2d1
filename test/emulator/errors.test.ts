/** Invalid requests, missing auth and unknown ids: each provider's status code and error body. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { AUTH, call, type Provider } from './helpers.js';

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ jobDurationMs: 100 });
});
afterAll(() => em.close());

const AIML = '/v2/video/generations';
const t2v = { model: 'krea/krea-wan-14b/text-to-video', prompt: 'p' };
const pix = { model: 'pixverse/v5/text-to-video', prompt: 'p' };
const v2v = { model: 'krea/krea-wan-14b/video-to-video', prompt: 'p', video_url: 'https://example.com/a.mp4' };

/** AI/ML API general error body (providers.md §1.5). */
const aimlError = (status: number, fragment: RegExp) => ({
  message: expect.stringMatching(fragment),
  path: expect.any(String),
  requestId: expect.any(String),
  statusCode: status,
  timestamp: expect.any(String),
});

describe('AI/ML API validation answers 400 "Body validation error!"', () => {
  it.each([
    ['an unknown model', { model: 'acme/video', prompt: 'p' }, /model/],
    ['no model', { prompt: 'p' }, /model/],
    ['no prompt', { model: t2v.model }, /Required at "prompt"/],
    ['a prompt that is not a string', { ...t2v, prompt: 3 }, /Expected string, received number/],
    ['num_frames not 12k+6', { ...t2v, num_frames: 80 }, /num_frames/],
    ['num_frames above 162', { ...t2v, num_frames: 174 }, /num_frames/],
    ['enable_prompt_expansion as a string', { ...t2v, enable_prompt_expansion: 'yes' }, /Expected boolean/],
    ['a fractional seed', { ...t2v, seed: 1.5 }, /Expected integer/],
    ['strength above 1', { ...v2v, strength: 1.2 }, /strength/],
    ['strength below 0', { ...v2v, strength: -0.1 }, /strength/],
    ['no video_url', { model: v2v.model, prompt: 'p' }, /Required at "video_url"/],
    ['a video_url that is no URL', { ...v2v, video_url: 'input.mp4' }, /Invalid url/],
    ['a PixVerse aspect ratio outside the enum', { ...pix, aspect_ratio: '21:9' }, /Invalid enum value\. Expected '16:9' \| '4:3' \| '1:1' \| '3:4' \| '9:16', received '21:9'/],
    ['a PixVerse resolution outside the enum', { ...pix, resolution: '4k' }, /Invalid enum value/],
    ['a PixVerse duration of 10', { ...pix, duration: 10 }, /duration/],
    ['PixVerse 1080p for 8 seconds', { ...pix, resolution: '1080p', duration: 8 }, /1080p quality option does not support 8-second videos/],
    ['a PixVerse style outside the enum', { ...pix, style: 'oil' }, /style/],
    ['an unknown lip-sync speaker', { ...pix, lip_sync_tts_speaker: 'Bob' }, /lip_sync_tts_speaker/],
    ['a body that is not JSON', '{"model": ', /Body validation error/],
  ])('rejects %s', async (_name, body, fragment) => {
    const r = await call(em, 'POST', AIML, body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual(aimlError(400, /^Body validation error!/));
    expect(r.body.message).toMatch(fragment);
  });

  it.each([
    ['all defaults', t2v],
    ['every documented t2v field', { ...t2v, num_frames: 162, enable_prompt_expansion: false, seed: 2147483647 }],
    ['strength at its bounds', { ...v2v, strength: 0 }],
    ['PixVerse duration as the schema default string "5"', { ...pix, duration: '5' }],
    ['PixVerse 1080p for 5 seconds', { ...pix, resolution: '1080p', duration: 5, style: 'clay', lip_sync_tts_speaker: 'Auto' }],
    ['fields it does not know (ignored, as the service strips them)', { ...t2v, foo: 1 }],
  ])('accepts %s', async (_name, body) => {
    const r = await call(em, 'POST', AIML, body);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('queued');
  });
});

describe('Krea validation answers 400 {"error": string}', () => {
  const path = '/generate/video/kling/kling-2.5';
  it.each([
    ['no prompt', { duration: 5 }, /prompt/],
    ['a seed (no such field: additionalProperties is false)', { prompt: 'p', seed: 1 }, /"seed" is not allowed/],
    ['width, height and fps from the old example page', { prompt: 'p', width: 1280, height: 720, fps: 24 }, /"width" is not allowed/],
    ['a deprecated camelCase alias', { prompt: 'p', aspectRatio: '16:9' }, /"aspectRatio" is not allowed/],
    ['a duration of 7', { prompt: 'p', duration: 7 }, /duration/],
    ['an aspect ratio outside 16:9, 9:16, 1:1', { prompt: 'p', aspect_ratio: '4:3' }, /aspect_ratio/],
    ['a mode other than pro', { prompt: 'p', mode: 'std' }, /mode/],
    ['a start_image that is no URL', { prompt: 'p', start_image: 'frame.png' }, /start_image/],
  ])('rejects %s', async (_name, body, fragment) => {
    const r = await call(em, 'POST', path, body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: expect.stringMatching(fragment) });
  });

  it('accepts every documented field', async () => {
    const r = await call(em, 'POST', path, {
      prompt: 'p',
      aspect_ratio: '1:1',
      duration: 10,
      mode: 'pro',
      start_image: 'data:image/png;base64,iVBORw0KGgo=',
      end_image: 'https://example.com/end.png',
      start_video: null,
    });
    expect(r.status).toBe(200);
  });

  it('answers 404 {"error"} for another Krea model path it does not serve', async () => {
    const r = await call(em, 'POST', '/generate/video/kling/kling-9', { prompt: 'p' });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: expect.any(String) });
  });
});

describe('Novita validation answers 400 {code, reason: INVALID_REQUEST_BODY, message, metadata}', () => {
  const path = '/v3/async/wan-t2v';
  it.each([
    ['no prompt', { width: 832, height: 480 }, /prompt/],
    ['a prompt over 2000 characters', { prompt: 'x'.repeat(2001) }, /prompt/],
    ['an unpaired size', { prompt: 'p', width: 832, height: 720 }, /832x480, 480x832, 1280x720, 720x1280/],
    ['a width outside the list', { prompt: 'p', width: 640, height: 480 }, /width/],
    ['a seed below -1', { prompt: 'p', seed: -2 }, /seed/],
    ['a seed above 9999999999', { prompt: 'p', seed: 10_000_000_000 }, /seed/],
    ['steps above 40', { prompt: 'p', steps: 41 }, /steps/],
    ['guidance_scale above 10', { prompt: 'p', guidance_scale: 10.5 }, /guidance_scale/],
    ['flow_shift below 1', { prompt: 'p', flow_shift: 0.5 }, /flow_shift/],
    ['four LoRAs', { prompt: 'p', loras: [1, 2, 3, 4].map((i) => ({ path: `a/${i}`, scale: 1 })) }, /loras/],
    ['a LoRA scale above 4', { prompt: 'p', loras: [{ path: 'Remade-AI/Cyberpunk', scale: 4.5 }] }, /loras\.0\.scale/],
    ['a LoRA without path', { prompt: 'p', loras: [{ scale: 1 }] }, /loras\.0\.path/],
    ['an unknown model_name', { prompt: 'p', model_name: 'wan9' }, /model_name/],
  ])('rejects %s', async (_name, body, fragment) => {
    const r = await call(em, 'POST', path, body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 400, reason: 'INVALID_REQUEST_BODY', message: expect.stringMatching(fragment), metadata: {} });
  });

  it('accepts the full documented body, a 10-digit seed and the SDK extras', async () => {
    const r = await call(em, 'POST', path, {
      model_name: 'wan2.1-t2v',
      prompt: 'p',
      negative_prompt: 'blur',
      width: 1280,
      height: 720,
      seed: 9_999_999_999,
      steps: 40,
      guidance_scale: 0,
      flow_shift: 10,
      loras: [{ path: 'Remade-AI/Cyberpunk', scale: 4 }],
      enable_safety_checker: true,
      fast_mode: false,
      extra: { webhook: { url: 'https://example.com/hook' } },
      frames: 85,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ task_id: expect.any(String) });
  });
});

describe('credentials', () => {
  const requests: Array<[Provider, 'GET' | 'POST', string, unknown]> = [
    ['aimlapi', 'POST', AIML, t2v],
    ['aimlapi', 'GET', `${AIML}?generation_id=x`, undefined],
    ['krea', 'POST', '/generate/video/kling/kling-2.5', { prompt: 'p' }],
    ['krea', 'GET', '/jobs/3c90c3cc-0d44-4b50-8888-8dd25736052a', undefined],
    ['novita', 'POST', '/v3/async/wan-t2v', { prompt: 'p' }],
    ['novita', 'GET', '/v3/async/task-result?task_id=x', undefined],
  ];
  const noKey = [
    ['no Authorization header', { 'content-type': 'application/json' }],
    ['an empty bearer token', { 'content-type': 'application/json', authorization: 'Bearer ' }],
  ] as const;

  it.each(requests.flatMap((r) => noKey.map(([why, headers]) => [...r, why, headers] as const)))(
    '%s %s %s with %s is refused with the provider\'s body',
    async (provider, method, path, body, _why, headers) => {
      const r = await call(em, method, path, body, { ...headers });
      if (provider === 'aimlapi') {
        expect(r.status).toBe(401);
        expect(r.body).toEqual(aimlError(401, /requires a valid API key/));
      } else if (provider === 'krea') {
        expect(r.status).toBe(401);
        expect(r.body).toEqual({ error: 'You are not authenticated.' });
      } else {
        // Novita's catalogue: MISSING_API_KEY is a 400 (providers.md §7.4).
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ code: 400, reason: 'MISSING_API_KEY', message: expect.any(String), metadata: {} });
      }
    },
  );

  it('accepts any non-empty key, and Novita the bare key its SDK sends', async () => {
    expect((await call(em, 'POST', AIML, t2v, { ...AUTH, authorization: 'Bearer anything-at-all' })).status).toBe(200);
    expect((await call(em, 'POST', '/v3/async/wan-t2v', { prompt: 'p' }, { 'content-type': 'application/json', authorization: 'sk_raw' })).status).toBe(200);
  });

  it('never writes the Authorization header into the request log', () => {
    expect(JSON.stringify(em.log)).not.toContain('test-key');
    expect(JSON.stringify(em.log)).not.toContain('anything-at-all');
  });
});

describe('unknown job ids answer each provider\'s 404', () => {
  it('AI/ML API', async () => {
    const r = await call(em, 'GET', `${AIML}?generation_id=${encodeURIComponent('67b69e0c-922f-4eae-9b90-8c4605131d3b:krea/krea-wan-14b/text-to-video')}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual(aimlError(404, /./));
  });
  it('AI/ML API without generation_id: 400', async () => {
    const r = await call(em, 'GET', AIML);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/generation_id/);
  });
  it('Krea', async () => {
    const r = await call(em, 'GET', '/jobs/550e8400-e29b-41d4-a716-446655440000');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: expect.any(String) });
  });
  it('Novita', async () => {
    const r = await call(em, 'GET', '/v3/async/task-result?task_id=nope');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 404, reason: 'TASK_NOT_FOUND', message: expect.any(String), metadata: {} });
  });
  it('a job of one provider is not found through another', async () => {
    const created = await call(em, 'POST', '/v3/async/wan-t2v', { prompt: 'p' });
    const r = await call(em, 'GET', `/jobs/${created.body.task_id}`);
    expect(r.status).toBe(404);
  });
});
