/**
 * A provider's answer with the API keys cut out, as the HTTP client hands it on: body text and
 * headers (names and values). Every adapter, status reason, request id and error message is
 * read from this form only.
 *
 * A JSON body is checked as parsed, not only as sent: `\u0073k-…` or a key split by escapes
 * spells the key only once decoded. Strings (values and property names) are redacted, a number
 * whose digits hold a piece of a key becomes the string `[redacted]`, and the body is written
 * out again when anything changed, so the text stays JSON that every reader parses the same way.
 */
import { REDACTED, type Redact } from './redact.js';
import type { ProviderResponse } from './types.js';

interface Walk {
  changed: boolean;
}

function redactValue(value: unknown, redact: Redact, walk: Walk): unknown {
  if (typeof value === 'string') {
    const clean = redact(value);
    if (clean !== value) walk.changed = true;
    return clean;
  }
  if (typeof value === 'number') {
    if (redact(String(value)) === String(value)) return value;
    walk.changed = true;
    return REDACTED;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, walk));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      const cleanName = redact(name);
      if (cleanName !== name) walk.changed = true;
      // defineProperty, not assignment: a `__proto__` name stays an ordinary field.
      Object.defineProperty(out, cleanName, { value: redactValue(item, redact, walk), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Body text with every key redacted; JSON stays JSON. */
export function redactBodyText(text: string, redact: Redact): string {
  const json = parsed(text);
  if (!json.ok) return redact(text);
  const walk: Walk = { changed: false };
  try {
    const value = redactValue(json.value, redact, walk);
    // Unchanged values keep the exact text sent, unless the text itself still holds a piece of
    // a key where parsing does not look (the digits of a number beyond double precision).
    if (!walk.changed && redact(text) === text) return text;
    return JSON.stringify(value);
  } catch {
    // Nested deeper than the stack (no provider does that): redacted as text, best effort.
    return redact(text);
  }
}

/** The answer as render may read it: body and headers without any key. */
export function redactAnswer(res: ProviderResponse, redact: Redact): ProviderResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) headers[redact(name)] = redact(value);
  return { status: res.status, headers, bodyText: redactBodyText(res.bodyText, redact) };
}
