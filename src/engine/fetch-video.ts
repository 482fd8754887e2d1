/**
 * Downloads a finished job's video, retrying by the retry policy. A result URL that answers
 * 403/404/410 has expired: the job's status is read once more for a fresh URL (providers.md
 * A.12). Each expired URL gets one such read; a new URL may expire too, so a few are allowed,
 * but a read that hands back the same dead URL ends it.
 */
import type { Dispatcher } from 'undici';
import type { ProviderName } from '../providers/catalog.js';
import { ProviderError } from '../providers/types.js';
import { sleep, type Clock } from './clock.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import { DOWNLOAD_CODES, downloadOnce, type DownloadedVideo } from './download.js';
import { decideRead } from './retry-policy.js';

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
}

export async function fetchVideo(o: FetchVideoOptions): Promise<DownloadedVideo> {
  let url = o.url;
  let refreshes = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await downloadOnce({ provider: o.provider, url, target: o.target, dispatcher: o.dispatcher, signal: o.signal });
    } catch (err) {
      if (o.signal.aborted) throw err;
      if (err instanceof ProviderError && err.code === DOWNLOAD_CODES.expired && refreshes < ENGINE_DEFAULTS.urlRefreshes) {
        refreshes += 1;
        o.onRetry(attempt, 0, `${err.providerMessage}; reading the job again for a fresh URL`);
        const fresh = await o.freshUrl();
        if (fresh === url) throw err;
        url = fresh;
        continue;
      }
      const decision = decideRead(err, 'download', attempt, o.random());
      if (decision.action === 'fail') throw err;
      o.onRetry(attempt, decision.delayMs, err instanceof Error ? err.message : String(err));
      await sleep(o.clock, decision.delayMs, o.signal);
      if (o.signal.aborted) throw err;
    }
  }
}
