/**
 * Render ids: `<shot>[.<param>-<value>...].(seed-<n>|draw-<k>|take-<k>)`, readable and safe as
 * file names everywhere: lower-case [a-z0-9_.-] only, dots only between the parts.
 */
import { fnv1a32 } from './hash.js';

/** Longest value part kept as is; longer ones are cut and given a hash so they stay distinct. */
const MAX_VALUE_CHARS = 40;

/** A param name or value as an id part: lower-case, anything outside [a-z0-9_-] becomes `_`. */
export function idPart(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
  const safe = text.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  if (safe.length <= MAX_VALUE_CHARS) return safe;
  return `${safe.slice(0, MAX_VALUE_CHARS - 9)}_${fnv1a32(text).toString(16).padStart(8, '0')}`;
}

export function renderId(shot: string, sweep: readonly { key: string; value: unknown }[], last: string): string {
  const parts = [shot];
  for (const { key, value } of sweep) parts.push(`${idPart(key)}-${idPart(value)}`);
  parts.push(last);
  return parts.join('.');
}
