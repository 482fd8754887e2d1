/**
 * When a provider may next be sent a request. Two rules, per provider: after a 429 with
 * Retry-After nothing goes to it before the time it asked for; and creations are paced to the
 * provider's documented rate (Novita: 20 per minute) over a sliding one-minute window.
 */
import type { ProviderName } from '../core/catalog.js';
import type { Clock } from './clock.js';

const WINDOW_MS = 60_000;

interface GateState {
  /** No request of any kind before this time (Retry-After). */
  blockedUntil: number;
  /** No submit before this time (backoff after a submit that was certainly not created). */
  submitsBlockedUntil: number;
  /** Times of recent submits, oldest first, at most `perMinute` of them. */
  recentSubmits: number[];
}

export class ProviderGates {
  private readonly gates = new Map<ProviderName, GateState>();

  constructor(
    private readonly clock: Clock,
    /** Submits per minute per provider; absent: not paced. */
    private readonly submitsPerMinute: Partial<Record<ProviderName, number>>,
  ) {}

  private gate(provider: ProviderName): GateState {
    let g = this.gates.get(provider);
    if (!g) {
      g = { blockedUntil: 0, submitsBlockedUntil: 0, recentSubmits: [] };
      this.gates.set(provider, g);
    }
    return g;
  }

  /** The provider asked us to wait (Retry-After): no request to it before `atMs`. */
  blockUntil(provider: ProviderName, atMs: number): void {
    const g = this.gate(provider);
    g.blockedUntil = Math.max(g.blockedUntil, atMs);
  }

  /** Hold back submits (not status reads) until `atMs`. */
  blockSubmitsUntil(provider: ProviderName, atMs: number): void {
    const g = this.gate(provider);
    g.submitsBlockedUntil = Math.max(g.submitsBlockedUntil, atMs);
  }

  /** Earliest time any request may go to `provider`. */
  readyAt(provider: ProviderName): number {
    return this.gate(provider).blockedUntil;
  }

  /** Earliest time a submit may go to `provider`. */
  submitReadyAt(provider: ProviderName): number {
    const g = this.gate(provider);
    let at = Math.max(g.blockedUntil, g.submitsBlockedUntil);
    const limit = this.submitsPerMinute[provider];
    if (limit !== undefined && g.recentSubmits.length >= limit) {
      const oldest = g.recentSubmits[g.recentSubmits.length - limit] ?? 0;
      at = Math.max(at, oldest + WINDOW_MS);
    }
    return at;
  }

  /** Records a submit being sent now (every POST counts toward the provider's rate). */
  noteSubmit(provider: ProviderName): void {
    const g = this.gate(provider);
    const limit = this.submitsPerMinute[provider];
    if (limit === undefined) return;
    g.recentSubmits.push(this.clock.now());
    if (g.recentSubmits.length > limit) g.recentSubmits.splice(0, g.recentSubmits.length - limit);
  }
}
