/**
 * Tolerant readers for provider JSON. The providers' documented shapes disagree with their own
 * examples (strings for numbers, renamed keys), so adapters read fields defensively instead of
 * trusting a declared type.
 */

export type JsonObject = Record<string, unknown>;

/** Parses JSON text; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A finite number, also from a numeric string (Novita sends `video_url_ttl: "3600"`). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Follows `keys` through nested objects; arrays are indexed with numbers. */
export function dig(value: unknown, ...keys: Array<string | number>): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      const obj = asObject(current);
      if (!obj) return undefined;
      current = obj[key];
    }
  }
  return current;
}

const MAX_TEXT_CHARS = 500;

/** A raw body shown to a user: trimmed and cut, so an HTML error page does not flood the terminal. */
export function shortText(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed.length > MAX_TEXT_CHARS ? `${trimmed.slice(0, MAX_TEXT_CHARS)}…` : trimmed;
}
