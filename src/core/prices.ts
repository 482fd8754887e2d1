/**
 * What a render costs before it is sent, in its provider's own unit, and where the figure comes
 * from: documented by the provider (Krea's Kling 2.5), learned from what earlier runs recorded
 * (the credits the AI/ML API reports at creation), or unknown (Novita documents none). A price is
 * never guessed. Source: ../shared/providers.md §1.2, §1.6, §6.1.
 */
import { MEDIA_PARAM_NAMES, type ProviderName } from './catalog.js';
import type { TakeCost } from './records.js';
import { compareText } from './compare-text.js';

/** Each provider's unit of account; null where the provider documents none. */
export const PRICE_UNITS: Readonly<Record<ProviderName, string | null>> = {
  aimlapi: 'credits',
  krea: 'compute units',
  novita: null,
};

/** Krea documents that failed and cancelled jobs consume no compute units (providers.md §6.1). */
export const FREE_WHEN_FAILED: Readonly<Record<ProviderName, boolean>> = { aimlapi: false, krea: true, novita: false };

interface DocumentedEntry {
  provider: ProviderName;
  model: string;
  /** The price of a render with these params, or undefined when the docs do not say. */
  amount(params: Readonly<Record<string, unknown>>): number | undefined;
  note: string;
}

/** Kling 2.5 on Krea: 5 s = 200 CU, 10 s = 401 CU (Krea's OpenAPI description). */
const KLING_25_CU: Readonly<Record<number, number>> = { 5: 200, 10: 401 };
const KLING_DEFAULT_DURATION = 5;

const DOCUMENTED: readonly DocumentedEntry[] = [
  {
    provider: 'krea',
    model: 'kling/kling-2.5',
    amount: (params) => KLING_25_CU[typeof params['duration'] === 'number' ? params['duration'] : KLING_DEFAULT_DURATION],
    note: 'documented by Krea: 200 for 5 s, 401 for 10 s',
  },
];

/** Why no price is known, per provider. */
const UNKNOWN_NOTE: Readonly<Record<ProviderName, string>> = {
  aimlapi: 'no earlier run of this model recorded the credits it used',
  krea: 'Krea documents no price for this model',
  novita: 'Novita documents no price',
};

export type PriceSource = 'documented' | 'learned' | 'unknown';

/** A render's price as `render plan --json` shows it. */
export interface Price {
  /** null when unknown. */
  amount: number | null;
  /** The provider's unit; null for a provider without one. */
  unit: string | null;
  source: PriceSource;
  /** For a learned price: how many earlier renders it comes from. */
  learned_from?: number;
  /** For a learned price: `params` when renders with the same price-driving params were seen, `model` when only the model matched. */
  match?: 'params' | 'model';
  /** Where the figure comes from, in words. */
  note: string;
}

/** What earlier runs recorded: the price of a model with given params, if seen. */
export interface LearnedPrices {
  lookup(provider: ProviderName, model: string, params: Readonly<Record<string, unknown>>): { amount: number; renders: number; match: 'params' | 'model' } | undefined;
}

/** Params that do not drive a price: the prompt, the seed and media inputs. */
const NOT_PRICED = new Set(['prompt', 'seed', ...MEDIA_PARAM_NAMES]);

/** The params that drive a render's price: every param but prompt, seed and media, keys sorted. */
export function pricedParams(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const kept = Object.keys(params).filter((k) => !NOT_PRICED.has(k)).sort();
  return Object.fromEntries(kept.map((k) => [k, params[k]]));
}

/** The params that drive a render's price, as a stable key. */
export function priceKey(params: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.entries(pricedParams(params)));
}

/** A take's cost as its card keeps it, when the provider reported credits for its job. */
export function takeCost(model: string, params: Readonly<Record<string, unknown>>, creditsUsed: number | undefined): { cost?: TakeCost } {
  return typeof creditsUsed === 'number' ? { cost: { model, params: pricedParams(params), credits_used: creditsUsed } } : {};
}

/** The price of one render of `model` with `params`. */
export function priceOf(provider: ProviderName, model: string, params: Readonly<Record<string, unknown>>, learned?: LearnedPrices): Price {
  const unit = PRICE_UNITS[provider];
  const doc = DOCUMENTED.find((d) => d.provider === provider && d.model === model);
  const documented = doc?.amount(params);
  if (doc && documented !== undefined) return { amount: documented, unit, source: 'documented', note: doc.note };
  const seen = learned?.lookup(provider, model, params);
  if (seen) {
    const from = `learned from ${seen.renders} render${seen.renders === 1 ? '' : 's'}`;
    const note = seen.match === 'params' ? from : `${from} of this model with other params (model only)`;
    return { amount: seen.amount, unit, source: 'learned', learned_from: seen.renders, match: seen.match, note };
  }
  return { amount: null, unit, source: 'unknown', note: UNKNOWN_NOTE[provider] };
}

/** What a set of renders costs at one provider. */
export interface ProviderCost {
  provider: ProviderName;
  unit: string | null;
  /** Renders counted. */
  renders: number;
  /** The sum of the known prices. */
  amount: number;
  /** Renders whose price is unknown (not in `amount`). */
  unknown: number;
  /** Renders per source of their price. */
  sources: Partial<Record<PriceSource, number>>;
}

/** Sums prices per provider, in provider order. */
export function sumPrices(items: Iterable<{ provider: ProviderName; price: Price }>): ProviderCost[] {
  const by = new Map<ProviderName, ProviderCost>();
  for (const { provider, price } of items) {
    const c = by.get(provider) ?? { provider, unit: PRICE_UNITS[provider], renders: 0, amount: 0, unknown: 0, sources: {} };
    c.renders += 1;
    if (price.amount === null) c.unknown += 1;
    else c.amount += price.amount;
    c.sources[price.source] = (c.sources[price.source] ?? 0) + 1;
    by.set(provider, c);
  }
  return [...by.values()].sort((a, b) => compareText(a.provider, b.provider));
}

/**
 * `1,003 compute units`, `72,692 credits`, `0.5 credits`: at most two decimals, thousands
 * grouped as in en-US; a provider without a unit gets the bare number. Not Intl.NumberFormat:
 * making one loads ICU's number data, about 25 ms of every run's start or end.
 */
export function formatAmount(amount: number, unit: string | null): string {
  const n = groupedNumber(amount);
  return unit ? `${n} ${unit}` : n;
}

/** `amount` rounded to two decimals (trailing zeros dropped), its whole part grouped by threes. */
function groupedNumber(amount: number): string {
  if (!Number.isFinite(amount)) return String(amount);
  const cents = Math.round(Math.abs(amount) * 100);
  const whole = Math.floor(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0').replace(/0+$/, '');
  const sign = amount < 0 && cents > 0 ? '-' : '';
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction ? `.${fraction}` : ''}`;
}
