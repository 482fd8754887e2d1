/**
 * The fault switchboard: one FaultConfig per provider, whose counters are consumed as faults
 * fire. Kept as a copy so the caller's object is never mutated.
 */
import type { ProviderName } from '../core/catalog.js';
import type { FaultConfig } from './types.js';

type CountedFault = 'submit429' | 'submit5xx' | 'submitResetAfterAccept' | 'status429' | 'status5xx' | 'statusReset' | 'truncateDownload' | 'expireDownload';

export class Faults {
  private readonly byProvider = new Map<ProviderName, FaultConfig>();

  constructor(initial: Partial<Record<ProviderName, FaultConfig>> = {}) {
    for (const [provider, config] of Object.entries(initial) as Array<[ProviderName, FaultConfig]>) {
      this.set(provider, config);
    }
  }

  set(provider: ProviderName, config: FaultConfig): void {
    this.byProvider.set(provider, structuredClone(config));
  }

  /**
   * Takes one shot of a counted fault: returns its config when it fires (and counts it down),
   * undefined when it is off or used up.
   */
  take<K extends CountedFault>(provider: ProviderName, fault: K): NonNullable<FaultConfig[K]> | undefined {
    const config = this.byProvider.get(provider);
    const entry = config?.[fault];
    if (!config || !entry || entry.count <= 0) return undefined;
    const shot = { ...entry } as NonNullable<FaultConfig[K]>;
    entry.count -= 1;
    return shot;
  }

  maxConcurrentJobs(provider: ProviderName): number | undefined {
    return this.byProvider.get(provider)?.maxConcurrentJobs;
  }

  /** The failure reason for a new job with this prompt, or undefined when it should succeed. */
  takeJobFailure(provider: ProviderName, prompt: string): string | undefined {
    const fail = this.byProvider.get(provider)?.failJob;
    if (!fail) return undefined;
    if (fail.promptIncludes !== undefined && !prompt.includes(fail.promptIncludes)) return undefined;
    if (fail.count !== undefined) {
      if (fail.count <= 0) return undefined;
      fail.count -= 1;
    }
    return fail.reason;
  }
}

/** `Retry-After` as seconds, or as an HTTP date that many seconds ahead. */
export function retryAfterHeader(seconds: number | undefined, asDate = false): Record<string, string> {
  if (seconds === undefined && !asDate) return {};
  const s = seconds ?? 1;
  return { 'retry-after': asDate ? new Date(Date.now() + s * 1000).toUTCString() : String(s) };
}
