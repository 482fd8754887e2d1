/** Small pieces every adapter needs when it turns an answer into a JobStatus. */
import type { JobStatus, ProviderMetadata } from './types.js';

type MaybeMetadata = { [K in keyof ProviderMetadata]-?: ProviderMetadata[K] | undefined };

/** ProviderMetadata without the fields the provider did not send (exactOptionalPropertyTypes). */
export function metadataOf(parts: Partial<MaybeMetadata>): ProviderMetadata {
  const out: ProviderMetadata = {};
  if (parts.creditsUsed !== undefined) out.creditsUsed = parts.creditsUsed;
  if (parts.usdSpent !== undefined) out.usdSpent = parts.usdSpent;
  if (parts.returnedSeed !== undefined) out.returnedSeed = parts.returnedSeed;
  if (parts.urlTtlSeconds !== undefined) out.urlTtlSeconds = parts.urlTtlSeconds;
  if (parts.requestId !== undefined) out.requestId = parts.requestId;
  return out;
}

/** A pending status, with progress (0..1) and ETA only where the provider gave them. */
export function pendingStatus(
  state: 'queued' | 'running',
  providerStatus: string,
  extra: { progress?: number | undefined; etaSeconds?: number | undefined } = {},
): JobStatus {
  if (state === 'queued') {
    return extra.etaSeconds === undefined ? { state, providerStatus } : { state, providerStatus, etaSeconds: extra.etaSeconds };
  }
  const status: JobStatus & { state: 'running' } = { state, providerStatus };
  if (extra.progress !== undefined) status.progress = extra.progress;
  if (extra.etaSeconds !== undefined) status.etaSeconds = extra.etaSeconds;
  return status;
}

/**
 * The provider's estimate of the time left, in ms, for a pending job; undefined otherwise.
 * The engine turns it into a polling delay (and caps it); an adapter never sleeps.
 */
export function etaHintMs(status: JobStatus): number | undefined {
  if (status.state !== 'queued' && status.state !== 'running') return undefined;
  return status.etaSeconds === undefined || status.etaSeconds <= 0 ? undefined : status.etaSeconds * 1000;
}
