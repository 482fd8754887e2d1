/**
 * The concurrency limits: renders in flight across all providers, per provider, and per lane (a
 * manifest with a concurrency of its own, when a command runs several). A render holds one slot
 * from the moment its submit starts until its job reaches a terminal state.
 */
import type { ProviderName } from '../core/catalog.js';

export class Slots {
  private total = 0;
  private readonly byProvider = new Map<ProviderName, number>();
  private readonly byLane = new Map<number, number>();

  constructor(
    readonly globalLimit: number,
    private readonly providerLimits: Partial<Record<ProviderName, number>>,
    /** Limits of lanes that have one (lanes without a limit only count toward the others). */
    private readonly laneLimits: ReadonlyMap<number, number> = new Map(),
  ) {}

  canTake(provider: ProviderName, lane = 0): boolean {
    const limit = this.providerLimits[provider] ?? Infinity;
    const laneLimit = this.laneLimits.get(lane) ?? Infinity;
    return this.total < this.globalLimit && (this.byProvider.get(provider) ?? 0) < limit && (this.byLane.get(lane) ?? 0) < laneLimit;
  }

  /** `force`: a job resumed from an earlier run is already in flight at the provider. */
  take(provider: ProviderName, options: { force?: boolean; lane?: number } = {}): void {
    const lane = options.lane ?? 0;
    if (!options.force && !this.canTake(provider, lane)) throw new Error(`internal: no free slot for ${provider}`);
    this.total += 1;
    this.byProvider.set(provider, (this.byProvider.get(provider) ?? 0) + 1);
    this.byLane.set(lane, (this.byLane.get(lane) ?? 0) + 1);
  }

  release(provider: ProviderName, lane = 0): void {
    const n = this.byProvider.get(provider) ?? 0;
    const l = this.byLane.get(lane) ?? 0;
    if (n <= 0 || l <= 0 || this.total <= 0) throw new Error(`internal: released a slot of ${provider} that was not taken`);
    this.total -= 1;
    this.byProvider.set(provider, n - 1);
    this.byLane.set(lane, l - 1);
  }

  get inFlight(): number {
    return this.total;
  }

  inFlightFor(provider: ProviderName): number {
    return this.byProvider.get(provider) ?? 0;
  }
}
