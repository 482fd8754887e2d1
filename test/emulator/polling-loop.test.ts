/**
 * The polling loop of the providers' own sample clients, written with plain fetch: create,
 * then read the status every few moments until it is no longer pending. It must end with a
 * downloadable video for all five models.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';

let em: Emulator;
let base = '';
const headers = { Authorization: 'Bearer my-key', 'Content-Type': 'application/json' };

// The samples' pause between reads moves the emulator's clock instead of sleeping.
let clockMs = Date.now();

beforeAll(async () => {
  em = await startEmulator({ jobDurationMs: { min: 150, max: 350 }, maxVideoFrames: 6, maxVideoSide: 160, now: () => clockMs });
  base = em.url;
});
afterAll(() => em.close());

const wait = async (ms: number): Promise<void> => {
  clockMs += ms;
};

/** AI/ML API docs (JS sample): POST, then GET ?generation_id until not queued/generating. */
async function aimlapiSample(body: Record<string, unknown>): Promise<string | undefined> {
  const created = (await (await fetch(`${base}/v2/video/generations`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { id?: string; generation_id?: string };
  const genId = created.id ?? created.generation_id;
  if (!genId) throw new Error('no generation id');
  for (;;) {
    const url = new URL(`${base}/v2/video/generations`);
    url.searchParams.append('generation_id', genId);
    const data = (await (await fetch(url, { headers })).json()) as { status: string; video?: { url: string } };
    if (!['waiting', 'active', 'queued', 'generating'].includes(data.status)) return data.video?.url;
    await wait(20);
  }
}

/** Krea docs: POST the model path, then GET /jobs/{job_id} until completed, failed or cancelled. */
async function kreaSample(body: Record<string, unknown>): Promise<string | undefined> {
  const { job_id } = (await (await fetch(`${base}/generate/video/kling/kling-2.5`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { job_id: string };
  for (;;) {
    const job = (await (await fetch(`${base}/jobs/${job_id}`, { headers })).json()) as { status: string; result?: { urls?: string[] } };
    if (['completed', 'failed', 'cancelled'].includes(job.status)) return job.result?.urls?.[0];
    await wait(20);
  }
}

/** Novita SDK example: POST, then GET task-result until SUCCEED or FAILED. */
async function novitaSample(body: Record<string, unknown>): Promise<string | undefined> {
  const { task_id } = (await (await fetch(`${base}/v3/async/wan-t2v`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { task_id: string };
  for (;;) {
    const res = (await (await fetch(`${base}/v3/async/task-result?task_id=${task_id}`, { headers })).json()) as {
      task: { status: string };
      videos: Array<{ video_url: string }>;
    };
    if (res.task.status === 'TASK_STATUS_SUCCEED') return res.videos[0]?.video_url;
    if (res.task.status === 'TASK_STATUS_FAILED') return undefined;
    await wait(20);
  }
}

it.each([
  ['krea/krea-wan-14b/text-to-video', () => aimlapiSample({ model: 'krea/krea-wan-14b/text-to-video', prompt: 'A menacing evil dragon', num_frames: 90 })],
  ['krea/krea-wan-14b/video-to-video', () => aimlapiSample({ model: 'krea/krea-wan-14b/video-to-video', prompt: 'winter', video_url: 'https://example.com/in.mp4', strength: 0.85 })],
  ['pixverse/v5/text-to-video', () => aimlapiSample({ model: 'pixverse/v5/text-to-video', prompt: 'a lighthouse', resolution: '540p', aspect_ratio: '9:16', duration: 8 })],
  ['kling/kling-2.5', () => kreaSample({ prompt: 'a fox', duration: 10, aspect_ratio: '9:16' })],
  ['wan-t2v', () => novitaSample({ model_name: 'wan2.1-t2v', prompt: 'a cat', width: 1280, height: 720, seed: -1 })],
])('the documented polling loop ends with a video for %s', async (_model, run) => {
  const url = await run();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const res = await fetch(url as string);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
  expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
});
