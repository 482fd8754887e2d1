/** Krea answers from providers.md §6.3–§6.5 (verbatim unless marked constructed). */
import { describe, expect, it } from 'vitest';
import { kreaAdapter } from '../../src/providers/krea/adapter.js';
import { parseEstimatedTime, timeTaken } from '../../src/providers/krea/status.js';
import type { JobStatus, SubmitAccepted } from '../../src/providers/types.js';
import { pollOnce, submitOnce } from './drive.js';

const JOB = '550e8400-e29b-41d4-a716-446655440000';

describe('Krea create answers', () => {
  it.each<[string, string, SubmitAccepted]>([
    ['schema example (verbatim)',
      '{"job_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "status": "queued", "created_at": "2023-11-07T05:31:56Z", "completed_at": null, "result": null}',
      { jobId: '3c90c3cc-0d44-4b50-8888-8dd25736052a', status: { state: 'queued', providerStatus: 'queued' }, metadata: {} }],
    ['example page with estimated_time (verbatim)',
      `{"job_id": "${JOB}", "status": "queued", "created_at": "2025-01-15T10:30:00.000Z", "estimated_time": "60-120 seconds"}`,
      { jobId: JOB, status: { state: 'queued', providerStatus: 'queued', etaSeconds: 60 }, metadata: {} }],
    ['backlogged behind the concurrency limit (constructed)',
      `{"job_id": "${JOB}", "status": "backlogged", "created_at": "2025-01-15T10:30:00.000Z", "completed_at": null, "result": null}`,
      { jobId: JOB, status: { state: 'queued', providerStatus: 'backlogged' }, metadata: {} }],
  ])('%s', async (_name, body, expected) => {
    expect(await submitOnce('krea', body)).toEqual(expected);
  });

  it('turns estimated_time into a polling hint', async () => {
    const accepted = await submitOnce('krea', `{"job_id": "${JOB}", "status": "queued", "estimated_time": "60-120 seconds"}`);
    expect(kreaAdapter.pollHintMs?.(accepted.status)).toBe(60_000);
  });

  it.each<[unknown, number | undefined]>([
    ['60-120 seconds', 60], ['90 seconds', 90], ['2 minutes', 120], ['1-2 min', 60], [45, 45], ['soon', undefined], [null, undefined],
  ])('parses estimated_time %j as %j seconds', (value, expected) => {
    expect(parseEstimatedTime(value)).toBe(expected);
  });

  it('rejects a create answer without job_id', async () => {
    await expect(submitOnce('krea', '{"status": "queued"}')).rejects.toMatchObject({
      code: 'E_PROVIDER_RESPONSE', provider: 'krea', certainlyNotCreated: false,
    });
  });
});

describe('Krea status answers', () => {
  const base = `"job_id": "${JOB}", "created_at": "2025-01-15T10:30:00.000Z"`;
  it.each<[string, string, JobStatus]>([
    ['queued (constructed)', `{${base}, "status": "queued", "completed_at": null, "result": null}`, { state: 'queued', providerStatus: 'queued' }],
    ['backlogged', `{${base}, "status": "backlogged"}`, { state: 'queued', providerStatus: 'backlogged' }],
    ['scheduled', `{${base}, "status": "scheduled"}`, { state: 'queued', providerStatus: 'scheduled' }],
    ['processing (constructed)', `{${base}, "status": "processing"}`, { state: 'running', providerStatus: 'processing' }],
    ['sampling', `{${base}, "status": "sampling"}`, { state: 'running', providerStatus: 'sampling' }],
    ['intermediate-complete', `{${base}, "status": "intermediate-complete", "result": {"urls": ["https://gen.krea.ai/partial.mp4"]}}`,
      { state: 'running', providerStatus: 'intermediate-complete' }],
    ['completed with result.urls (verbatim)',
      `{${base}, "status": "completed", "completed_at": "2025-01-15T10:31:45.000Z", "result": {"urls": ["https://gen.krea.ai/videos/your-video.mp4"]}}`,
      // created_at 10:30:00, completed_at 10:31:45: Krea's own time for the job.
      { state: 'succeeded', providerStatus: 'completed', videoUrl: 'https://gen.krea.ai/videos/your-video.mp4', metadata: {}, tookMs: 105_000 }],
    ['completed with result.video_url (older example page, verbatim)',
      '{"job_id": "…", "status": "completed", "created_at": "…", "completed_at": "…", "result": {"video_url": "https://krea.ai/generations/your-video.mp4", "thumbnail_url": "https://krea.ai/generations/your-video-thumb.jpg", "duration": 5.0, "width": 1280, "height": 720, "fps": 24}}',
      { state: 'succeeded', providerStatus: 'completed', videoUrl: 'https://krea.ai/generations/your-video.mp4', metadata: {} }],
    ['failed with result.error (constructed)', `{${base}, "status": "failed", "completed_at": "x", "result": {"error": "nsfw"}}`,
      { state: 'failed', providerStatus: 'failed', reason: 'nsfw', metadata: {} }],
    ['failed with an object error', `{${base}, "status": "failed", "result": {"error": {"message": "generation service error"}}}`,
      { state: 'failed', providerStatus: 'failed', reason: 'generation service error', metadata: {} }],
    ['failed without details', `{${base}, "status": "failed"}`,
      { state: 'failed', providerStatus: 'failed', reason: 'job failed without details', metadata: {} }],
    ['cancelled (constructed)', `{${base}, "status": "cancelled", "completed_at": "x"}`,
      { state: 'failed', providerStatus: 'cancelled', reason: 'job cancelled by the user or by Krea', metadata: {} }],
    ['completed without a URL keeps polling', `{${base}, "status": "completed", "result": null}`,
      { state: 'unknown', providerStatus: 'completed' }],
    ['an undocumented status', `{${base}, "status": "expired"}`, { state: 'unknown', providerStatus: 'expired' }],
  ])('%s', async (_name, body, expected) => {
    expect((await pollOnce('krea', JOB, body)).status).toEqual(expected);
  });

  it.each<[unknown, unknown, number | undefined]>([
    ['2025-01-15T10:30:00.000Z', '2025-01-15T10:30:05.250Z', 5250],
    ['2025-01-15T10:30:00Z', '2025-01-15T10:30:00Z', 0],
    ['2025-01-15T10:30:05Z', '2025-01-15T10:30:00Z', undefined],
    ['…', '…', undefined],
    ['2025-01-15T10:30:00Z', null, undefined],
  ])('the time a job took, from created_at %j and completed_at %j: %j ms', (created, completed, ms) => {
    expect(timeTaken(created, completed)).toBe(ms);
  });

  it('reads the job at /jobs/<id>', async () => {
    const { seen } = await pollOnce('krea', JOB, `{${base}, "status": "queued"}`);
    expect(`${seen.method} ${seen.path}`).toBe(`GET /jobs/${JOB}`);
  });
});
