/**
 * Downloads a finished job's video, retrying by the retry policy. A result URL that answers
 * 403/404/410 has expired: the job's status is read once more for a fresh URL (providers.md
 * A.12). Each expired URL gets one such read; a new URL may expire too, so a few are allowed,
 * but a read that hands back the same dead URL ends it.
 */
import type { Dispatcher } from 'undici';
import type { ProviderName } from '../core/catalog.js';
import { ProviderError } from '../providers/types.js';
import type { Clock } from './clock.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import { DOWNLOAD_CODES, downloadLimits, downloadOnce, type DownloadedVideo, type DownloadLimits } from './download.js';
import { decideRead } from './retry-policy.js';
import { withRetry } from './with-retry.js';

export interface FetchVideoOptions {
  provider: ProviderName;
  url: string;
  target: string;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  clock: Clock;
  random: () => number;
  /** Reads the job's status again and returns its current video URL. */
  freshUrl: () => Promise<string>;
  onRetry: (attempt: number, delayMs: number, reason: string) => void;
  /** The render's deadline on `clock`: no attempt runs past it. */
  deadlineAt?: number;
  /** Per-attempt limits (TRANSFER_LIMITS by default). */
  limits?: Partial<DownloadLimits> | undefined;
}

/** The render's own deadline passed before the video was home. */
export class RenderDeadlineError extends Error {
  readonly code = 'E_RENDER_DEADLINE';
  constructor(cause?: unknown) {
    super('the render\'s deadline (--timeout) passed before its video was downloaded', { cause });
    this.name = 'RenderDeadlineError';
  }
}

export async function fetchVideo(o: FetchVideoOptions): Promise<DownloadedVideo> {
  let url = o.url;
  let refreshes = 0;
  const limits = downloadLimits(o.limits);
  const deadlineAt = o.deadlineAt ?? Infinity;
  return withRetry(
    () => {
      const left = deadlineAt - o.clock.now();
      const attemptLimits = { ...limits, deadlineMs: Math.min(limits.deadlineMs, left) };
      return downloadOnce({ provider: o.provider, url, target: o.target, dispatcher: o.dispatcher, signal: o.signal, limits: attemptLimits });
    },
    {
      clock: o.clock,
      signal: o.signal,
      random: o.random,
      beforeAttempt: () => {
        if (deadlineAt - o.clock.now() <= 0) throw new RenderDeadlineError();
      },
      decide: async (err, attempt, random) => {
        if (o.clock.now() >= deadlineAt) throw new RenderDeadlineError(err);
        if (err instanceof ProviderError && err.code === DOWNLOAD_CODES.expired && refreshes < ENGINE_DEFAULTS.urlRefreshes) {
          refreshes += 1;
          o.onRetry(attempt, 0, `${err.providerMessage}; reading the job again for a fresh URL`);
          const fresh = await o.freshUrl();
          if (fresh === url) throw err;
          url = fresh;
          return { action: 'retry', delayMs: 0, retryAfterMs: undefined };
        }
        const decision = decideRead(err, 'download', attempt, random);
        if (decision.action === 'retry') o.onRetry(attempt, decision.delayMs, err instanceof Error ? err.message : String(err));
        return decision;
      },
    },
  );
}
