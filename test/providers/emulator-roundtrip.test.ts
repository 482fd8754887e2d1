/**
 * Each seed model through its adapter and the HTTP client against the local emulator: submit,
 * then the documented polling loop (poll until the status is no longer pending), then the video.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import type { RenderSpec } from '../../src/manifest/types.js';
import { wireBodyText } from '../../src/providers/body.js';
import { readProviderConfigs } from '../../src/providers/config.js';
import { createDispatcher, createProviderHttp } from '../../src/providers/http-client.js';
import { adapterFor } from '../../src/providers/registry.js';
import type { JobStatus } from '../../src/providers/types.js';
import { renderSpec } from './render-fixtures.js';

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'render-roundtrip-'));
const dispatcher = createDispatcher({});

// Jobs age by this clock, moved 50 ms before each status read: every job is seen queued, then
// running, then done, however busy the machine is, and no test sleeps. Small videos: the
// adapters' work is the same whatever their size.
let clockMs = Date.now();

beforeAll(async () => {
  emulator = await startEmulator({ jobDurationMs: 400, now: () => clockMs, maxVideoFrames: 18, maxVideoSide: 160 });
});
afterAll(async () => {
  await emulator.close();
  await dispatcher.close();
  rmSync(dir, { recursive: true, force: true });
});

function renders(): Array<[string, () => RenderSpec]> {
  return [
    ['aimlapi krea-wan-14b text-to-video', () => renderSpec({ provider: 'aimlapi', model: 'krea/krea-wan-14b/text-to-video', seed: 11,
      params: { enable_prompt_expansion: true, num_frames: 18 } })],
    ['aimlapi krea-wan-14b video-to-video', () => renderSpec({ provider: 'aimlapi', model: 'krea/krea-wan-14b/video-to-video', seed: 12,
      params: { enable_prompt_expansion: true, strength: 0.85, video_url: 'in.mp4' }, media: { video_url: join(dir, 'in.mp4') } })],
    ['aimlapi pixverse v5 text-to-video', () => renderSpec({ provider: 'aimlapi', model: 'pixverse/v5/text-to-video', seed: 13,
      params: { aspect_ratio: '16:9', duration: 5, resolution: '360p' } })],
    ['krea kling 2.5', () => renderSpec({ provider: 'krea', model: 'kling/kling-2.5', seed: null, seedOrigin: 'none',
      params: { aspect_ratio: '16:9', duration: 5, mode: 'pro' } })],
    ['novita wan-t2v', () => renderSpec({ provider: 'novita', model: 'wan-t2v', seed: 14,
      params: { flow_shift: 5, guidance_scale: 5, height: 480, model_name: 'wan2.1-t2v', steps: 30, width: 832 } })],
  ];
}

interface Finished {
  status: JobStatus;
  states: string[];
  jobId: string;
  wire: string;
}

/** The documented loop: create, then poll until the status is no longer pending. */
async function runToEnd(render: RenderSpec): Promise<Finished> {
  const config = readProviderConfigs(emulator.env, dir)[render.provider];
  const adapter = adapterFor(render.provider);
  const http = createProviderHttp({ dispatcher });
  const req = adapter.submitRequest(render);
  const wire = await wireBodyText(req.body ?? {});
  const accepted = adapter.parseSubmit(await http.send(config, 'submit', req, wire));
  const states: string[] = [accepted.status.state];
  let status: JobStatus = accepted.status;
  for (let reads = 0; (status.state === 'queued' || status.state === 'running' || status.state === 'unknown') && reads < 100; reads++) {
    clockMs += 50;
    status = adapter.parseStatus(await http.send(config, 'status', adapter.statusRequest(accepted.jobId, render.model)));
    states.push(status.state);
  }
  return { status, states, jobId: accepted.jobId, wire };
}

async function download(url: string): Promise<Buffer> {
  const res = await request(url, { dispatcher });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  expect(res.statusCode).toBe(200);
  return bytes;
}

describe('adapters against the emulator', () => {
  it.each(renders())('%s: submit, poll until done, fetch the video', async (_name, make) => {
    const render = make();
    if (render.media.video_url) {
      // The input of video-to-video: a real MP4, rendered by the emulator itself.
      const first = await runToEnd(renders()[0]![1]());
      if (first.status.state !== 'succeeded') throw new Error(`input render ended ${first.status.state}`);
      writeFileSync(render.media.video_url, await download(first.status.videoUrl));
    }
    const { status, states, jobId, wire } = await runToEnd(render);
    expect(status.state, `states seen: ${states.join(' ')} ${JSON.stringify(status)}`).toBe('succeeded');
    if (status.state !== 'succeeded') return;
    expect(states).not.toContain('unknown');
    expect(states).toContain('running');
    expect((await download(status.videoUrl)).subarray(4, 8).toString('latin1')).toBe('ftyp');
    const posted = emulator.log.find((e) => e.method === 'POST' && e.provider === render.provider && e.jobId === jobId);
    expect(posted?.bodyText).toBe(wire);
  });
});

describe('emulator faults as the adapters classify them', () => {
  const t2v = (): RenderSpec => renders()[0]![1]();

  async function submitError(): Promise<unknown> {
    const render = t2v();
    const config = readProviderConfigs(emulator.env, dir)[render.provider];
    const adapter = adapterFor(render.provider);
    return createProviderHttp({ dispatcher }).send(config, 'submit', adapter.submitRequest(render)).catch((e: unknown) => e);
  }

  it.each([
    ['429 with Retry-After: not created, wait as asked', { submit429: { count: 1, retryAfterSeconds: 3 } },
      { httpStatus: 429, retryable: true, certainlyNotCreated: true, retryAfterMs: 3000 }],
    ['503: not created', { submit5xx: { count: 1, status: 503 as const } },
      { httpStatus: 503, retryable: true, certainlyNotCreated: true }],
    ['500: may have been created', { submit5xx: { count: 1, status: 500 as const } },
      { httpStatus: 500, retryable: true, certainlyNotCreated: false }],
    ['connection dropped after the job was accepted: may have been created', { submitResetAfterAccept: { count: 1 } },
      { code: 'E_PROVIDER_TRANSPORT', retryable: true, certainlyNotCreated: false }],
  ])('%s', async (_name, faults, expected) => {
    emulator.setFaults('aimlapi', faults);
    try {
      expect(await submitError()).toMatchObject({ provider: 'aimlapi', operation: 'submit', ...expected });
    } finally {
      emulator.setFaults('aimlapi', {});
    }
  });
});
