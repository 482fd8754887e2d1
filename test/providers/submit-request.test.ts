/**
 * The submit request for each of the five seed models, byte for byte: fixed fields first, params
 * in sorted order, the seed last (none for Kling 2.5), local media inlined as data: URIs on the
 * wire and recorded as file references.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderSpec } from '../../src/manifest/types.js';
import { recordedBody, requestSha256, wireBodyText } from '../../src/providers/body.js';
import { adapterFor } from '../../src/providers/registry.js';
import { LocalMedia } from '../../src/providers/types.js';
import { renderSpec } from './render-fixtures.js';

const VIDEO_BYTES = Buffer.from('not really an mp4, but bytes all the same');
const IMAGE_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
// Written at load time: the it.each tables below are built before any hook runs.
const dir = mkdtempSync(join(tmpdir(), 'render-providers-'));
writeFileSync(join(dir, 'in.mp4'), VIDEO_BYTES);
writeFileSync(join(dir, 'first.PNG'), IMAGE_BYTES);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROMPT = 'a lighthouse at dusk, waves';

function models(): Array<[string, RenderSpec, string, string]> {
  return [
    ['aimlapi krea-wan-14b text-to-video',
      renderSpec({ provider: 'aimlapi', model: 'krea/krea-wan-14b/text-to-video', seed: 1234,
        params: { num_frames: 78, enable_prompt_expansion: true } }),
      '/v2/video/generations',
      `{"model":"krea/krea-wan-14b/text-to-video","prompt":"${PROMPT}","enable_prompt_expansion":true,"num_frames":78,"seed":1234}`],
    ['aimlapi krea-wan-14b video-to-video with a local video',
      renderSpec({ provider: 'aimlapi', model: 'krea/krea-wan-14b/video-to-video', seed: 0,
        params: { video_url: 'clips/in.mp4', strength: 0.85, enable_prompt_expansion: true },
        media: { video_url: join(dir, 'in.mp4') } }),
      '/v2/video/generations',
      `{"model":"krea/krea-wan-14b/video-to-video","prompt":"${PROMPT}","enable_prompt_expansion":true,"strength":0.85,` +
        `"video_url":"data:video/mp4;base64,${VIDEO_BYTES.toString('base64')}","seed":0}`],
    ['aimlapi pixverse v5 text-to-video',
      renderSpec({ provider: 'aimlapi', model: 'pixverse/v5/text-to-video', seed: 2147483647,
        params: { resolution: '720p', duration: 5, aspect_ratio: '16:9', negative_prompt: 'blur' } }),
      '/v2/video/generations',
      `{"model":"pixverse/v5/text-to-video","prompt":"${PROMPT}","aspect_ratio":"16:9","duration":5,"negative_prompt":"blur","resolution":"720p","seed":2147483647}`],
    ['krea kling 2.5 with a local start image, no seed',
      renderSpec({ provider: 'krea', model: 'kling/kling-2.5', seed: null, seedOrigin: 'none', take: 2,
        params: { start_image: 'frames/first.PNG', mode: 'pro', duration: 5, aspect_ratio: '9:16' },
        media: { start_image: join(dir, 'first.PNG') } }),
      '/generate/video/kling/kling-2.5',
      `{"prompt":"${PROMPT}","aspect_ratio":"9:16","duration":5,"mode":"pro","start_image":"data:image/png;base64,${IMAGE_BYTES.toString('base64')}"}`],
    ['novita wan-t2v with loras',
      renderSpec({ provider: 'novita', model: 'wan-t2v', seed: 9999999999,
        params: { width: 832, height: 480, steps: 30, guidance_scale: 5.0, flow_shift: 5.0, model_name: 'wan2.1-t2v',
          loras: [{ scale: 1.2, path: 'Remade-AI/Cyberpunk' }], enable_safety_checker: true, fast_mode: false } }),
      '/v3/async/wan-t2v',
      `{"prompt":"${PROMPT}","enable_safety_checker":true,"fast_mode":false,"flow_shift":5,"guidance_scale":5,"height":480,` +
        `"loras":[{"path":"Remade-AI/Cyberpunk","scale":1.2}],"model_name":"wan2.1-t2v","steps":30,"width":832,"seed":9999999999}`],
  ];
}

describe('submit requests for the seed models', () => {
  it.each(models().map((m) => [m[0], m] as const))('%s', async (_name, [, render, path, bytes]) => {
    const adapter = adapterFor(render.provider);
    const req = adapter.submitRequest(render);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(path);
    expect(await wireBodyText(req.body ?? {})).toBe(bytes);
    // The same render, built again, gives the same bytes and the same request identity.
    const again = adapter.submitRequest(structuredClone(render));
    const text = await wireBodyText(again.body ?? {});
    expect(text).toBe(bytes);
    expect(requestSha256(render.provider, 'POST', again.path, text)).toBe(requestSha256(render.provider, 'POST', path, bytes));
  });

  it('keeps local media as LocalMedia in the body and records it as a file reference', async () => {
    const [, render] = models()[1] ?? [];
    if (!render) throw new Error('fixture missing');
    const body = adapterFor('aimlapi').submitRequest(render).body ?? {};
    expect(body.video_url).toEqual(new LocalMedia('clips/in.mp4', join(dir, 'in.mp4')));
    expect((await recordedBody(body)).video_url).toEqual({
      $file: 'clips/in.mp4',
      sha256: createHash('sha256').update(VIDEO_BYTES).digest('hex'),
      bytes: VIDEO_BYTES.length,
      mime: 'video/mp4',
    });
  });

  it('does not depend on the order of params or of keys inside nested objects', async () => {
    const a = renderSpec({ provider: 'novita', model: 'wan-t2v', params: { width: 832, height: 480, loras: [{ path: 'p', scale: 1 }] } });
    const b = renderSpec({ provider: 'novita', model: 'wan-t2v', params: { loras: [{ scale: 1, path: 'p' }], height: 480, width: 832 } });
    const text = async (r: RenderSpec) => wireBodyText(adapterFor('novita').submitRequest(r).body ?? {});
    expect(await text(a)).toBe(await text(b));
  });
});

describe('models render has no schema for', () => {
  it('passes an AI/ML API model\'s params through unchanged, without a seed when there is none', async () => {
    const render = renderSpec({ provider: 'aimlapi', model: 'minimax/hailuo-02', knownModel: false, seed: null, seedOrigin: 'none',
      params: { prompt_optimizer: true, duration: '6', extra: { b: 1, a: [3, 2] } } });
    const req = adapterFor('aimlapi').submitRequest(render);
    expect(await wireBodyText(req.body ?? {})).toBe(
      `{"model":"minimax/hailuo-02","prompt":"${PROMPT}","duration":"6","extra":{"a":[3,2],"b":1},"prompt_optimizer":true}`);
  });

  it('keeps a seed the user put in params when the render has no seed of its own', async () => {
    const render = renderSpec({ provider: 'aimlapi', model: 'vendor/new-model', knownModel: false, seed: null, seedOrigin: 'none',
      params: { seed: 5 } });
    expect(await wireBodyText(adapterFor('aimlapi').submitRequest(render).body ?? {})).toBe(
      `{"model":"vendor/new-model","prompt":"${PROMPT}","seed":5}`);
  });

  it('sends the seed to a Krea model that takes one, in the model\'s path', async () => {
    const render = renderSpec({ provider: 'krea', model: 'runway/gen-4.5', knownModel: false, seed: 42, params: { duration: 5 } });
    const req = adapterFor('krea').submitRequest(render);
    expect(req.path).toBe('/generate/video/runway/gen-4.5');
    expect(await wireBodyText(req.body ?? {})).toBe(`{"prompt":"${PROMPT}","duration":5,"seed":42}`);
  });

  it('never lets a param override the model, the prompt or the seed', async () => {
    const render = renderSpec({ provider: 'aimlapi', model: 'vendor/m', knownModel: false, seed: 9,
      params: { model: 'other', prompt: 'other', seed: 1 } });
    expect(await wireBodyText(adapterFor('aimlapi').submitRequest(render).body ?? {})).toBe(
      `{"model":"vendor/m","prompt":"${PROMPT}","seed":9}`);
  });
});
