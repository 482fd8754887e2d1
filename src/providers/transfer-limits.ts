/**
 * Sizes as people write them, and the transfer limits (kept with every default in
 * core/defaults.ts). Every limit is a default: the HTTP client and the downloader take
 * overrides, so tests can use small ones.
 */
import { TRANSFER_LIMITS } from '../core/defaults.js';

export { TRANSFER_LIMITS };

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export type TransferLimits = { -readonly [K in keyof typeof TRANSFER_LIMITS]: number };

const UNITS: Record<string, number> = {
  b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, tb: 1000 ** 4,
  k: KiB, kib: KiB, m: MiB, mib: MiB, g: GiB, gib: GiB, t: 1024 * GiB, tib: 1024 * GiB,
};

/** `500MB`, `2GiB`, `1.5 GB`, `1048576` → bytes; undefined when it does not read as a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? '').toLowerCase() || 'b'];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** Bytes for messages: `4 GiB` for a whole binary unit, else decimal (`10.0 GB`, `1.3 kB`, `512 B`). */
export function formatSize(bytes: number): string {
  const steps: [number, string, number, string][] = [[GiB, 'GiB', 1e9, 'GB'], [MiB, 'MiB', 1e6, 'MB'], [KiB, 'KiB', 1e3, 'kB']];
  for (const [binary, binaryName, decimal, decimalName] of steps) {
    if (bytes >= binary && bytes % binary === 0) return `${bytes / binary} ${binaryName}`;
    if (bytes >= decimal) return `${(bytes / decimal).toFixed(1)} ${decimalName}`;
  }
  return `${bytes} B`;
}
