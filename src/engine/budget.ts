/**
 * Keeps a run's new submits within each provider's budget (core/budget.ts). Asked once, just
 * before a submit is taken from the queue: may this render go now? What counts is this run's
 * own submits (resumed jobs were paid for by an earlier run): for each, the credits its provider
 * reported at creation, else its price (core/prices.ts) held in reserve until it is known; a job
 * that certainly made nothing costs nothing, nor do failed and cancelled jobs where the provider
 * documents them free (Krea). The same tally gives what the run spent, for the summary.
 */
import type { ProviderName } from '../core/catalog.js';
import type { Budgets } from '../core/budget.js';
import { formatAmount, FREE_WHEN_FAILED, PRICE_UNITS, priceKey, type Price } from '../core/prices.js';
import type { RenderSpec } from '../manifest/types.js';
import type { Job } from './job.js';
import { compareText } from '../core/compare-text.js';

/** `go`: send it; `wait`: not yet (an earlier render's price is not known yet); `halt`: no more submits. */
export type SubmitVerdict = 'go' | 'wait' | { halt: string };

/** What a run spent on its new submits at one provider. */
export interface ProviderSpend {
  provider: ProviderName;
  unit: string | null;
  /** Reported credits, or the documented price of the jobs that succeeded. */
  amount: number;
  /** Jobs this run created (or may have). */
  jobs: number;
  /** Jobs whose cost is in `amount`. */
  counted: number;
  /** Jobs whose cost is not known (no price, nothing reported). */
  unknown: number;
}

interface Cost {
  amount: number;
  /** Recorded: reported by the provider, or a documented price now due (a success). */
  recorded: boolean;
  /** No price known and none reported. */
  unknown: boolean;
  /** Sent and not answered yet. */
  awaiting: boolean;
}

const SUCCEEDED = new Set(['succeeded', 'downloaded']);
const FREE_PHASES = new Set(['failed', 'cancelled']);

export class BudgetGuard {
  /** Every job this run sent, per provider. */
  private readonly sent = new Map<ProviderName, Set<Job>>();
  /** Those whose cost may still change; the others' costs are summed in `settled`. */
  private readonly open = new Map<ProviderName, Set<Job>>();
  private readonly settled = new Map<ProviderName, number>();
  private readonly prices = new WeakMap<Job, Price>();
  private readonly keys = new WeakMap<Job, string>();
  /** Credits reported in this run, by model and price-driving params: the next such render costs the same. */
  private readonly reported = new Map<string, number>();

  constructor(
    private readonly limits: Budgets,
    private readonly priceOf: (spec: RenderSpec) => Price,
  ) {}

  /** Called just before `job` is taken from the queue to be submitted; `go` counts it as sent. */
  beforeSubmit(job: Job): SubmitVerdict {
    const p = job.provider;
    const limit = this.limits[p];
    if (limit !== undefined) {
      const { committed, awaitingUnknown } = this.tally(p);
      const price = this.estimate(job);
      const unit = PRICE_UNITS[p];
      // Submits stop only once every submit sent has its answer: one still on the wire may cost
      // less than its reserve, and a halt must not catch it between its journal line and its POST.
      if (price === undefined) {
        if (awaitingUnknown) return 'wait';
        if (committed >= limit) {
          if (this.anySubmitting()) return 'wait';
          return { halt: `${p}: spending has reached ${formatAmount(committed, unit)}, the budget of ${formatAmount(limit, null)}; raise --budget ${p}=… to render the rest` };
        }
      } else if (committed + price > limit) {
        if (this.anySubmitting()) return 'wait';
        return {
          halt:
            `${p}: the next render, ${job.id} (${formatAmount(price, unit)}), would take spending to ${formatAmount(committed + price, unit)}, ` +
            `over the budget of ${formatAmount(limit, null)}; raise --budget ${p}=… to render the rest`,
        };
      }
    }
    for (const map of [this.sent, this.open]) {
      const set = map.get(p) ?? new Set<Job>();
      set.add(job);
      map.set(p, set);
    }
    return 'go';
  }

  /** What this run's new submits cost, per provider. */
  spent(): ProviderSpend[] {
    const out: ProviderSpend[] = [];
    for (const [provider, jobs] of [...this.sent].sort(([a], [b]) => compareText(a, b))) {
      const s: ProviderSpend = { provider, unit: PRICE_UNITS[provider], amount: 0, jobs: 0, counted: 0, unknown: 0 };
      for (const job of jobs) {
        if (job.state.phase === 'not_created') continue;
        s.jobs += 1;
        const c = this.cost(job);
        if (c.recorded) {
          s.amount += c.amount;
          s.counted += 1;
        } else if (c.unknown) s.unknown += 1;
      }
      if (s.jobs > 0) out.push(s);
    }
    return out;
  }

  private anySubmitting(): boolean {
    for (const jobs of this.open.values()) for (const job of jobs) if (onTheWire(job)) return true;
    return false;
  }

  private tally(p: ProviderName): { committed: number; awaitingUnknown: boolean } {
    let committed = 0;
    let awaitingUnknown = false;
    const open = this.open.get(p) ?? new Set<Job>();
    for (const job of open) {
      const c = this.cost(job);
      if (c.recorded) {
        // A reported or due cost does not change again: summed once, not walked at every submit.
        this.settled.set(p, (this.settled.get(p) ?? 0) + c.amount);
        open.delete(job);
        continue;
      }
      committed += c.amount;
      if (c.unknown && c.awaiting) awaitingUnknown = true;
    }
    return { committed: committed + (this.settled.get(p) ?? 0), awaitingUnknown };
  }

  private cost(job: Job): Cost {
    const { phase, provider_metadata: meta } = job.state;
    if (typeof meta.credits_used === 'number') {
      const key = this.keyOf(job);
      this.reported.set(key, Math.max(meta.credits_used, this.reported.get(key) ?? 0));
      return { amount: meta.credits_used, recorded: true, unknown: false, awaiting: false };
    }
    if (phase === 'not_created') return { amount: 0, recorded: false, unknown: false, awaiting: false };
    if (FREE_WHEN_FAILED[job.provider] && FREE_PHASES.has(phase)) return { amount: 0, recorded: true, unknown: false, awaiting: false };
    const price = this.estimate(job);
    const dueOnSuccess = FREE_WHEN_FAILED[job.provider] && SUCCEEDED.has(phase);
    return { amount: price ?? 0, recorded: dueOnSuccess && price !== undefined, unknown: price === undefined, awaiting: onTheWire(job) };
  }

  /** A render's price: documented or learned for its params, else what this run saw reported, else the model's. */
  private estimate(job: Job): number | undefined {
    let price = this.prices.get(job);
    if (!price) {
      price = this.priceOf(job.prepared.spec);
      this.prices.set(job, price);
    }
    if (price.amount !== null && (price.source === 'documented' || price.match === 'params')) return price.amount;
    return this.reported.get(this.keyOf(job)) ?? price.amount ?? undefined;
  }

  private keyOf(job: Job): string {
    let key = this.keys.get(job);
    if (key === undefined) {
      const spec = job.prepared.spec;
      key = `${spec.provider} ${spec.model} ${priceKey(spec.params)}`;
      this.keys.set(job, key);
    }
    return key;
  }
}

/** Its submit is under way: sent or about to be, no answer yet (a settled render never is). */
function onTheWire(job: Job): boolean {
  return job.status === 'submitting' && job.finalStatus === undefined;
}
