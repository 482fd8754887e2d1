/**
 * The concurrency limits: renders in flight across all providers, and per provider. A render
 * holds one slot from the moment its submit starts until its job reaches a terminal state.
 */
import type { ProviderName } from '../core/catalog.js';

export class Slots {
  private total = 0;
  private readonly byProvider = new Map<ProviderName, number>();

  constructor(
    readonly globalLimit: number,
    private readonly providerLimits: Partial<Record<ProviderName, number>>,
  ) {}

  canTake(provider: ProviderName): boolean {
    const limit = this.providerLimits[provider] ?? Infinity;
    return this.total < this.globalLimit && (this.byProvider.get(provider) ?? 0) < limit;
  }

  /** `force`: a job resumed from an earlier run is already in flight at the provider. */
  take(provider: ProviderName, options: { force?: boolean } = {}): void {
    if (!options.force && !this.canTake(provider)) throw new Error(`internal: no free slot for ${provider}`);
    this.total += 1;
    this.byProvider.set(provider, (this.byProvider.get(provider) ?? 0) + 1);
  }

  release(provider: ProviderName): void {
    const n = this.byProvider.get(provider) ?? 0;
    if (n <= 0 || this.total <= 0) throw new Error(`internal: released a slot of ${provider} that was not taken`);
    this.total -= 1;
    this.byProvider.set(provider, n - 1);
  }

  get inFlight(): number {
    return this.total;
  }

  inFlightFor(provider: ProviderName): number {
    return this.byProvider.get(provider) ?? 0;
  }
}
