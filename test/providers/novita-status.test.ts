/** Novita answers from providers.md §7.2–§7.3 (verbatim unless marked constructed). */
import { describe, expect, it } from 'vitest';
import { novitaAdapter } from '../../src/providers/novita/adapter.js';
import type { JobStatus } from '../../src/providers/types.js';
import { pollOnce, submitOnce } from './drive.js';

const task = (fields: string) => `{"task": {"task_id": "t-1", "task_type": "WAN_TXT_TO_VIDEO", ${fields}}, "images": [], "videos": []}`;

describe('Novita create answers', () => {
  it('reads task_id; the task is queued until read', async () => {
    expect(await submitOnce('novita', '{"task_id": "8d7c0a4e-task"}')).toEqual({
      jobId: '8d7c0a4e-task', status: { state: 'queued', providerStatus: 'accepted' }, metadata: {},
    });
  });

  it('a 2xx carrying {reason, message} instead of a task is an unreadable submit, not retried', async () => {
    const err = await submitOnce('novita', '{"code": 400, "reason": "INVALID_REQUEST_BODY", "message": "width is invalid"}').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_PROVIDER_RESPONSE', retryable: false, certainlyNotCreated: false });
    expect((err as Error).message).toContain('INVALID_REQUEST_BODY: width is invalid');
  });
});

describe('Novita status answers', () => {
  it.each<[string, string, JobStatus]>([
    ['succeeded (verbatim), video_url_ttl as a string',
      '{"task": {"task_id": "{Returned Task ID}", "task_type": "WAN_TXT_TO_VIDEO", "status": "TASK_STATUS_SUCCEED", "reason": "", "eta": 0, "progress_percent": 100}, "images": [], "videos": [{"video_url": "{The URL of the generated video}", "video_url_ttl": "3600", "video_type": "mp4"}]}',
      { state: 'succeeded', providerStatus: 'TASK_STATUS_SUCCEED', videoUrl: '{The URL of the generated video}', metadata: { urlTtlSeconds: 3600 } }],
    ['succeeded with a numeric ttl and extra.seed',
      '{"extra": {"seed": "4242"}, "task": {"task_id": "t", "status": "TASK_STATUS_SUCCEED"}, "videos": [{"video_url": "https://x/v.mp4", "video_url_ttl": 600}]}',
      { state: 'succeeded', providerStatus: 'TASK_STATUS_SUCCEED', videoUrl: 'https://x/v.mp4', metadata: { urlTtlSeconds: 600, returnedSeed: '4242' } }],
    ['queued (constructed)', task('"status": "TASK_STATUS_QUEUED", "reason": "", "eta": 120, "progress_percent": 0'),
      { state: 'queued', providerStatus: 'TASK_STATUS_QUEUED', etaSeconds: 120 }],
    ['processing (constructed)', task('"status": "TASK_STATUS_PROCESSING", "reason": "", "eta": 45, "progress_percent": 40'),
      { state: 'running', providerStatus: 'TASK_STATUS_PROCESSING', etaSeconds: 45, progress: 0.4 }],
    ['failed (constructed)', task('"status": "TASK_STATUS_FAILED", "reason": "<error message>", "eta": 0, "progress_percent": 0'),
      { state: 'failed', providerStatus: 'TASK_STATUS_FAILED', reason: '<error message>', metadata: {} }],
    ['failed without a reason', task('"status": "TASK_STATUS_FAILED", "reason": ""'),
      { state: 'failed', providerStatus: 'TASK_STATUS_FAILED', reason: 'task failed without a reason', metadata: {} }],
    ['TASK_STATUS_UNKNOWN (SDK only)', task('"status": "TASK_STATUS_UNKNOWN"'), { state: 'unknown', providerStatus: 'TASK_STATUS_UNKNOWN' }],
    ['succeeded without a video keeps polling', task('"status": "TASK_STATUS_SUCCEED"'), { state: 'unknown', providerStatus: 'TASK_STATUS_SUCCEED' }],
  ])('%s', async (_name, body, expected) => {
    expect((await pollOnce('novita', 't-1', body)).status).toEqual(expected);
  });

  it('reads /v3/async/task-result?task_id=<id>, with Content-Type as the docs require', async () => {
    const { seen } = await pollOnce('novita', 'a b/c', task('"status": "TASK_STATUS_QUEUED"'));
    expect(`${seen.method} ${seen.path}`).toBe('GET /v3/async/task-result?task_id=a%20b%2Fc');
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('turns task.eta into a polling hint', async () => {
    const { status } = await pollOnce('novita', 't-1', task('"status": "TASK_STATUS_QUEUED", "eta": 120'));
    expect(novitaAdapter.pollHintMs?.(status)).toBe(120_000);
    expect(novitaAdapter.pollHintMs?.({ state: 'succeeded', providerStatus: 'x', videoUrl: 'u', metadata: {} })).toBeUndefined();
  });
});
