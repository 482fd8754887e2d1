/** AI/ML API answers from providers.md §1.2–§1.4 (verbatim unless marked constructed). */
import { describe, expect, it } from 'vitest';
import { aimlapiAdapter } from '../../src/providers/aimlapi/adapter.js';
import type { JobStatus, SubmitAccepted } from '../../src/providers/types.js';
import { pollOnce, submitOnce } from './drive.js';

const T2V_ID = '67b69e0c-922f-4eae-9b90-8c4605131d3b:krea/krea-wan-14b/text-to-video';

describe('AI/ML API create answers', () => {
  it.each<[string, string, Record<string, string>, SubmitAccepted]>([
    [
      'krea t2v queued, tokens_used (verbatim)',
      `{"id": "${T2V_ID}", "status": "queued", "meta": {"usage": {"tokens_used": 315000}}}`,
      {},
      { jobId: T2V_ID, status: { state: 'queued', providerStatus: 'queued' }, metadata: { creditsUsed: 315000 } },
    ],
    [
      'pixverse queued, credits_used (verbatim)',
      `{"id": "Zx3z_NSUkI67m3sHg-rUq", "status": "queued", "meta": {"usage": {"credits_used": 2000000}}}`,
      {},
      { jobId: 'Zx3z_NSUkI67m3sHg-rUq', status: { state: 'queued', providerStatus: 'queued' }, metadata: { creditsUsed: 2000000 } },
    ],
    [
      'minimax answers generation_id (verbatim), x-inference-id header',
      `{"generation_id": "349865017168125:minimax/hailuo-2.3", "status": "queued", "meta": {"usage": {"credits_used": 588000}}}`,
      { 'x-inference-id': '349865017168125:minimax/hailuo-2.3' },
      {
        jobId: '349865017168125:minimax/hailuo-2.3',
        status: { state: 'queued', providerStatus: 'queued' },
        metadata: { creditsUsed: 588000, requestId: '349865017168125:minimax/hailuo-2.3' },
      },
    ],
    [
      'no id in the body: the x-inference-id header is the same id (constructed)',
      `{"status": "queued"}`,
      { 'x-inference-id': 'abc:vendor/model' },
      { jobId: 'abc:vendor/model', status: { state: 'queued', providerStatus: 'queued' }, metadata: { requestId: 'abc:vendor/model' } },
    ],
    [
      'create answer already terminal (constructed)',
      `{"id": "x1", "status": "completed", "video": {"url": "https://cdn.example/v.mp4"}}`,
      {},
      {
        jobId: 'x1',
        status: { state: 'succeeded', providerStatus: 'completed', videoUrl: 'https://cdn.example/v.mp4', metadata: {} },
        metadata: {},
      },
    ],
  ])('%s', async (_name, body, headers, expected) => {
    expect(await submitOnce('aimlapi', body, headers)).toEqual(expected);
  });

  it('rejects a create answer without any id, as not retryable and not certainly uncreated', async () => {
    await expect(submitOnce('aimlapi', '{"status": "queued"}')).rejects.toMatchObject({
      code: 'E_PROVIDER_RESPONSE', retryable: false, certainlyNotCreated: false, operation: 'submit',
    });
    await expect(submitOnce('aimlapi', '<html>ok</html>')).rejects.toMatchObject({ code: 'E_PROVIDER_RESPONSE' });
  });
});

