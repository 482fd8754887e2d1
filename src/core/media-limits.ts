/**
 * How large a local file may be to be sent inline (as a base64 `data:` URI in the submit body),
 * per provider. None of the three documents a limit for inline media (providers.md §3, §6.2:
 * "undocumented"), so each gets the same conservative default: a 32 MB file is about 43 MB once
 * base64-encoded, which keeps the request body under the common 50 MB limits of API gateways.
 * Bigger inputs should be uploaded somewhere and given as an https URL.
 */
import type { ProviderName } from './catalog.js';

const MB = 1_000_000;

/** Largest local media file, in bytes, sent inline to each provider. */
export const INLINE_MEDIA_LIMIT_BYTES: Readonly<Record<ProviderName, number>> = {
  aimlapi: 32 * MB,
  krea: 32 * MB,
  novita: 32 * MB,
};

/** The largest of them: what the submit-time reader refuses whatever the provider. */
export const MAX_INLINE_MEDIA_BYTES = Math.max(...Object.values(INLINE_MEDIA_LIMIT_BYTES));

/** `1.6 GB`, `50 MB`, `812 KB`, `12 bytes`: decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
    }
  }
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
