/**
 * Novita task-result (providers.md §7.3): the status is `task.status`, the video
 * `videos[0].video_url`, valid for `video_url_ttl` seconds, which the docs send as a string.
 */
import { asNumber, asString, dig } from '../json-read.js';
import { metadataOf, pendingStatus } from '../status-helpers.js';
import type { JobStatus, ProviderMetadata, ProviderResponse } from '../types.js';

function novitaMetadata(body: Record<string, unknown>, res: ProviderResponse): ProviderMetadata {
  const seed = dig(body, 'extra', 'seed');
  return metadataOf({
    returnedSeed: typeof seed === 'number' ? seed : asString(seed),
    urlTtlSeconds: asNumber(dig(body, 'videos', 0, 'video_url_ttl')),
    requestId: asString(res.headers['x-request-id']),
  });
}

/** `progress_percent` 0..100 → 0..1; absent or nonsense → none. */
function progressOf(task: unknown): number | undefined {
  const percent = asNumber(dig(task, 'progress_percent'));
  return percent === undefined ? undefined : Math.min(1, Math.max(0, percent / 100));
}

export function classifyNovitaStatus(body: Record<string, unknown>, res: ProviderResponse): JobStatus {
  const task = dig(body, 'task');
  const raw = dig(task, 'status');
  const providerStatus = typeof raw === 'string' ? raw : JSON.stringify(raw ?? null);
  const etaSeconds = asNumber(dig(task, 'eta'));

  switch (providerStatus) {
    case 'TASK_STATUS_QUEUED':
      return pendingStatus('queued', providerStatus, { etaSeconds });
    case 'TASK_STATUS_PROCESSING':
      return pendingStatus('running', providerStatus, { etaSeconds, progress: progressOf(task) });
    case 'TASK_STATUS_FAILED':
      return {
        state: 'failed',
        providerStatus,
        reason: asString(dig(task, 'reason')) ?? 'task failed without a reason',
        metadata: novitaMetadata(body, res),
      };
    case 'TASK_STATUS_SUCCEED': {
      const videoUrl = asString(dig(body, 'videos', 0, 'video_url'));
      if (videoUrl) return { state: 'succeeded', providerStatus, videoUrl, metadata: novitaMetadata(body, res) };
      return { state: 'unknown', providerStatus };
    }
    default:
      // Includes the SDK-only TASK_STATUS_UNKNOWN.
      return { state: 'unknown', providerStatus };
  }
}
