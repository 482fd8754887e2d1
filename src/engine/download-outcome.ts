/**
 * What a download that failed for good means for its render, where that is more than "failed,
 * run again": the render's --timeout passed, the video is over --max-video-size, or the disk
 * refused it (which also stops new submits: their videos would have nowhere to go). The job
 * succeeded in every case; the journal keeps it, so a rerun downloads it without a new submit.
 */
import type { RenderErrorInfo } from '../core/records.js';
import { ProviderError } from '../providers/types.js';
import { DiskError, diskErrorCode } from './disk-errors.js';
import { DOWNLOAD_CODES } from './download-errors.js';
import { RenderDeadlineError } from './fetch-video.js';

export interface DownloadOutcome {
  status: 'failed' | 'timed_out';
  error: RenderErrorInfo;
  /** Set when no further submits should be made this run, and why. */
  haltSubmits?: string;
}

export function downloadOutcome(failure: unknown, timeoutMs: number): DownloadOutcome | undefined {
  let err = failure;
  if (err instanceof RenderDeadlineError) {
    const message = `not downloaded within ${Math.round(timeoutMs / 1000)} s (--timeout); the job succeeded, run render again to download it`;
    return { status: 'timed_out', error: { message, code: 'E_TIMEOUT' } };
  }
  // The take store's own writes (its card, the link to <id>.mp4) meet the same disk.
  const errno = err instanceof DiskError ? undefined : diskErrorCode(err);
  if (errno !== undefined) err = new DiskError(errno, (err as { path?: string }).path ?? 'the output folder', err);
  if (err instanceof DiskError) {
    const message = `cannot save the video: ${err.message}; the job succeeded, free the space and run render again to download it`;
    return { status: 'failed', error: { message, code: err.code }, haltSubmits: err.message };
  }
  if (err instanceof ProviderError && err.code === DOWNLOAD_CODES.tooLarge) {
    const error: RenderErrorInfo = { message: `download refused: ${err.providerMessage}`, code: err.code };
    if (err.httpStatus !== undefined) error.http_status = err.httpStatus;
    return { status: 'failed', error };
  }
  return undefined;
}
