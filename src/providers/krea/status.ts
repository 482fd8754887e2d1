/**
 * Krea job statuses (providers.md §6.5): nine values, three of them terminal. The video URL is
 * `result.urls[0]` in the current schema and `result.video_url` on the older example page (A.5).
 */
import { asNumber, asObject, asString, dig } from '../json-read.js';
import { metadataOf, pendingStatus } from '../status-helpers.js';
import type { JobStatus } from '../types.js';

const QUEUED = new Set(['backlogged', 'queued', 'scheduled']);
const RUNNING = new Set(['processing', 'sampling', 'intermediate-complete']);

/**
 * `estimated_time` on the create answer is prose such as "60-120 seconds". The lower bound is
 * used: the job may be done by then, and polling later than that would waste the user's time.
 */
export function parseEstimatedTime(value: unknown): number | undefined {
  const direct = asNumber(value);
  if (direct !== undefined) return direct;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*\d+(?:\.\d+)?\s*)?(s|sec|secs|seconds?|m|min|mins|minutes?)?\s*$/i.exec(value);
  if (!match?.[1]) return undefined;
  const amount = Number(match[1]);
  return match[2]?.toLowerCase().startsWith('m') ? amount * 60 : amount;
}

/** `completed_at − created_at` in ms, when both are timestamps in order; undefined otherwise. */
export function timeTaken(createdAt: unknown, completedAt: unknown): number | undefined {
  if (typeof createdAt !== 'string' || typeof completedAt !== 'string') return undefined;
  const ms = Date.parse(completedAt) - Date.parse(createdAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** `result.error` has no documented type: a string, or an object with a message, or anything. */
function failureReason(result: unknown): string | undefined {
  const error = dig(result, 'error');
  const text = asString(error) ?? asString(dig(error, 'message')) ?? asString(dig(result, 'reason'));
  if (text) return text;
  return error !== undefined && error !== null ? JSON.stringify(error) : undefined;
}

export function classifyKreaStatus(body: Record<string, unknown>, etaSeconds?: number): JobStatus {
  const providerStatus = typeof body.status === 'string' ? body.status : JSON.stringify(body.status ?? null);
  const result = asObject(body.result);

  if (QUEUED.has(providerStatus)) return pendingStatus('queued', providerStatus, { etaSeconds });
  if (RUNNING.has(providerStatus)) return pendingStatus('running', providerStatus, { etaSeconds });
  if (providerStatus === 'failed') {
    return { state: 'failed', providerStatus, reason: failureReason(result) ?? 'job failed without details', metadata: {} };
  }
  if (providerStatus === 'cancelled') {
    return { state: 'failed', providerStatus, reason: failureReason(result) ?? 'job cancelled by the user or by Krea', metadata: {} };
  }
  const videoUrl = asString(dig(result, 'urls', 0)) ?? asString(dig(result, 'video_url'));
  if (providerStatus === 'completed' && videoUrl) {
    const tookMs = timeTaken(body.created_at, body.completed_at);
    const done: JobStatus = { state: 'succeeded', providerStatus, videoUrl, metadata: metadataOf({}) };
    return tookMs === undefined ? done : { ...done, tookMs };
  }
  return { state: 'unknown', providerStatus };
}
