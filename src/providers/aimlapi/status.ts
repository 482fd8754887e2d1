/**
 * AI/ML API status classifier (providers.md A.1, §1.4). The docs' own enum says `completed`,
 * their current examples say `succeeded`; older samples poll through `waiting` and `active`.
 * A success without `video.url` is not treated as success: the engine keeps polling.
 */
import { asNumber, asString, dig } from '../json-read.js';
import { metadataOf, pendingStatus } from '../status-helpers.js';
import type { JobStatus, ProviderMetadata, ProviderResponse } from '../types.js';
import { describeAimlError } from './error-text.js';

const QUEUED = new Set(['queued', 'waiting']);
const RUNNING = new Set(['generating', 'active', 'processing', 'in_progress']);
const SUCCESS = new Set(['completed', 'succeeded']);
const FAILURE = new Set(['error', 'failed']);

/**
 * Credits from `meta.usage` (credits_used now, tokens_used in older answers) or the
 * `x-aimlapi-credits-used` header; dollars from `x-aimlapi-usd-spent` (providers.md §1.6).
 */
export function aimlMetadata(body: Record<string, unknown>, res: ProviderResponse): ProviderMetadata {
  const usage = dig(body, 'meta', 'usage');
  return metadataOf({
    creditsUsed:
      asNumber(dig(usage, 'credits_used')) ??
      asNumber(dig(usage, 'tokens_used')) ??
      headerNumber(res, 'x-aimlapi-credits-used'),
    usdSpent: headerNumber(res, 'x-aimlapi-usd-spent'),
    requestId: asString(res.headers['x-inference-id']),
  });
}

export function classifyAimlStatus(body: Record<string, unknown>, res: ProviderResponse): JobStatus {
  const providerStatus = typeof body.status === 'string' ? body.status : JSON.stringify(body.status ?? null);
  const status = providerStatus.toLowerCase();
  const error = body.error;
  const hasError = error !== undefined && error !== null;

  if (QUEUED.has(status)) return pendingStatus('queued', providerStatus);
  if (RUNNING.has(status)) return pendingStatus('running', providerStatus);
  if (FAILURE.has(status) || hasError) {
    return {
      state: 'failed',
      providerStatus,
      reason: describeAimlError(error) ?? `status "${providerStatus}" without an error message`,
      metadata: aimlMetadata(body, res),
    };
  }
  const videoUrl = asString(dig(body, 'video', 'url'));
  if (SUCCESS.has(status) && videoUrl) {
    return { state: 'succeeded', providerStatus, videoUrl, metadata: aimlMetadata(body, res) };
  }
  return { state: 'unknown', providerStatus };
}

/** A numeric header (`"120"`, `"0.06"`); undefined when absent or not a number. */
function headerNumber(res: ProviderResponse, name: string): number | undefined {
  const text = res.headers[name]?.trim();
  const n = text ? Number(text) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
