/**
 * AI/ML API reports errors in several shapes (providers.md §1.3, §1.5, A.11): `{message}`,
 * `{error: {name, message}}`, `{error: {detail: [{loc, msg}]}}`, a bare string, and FastAPI's
 * `{detail: [...]}`. One reader for all of them, used for HTTP errors and failed jobs alike.
 */
import { asObject, asString } from '../json-read.js';

function describeDetailItem(item: unknown): string | undefined {
  const text = asString(item);
  if (text) return text;
  const obj = asObject(item);
  if (!obj) return undefined;
  const msg = asString(obj.msg) ?? asString(obj.message);
  if (!msg) return undefined;
  const loc = Array.isArray(obj.loc) ? obj.loc.map(String).join('.') : undefined;
  return loc ? `${msg} (${loc})` : msg;
}

function describeDetail(detail: unknown): string | undefined {
  if (Array.isArray(detail)) {
    const parts = detail.map(describeDetailItem).filter((p): p is string => p !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return asString(detail) ?? describeDetailItem(detail);
}

function describeMessage(message: unknown): string | undefined {
  if (Array.isArray(message)) {
    const parts = message.filter((m): m is string => typeof m === 'string' && m.length > 0);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return asString(message);
}

/** The human text of an AI/ML API `error` value or error body; undefined when it has none. */
export function describeAimlError(value: unknown): string | undefined {
  const text = asString(value);
  if (text) return text;
  const obj = asObject(value);
  if (!obj) return undefined;
  const message = describeMessage(obj.message) ?? describeDetail(obj.detail);
  if (message) {
    const name = asString(obj.name);
    return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
  }
  return obj.error !== undefined && obj.error !== null ? describeAimlError(obj.error) : undefined;
}
