/** The adapter for each provider. Adapters are stateless objects, so one of each is shared. */
import { aimlapiAdapter } from './aimlapi/adapter.js';
import type { ProviderName } from '../core/catalog.js';
import { kreaAdapter } from './krea/adapter.js';
import { novitaAdapter } from './novita/adapter.js';
import type { ProviderAdapter } from './types.js';

const ADAPTERS: Record<ProviderName, ProviderAdapter> = {
  aimlapi: aimlapiAdapter,
  krea: kreaAdapter,
  novita: novitaAdapter,
};

export function adapterFor(provider: ProviderName): ProviderAdapter {
  return ADAPTERS[provider];
}