describe('AI/ML API status answers', () => {
  it.each<[string, string, Record<string, string>, JobStatus]>([
    ['queued (verbatim)', `{"id": "${T2V_ID}", "status": "queued", "meta": {"usage": {"tokens_used": 315000}}}`, {},
      { state: 'queued', providerStatus: 'queued' }],
    ['generating (constructed)', `{"id": "3637be63-2db8-4ecc-bc0f-00afbdf10a55:krea/krea-wan-14b/video-to-video", "status": "generating"}`, {},
      { state: 'running', providerStatus: 'generating' }],
    ['waiting (older samples)', '{"id": "a", "status": "waiting"}', {}, { state: 'queued', providerStatus: 'waiting' }],
    ['active (older samples)', '{"id": "a", "status": "active"}', {}, { state: 'running', providerStatus: 'active' }],
    ['processing (third party)', '{"id": "a", "status": "processing"}', {}, { state: 'running', providerStatus: 'processing' }],
    ['in_progress', '{"id": "a", "status": "in_progress"}', {}, { state: 'running', providerStatus: 'in_progress' }],
    ['completed (verbatim)',
      `{"id": "${T2V_ID}", "status": "completed", "video": {"url": "https://cdn.aimlapi.com/flamingo/files/b/zebra/GR3ehIPWwREVvJduWH6Pn_R07gifMb.mp4"}}`, {},
      { state: 'succeeded', providerStatus: 'completed', videoUrl: 'https://cdn.aimlapi.com/flamingo/files/b/zebra/GR3ehIPWwREVvJduWH6Pn_R07gifMb.mp4', metadata: {} }],
    ['completed with file metadata (verbatim)',
      `{"id": "1fe4344e-3d44-4bf8-9f04-0ac4bb312eec:pixverse/v5/text-to-video", "status": "completed", "video": {"url": "https://cdn.aimlapi.com/eagle/files/penguin/xK3kbIC5S0pR_oEU4Uw1Q_output.mp4", "content_type": "video/mp4", "file_name": "output.mp4", "file_size": 6274330}}`,
      { 'x-inference-id': '1fe4344e', 'x-aimlapi-credits-used': '120', 'x-aimlapi-usd-spent': '0.06' },
      { state: 'succeeded', providerStatus: 'completed', videoUrl: 'https://cdn.aimlapi.com/eagle/files/penguin/xK3kbIC5S0pR_oEU4Uw1Q_output.mp4', metadata: { creditsUsed: 120, usdSpent: 0.06, requestId: '1fe4344e' } }],
    ['succeeded (verbatim, pixverse universal URL)',
      `{"id": "Zx3z_NSUkI67m3sHg-rUq", "status": "succeeded", "video": {"url": "https://cdn.aimlapi.com/panda/pixverse%2Fmp4%2Fmedia%2Fweb%2Fori%2FtKPwdgHZmANBxqWuFuWYH_seed1123949342.mp4"}}`, {},
      { state: 'succeeded', providerStatus: 'succeeded', videoUrl: 'https://cdn.aimlapi.com/panda/pixverse%2Fmp4%2Fmedia%2Fweb%2Fori%2FtKPwdgHZmANBxqWuFuWYH_seed1123949342.mp4', metadata: {} }],
    ['error with detail list (verbatim)',
      `{"id": "50f3e8ae-...:kling-video/v1.6/pro/effects", "status": "error", "error": {"detail": [{"loc": ["body", "image_url"], "msg": "Could not detect face in the image", "type": "face_detection_error", "input": "https://..."}]}}`, {},
      { state: 'failed', providerStatus: 'error', reason: 'Could not detect face in the image (body.image_url)', metadata: {} }],
    ['error per schema {name, message} (constructed)',
      '{"id": "b", "status": "error", "error": {"name": "Error", "message": "Prompt was rejected by moderation"}}', {},
      { state: 'failed', providerStatus: 'error', reason: 'Prompt was rejected by moderation', metadata: {} }],
    ['failed without an error object',
      '{"id": "b", "status": "failed"}', {},
      { state: 'failed', providerStatus: 'failed', reason: 'status "failed" without an error message', metadata: {} }],
    ['unknown with an error object (third-party capture)',
      '{"id":"","status":"unknown","error":{"name":"Error","message":"invalid params, task_id cannot by empty"}}', {},
      { state: 'failed', providerStatus: 'unknown', reason: 'invalid params, task_id cannot by empty', metadata: {} }],
    ['an undocumented status', '{"id": "b", "status": "paused"}', {}, { state: 'unknown', providerStatus: 'paused' }],
    ['completed without video.url keeps polling', '{"id": "b", "status": "completed"}', {},
      { state: 'unknown', providerStatus: 'completed' }],
  ])('%s', async (_name, body, headers, expected) => {
    const { status } = await pollOnce('aimlapi', 'id-1', body, headers);
    expect(status).toEqual(expected);
  });

  it('URL-encodes the id in the query string (%3A, %2F)', async () => {
    const { seen } = await pollOnce('aimlapi', T2V_ID, '{"id": "x", "status": "queued"}');
    expect(seen.method).toBe('GET');
    expect(seen.path).toBe(
      '/v2/video/generations?generation_id=67b69e0c-922f-4eae-9b90-8c4605131d3b%3Akrea%2Fkrea-wan-14b%2Ftext-to-video',
    );
    expect(seen.headers.authorization).toMatch(/^Bearer /);
  });

  it('has no polling hint of its own and polls every 10 s by default', () => {
    expect(aimlapiAdapter.pollHintMs?.({ state: 'running', providerStatus: 'generating' })).toBeUndefined();
    expect(aimlapiAdapter.defaultPollIntervalMs).toBe(10_000);
  });
});
