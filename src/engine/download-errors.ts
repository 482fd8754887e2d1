/**
 * How a download attempt fails, as the retry policy reads it: the error codes, the limits an
 * attempt runs under, and the ProviderErrors for a refused size or a stopped transfer.
 */
import type { ProviderName } from '../core/catalog.js';
import { formatSize, TRANSFER_LIMITS } from '../providers/transfer-limits.js';
import type { StopReason } from '../providers/transfer-watch.js';
import { ProviderError } from '../providers/types.js';

export const DOWNLOAD_CODES = {
  http: 'E_DOWNLOAD_HTTP',
  /** 403/404/410: the URL expired; a fresh status read may give a new one. */
  expired: 'E_DOWNLOAD_EXPIRED',
  truncated: 'E_DOWNLOAD_TRUNCATED',
  invalid: 'E_DOWNLOAD_INVALID',
  transport: 'E_DOWNLOAD_TRANSPORT',
  /** The attempt missed its overall deadline, or went slower than the minimum speed. */
  deadline: 'E_DOWNLOAD_DEADLINE',
  slow: 'E_DOWNLOAD_TOO_SLOW',
  /** Larger than --max-video-size, or more bytes than announced: refused, not retried. */
  tooLarge: 'E_DOWNLOAD_TOO_LARGE',
  overlong: 'E_DOWNLOAD_OVERLONG',
  aborted: 'E_DOWNLOAD_ABORTED',
} as const;

/** The limits one attempt runs under; TRANSFER_LIMITS by default. */
export interface DownloadLimits {
  /** Overall deadline of this attempt (the caller passes less when the render's --timeout is nearer). */
  deadlineMs: number;
  minBytes: number;
  speedWindowMs: number;
  maxVideoBytes: number;
}

export function downloadLimits(overrides: Partial<DownloadLimits> = {}): DownloadLimits {
  return {
    deadlineMs: overrides.deadlineMs ?? TRANSFER_LIMITS.downloadDeadlineMs,
    minBytes: overrides.minBytes ?? TRANSFER_LIMITS.downloadMinBytes,
    speedWindowMs: overrides.speedWindowMs ?? TRANSFER_LIMITS.downloadSpeedWindowMs,
    maxVideoBytes: overrides.maxVideoBytes ?? TRANSFER_LIMITS.maxVideoBytes,
  };
}

export function downloadError(t: { provider: ProviderName }, code: string, message: string, extra: { httpStatus?: number; retryable: boolean; retryAfterMs?: number | undefined; cause?: unknown }): ProviderError {
  return new ProviderError({
    code, provider: t.provider, operation: 'download', providerMessage: message,
    httpStatus: extra.httpStatus, retryable: extra.retryable, certainlyNotCreated: false,
    retryAfterMs: extra.retryAfterMs, cause: extra.cause,
  });
}

/** A size worth suggesting for --max-video-size: the video's size rounded up. */
function suggestedLimit(bytes: number): string {
  return bytes >= 1e9 ? `${Math.ceil(bytes / 1e9)}GB` : `${Math.ceil(bytes / 1e6)}MB`;
}

export function tooLarge(t: { provider: ProviderName }, host: string, status: number, bytes: number | undefined, limit: number): ProviderError {
  const size = bytes === undefined ? 'runs past' : `is ${formatSize(bytes)}, over`;
  const raise = bytes === undefined ? 'a higher --max-video-size' : `--max-video-size ${suggestedLimit(bytes)}`;
  const message = `the video from ${host} ${size} the ${formatSize(limit)} limit; not downloaded. The job succeeded and stays recorded: run render again with ${raise} to download it`;
  return downloadError(t, DOWNLOAD_CODES.tooLarge, message, { httpStatus: status, retryable: false });
}

export function stoppedError(t: { provider: ProviderName }, host: string, why: StopReason, limits: DownloadLimits, cause: unknown): ProviderError {
  if (why === 'aborted') return downloadError(t, DOWNLOAD_CODES.aborted, `download from ${host} abandoned`, { retryable: false, cause });
  if (why === 'slow') {
    const message = `download from ${host} slower than ${formatSize(limits.minBytes)} in ${Math.round(limits.speedWindowMs / 100) / 10} s; abandoned`;
    return downloadError(t, DOWNLOAD_CODES.slow, message, { retryable: true, cause });
  }
  const message = `download from ${host} not finished within ${Math.round(limits.deadlineMs / 100) / 10} s; abandoned`;
  return downloadError(t, DOWNLOAD_CODES.deadline, message, { retryable: true, cause });
}
