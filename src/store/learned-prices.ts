/**
 * Prices learned from earlier runs: every `<out>/<name>/manifest.json` under the output folder
 * records the credits each job's provider reported when it was created
 * (`provider_metadata.credits_used`), on the render itself and on its earlier takes. Keyed by
 * provider, model and the params that drive a price (core/prices.ts `priceKey`). Where renders
 * of one key reported different amounts the highest is used: a budget is better checked too
 * high than too low.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isProviderName, type ProviderName } from '../core/catalog.js';
import { priceKey, type LearnedPrices } from '../core/prices.js';
import type { RenderManifestFile, RenderRecord } from '../core/records.js';
import { readManifestFile } from './previous-run.js';

interface Seen {
  amount: number;
  renders: number;
}

export class PriceBook implements LearnedPrices {
  private readonly byKey = new Map<string, Seen>();
  private readonly byModel = new Map<string, Seen>();

  /** Notes that a render of `model` with `params` was reported to cost `amount`. */
  observe(provider: ProviderName, model: string, params: Readonly<Record<string, unknown>>, amount: number): void {
    if (!Number.isFinite(amount) || amount < 0) return;
    for (const [map, key] of [[this.byKey, `${provider} ${model} ${priceKey(params)}`], [this.byModel, `${provider} ${model}`]] as const) {
      const seen = map.get(key) ?? { amount, renders: 0 };
      seen.amount = Math.max(seen.amount, amount);
      seen.renders += 1;
      map.set(key, seen);
    }
  }

  lookup(provider: ProviderName, model: string, params: Readonly<Record<string, unknown>>): { amount: number; renders: number; match: 'params' | 'model' } | undefined {
    const exact = this.byKey.get(`${provider} ${model} ${priceKey(params)}`);
    if (exact) return { ...exact, match: 'params' };
    const model_ = this.byModel.get(`${provider} ${model}`);
    return model_ ? { ...model_, match: 'model' } : undefined;
  }

  get size(): number {
    return this.byKey.size;
  }
}

/**
 * Reads the prices recorded by every run under `outDir` (absolute); none when there is no output
 * yet. `known`: manifest.json files already read (by the plan of this command), by folder name,
 * so they are not read and checked again.
 */
export async function learnPrices(outDir: string, known: ReadonlyMap<string, RenderManifestFile | null> = new Map()): Promise<PriceBook> {
  const book = new PriceBook();
  let names: string[];
  try {
    names = (await readdir(outDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  } catch {
    return book;
  }
  for (const name of names.sort()) {
    // A manifest.json render cannot read says nothing about prices; the run that owns it reports it.
    const manifest = known.has(name) ? known.get(name) : await readManifestFile(join(outDir, name, 'manifest.json')).catch(() => null);
    for (const record of manifest?.renders ?? []) learnFrom(book, record);
  }
  return book;
}

function learnFrom(book: PriceBook, record: Partial<RenderRecord> | null): void {
  if (!record || !isProviderName(record.provider) || typeof record.model !== 'string') return;
  const params = isRecord(record.params) ? record.params : {};
  const credits = record.provider_metadata?.credits_used;
  if (typeof credits === 'number') book.observe(record.provider, record.model, params, credits);
  for (const take of Array.isArray(record.takes) ? record.takes : []) {
    const cost = take?.cost;
    if (cost && typeof cost.credits_used === 'number' && typeof cost.model === 'string' && isRecord(cost.params)) {
      book.observe(record.provider, cost.model, cost.params, cost.credits_used);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
