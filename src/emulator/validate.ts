/**
 * A tiny field checker for the create bodies. The emulator plays the real services, so it holds
 * its own copy of their documented rules (providers.md §2-§4, §6.2, §7.2) instead of sharing
 * render's schemas: a bug in render's validation must not hide behind the same bug here.
 * Problems come out as neutral Issues; each provider words them its own way.
 */

export type FieldRule =
  | { type: 'string'; required?: boolean; minLength?: number; maxLength?: number; enum?: readonly string[]; uri?: boolean; nullable?: boolean }
  | { type: 'integer' | 'number'; required?: boolean; min?: number; max?: number; oneOf?: readonly number[] }
  | { type: 'boolean'; required?: boolean }
  | { type: 'object'; required?: boolean }
  | { type: 'array'; required?: boolean; maxItems?: number; items?: Record<string, FieldRule> };

export interface Issue {
  /** Dotted path, e.g. `loras.0.scale`. */
  field: string;
  code: 'required' | 'type' | 'enum' | 'too_small' | 'too_big' | 'one_of' | 'unknown_key' | 'format';
  /** What was expected, in words (a type, a list, a bound). */
  expected: string;
  /** What was received, as JSON text (or the received type for type errors). */
  received: string;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks `body` against `rules`; `closed` rejects keys that have no rule (additionalProperties: false). */
export function checkFields(body: Record<string, unknown>, rules: Record<string, FieldRule>, closed = false, prefix = ''): Issue[] {
  const issues: Issue[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const field = prefix + name;
    const value = body[name];
    if (value === undefined) {
      if (rule.required) issues.push({ field, code: 'required', expected: rule.type, received: 'undefined' });
      continue;
    }
    issues.push(...checkValue(field, value, rule));
  }
  if (closed) {
    for (const key of Object.keys(body)) {
      if (!(key in rules)) issues.push({ field: prefix + key, code: 'unknown_key', expected: 'no such key', received: key });
    }
  }
  return issues;
}

function checkValue(field: string, value: unknown, rule: FieldRule): Issue[] {
  const type = (expected: string): Issue[] => [{ field, code: 'type', expected, received: typeName(value) }];
  switch (rule.type) {
    case 'string': {
      if (value === null && rule.nullable) return [];
      if (typeof value !== 'string') return type('string');
      if (rule.enum && !rule.enum.includes(value)) {
        return [{ field, code: 'enum', expected: rule.enum.map((e) => `'${e}'`).join(' | '), received: `'${value}'` }];
      }
      if (rule.minLength !== undefined && value.length < rule.minLength) {
        return [{ field, code: 'too_small', expected: `at least ${rule.minLength} character(s)`, received: String(value.length) }];
      }
      if (rule.maxLength !== undefined && value.length > rule.maxLength) {
        return [{ field, code: 'too_big', expected: `at most ${rule.maxLength} character(s)`, received: String(value.length) }];
      }
      if (rule.uri && !/^(https?:\/\/\S+|data:[\w.+-]+\/[\w.+-]+(;[\w=.+-]+)*(;base64)?,)/i.test(value)) {
        return [{ field, code: 'format', expected: 'an http(s) URL or a data URI', received: JSON.stringify(value.slice(0, 40)) }];
      }
      return [];
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return type(rule.type === 'integer' ? 'integer' : 'number');
      if (rule.type === 'integer' && !Number.isInteger(value)) return type('integer');
      if (rule.oneOf && !rule.oneOf.includes(value)) {
        return [{ field, code: 'one_of', expected: rule.oneOf.join(', '), received: String(value) }];
      }
      if (rule.min !== undefined && value < rule.min) return [{ field, code: 'too_small', expected: `>= ${rule.min}`, received: String(value) }];
      if (rule.max !== undefined && value > rule.max) return [{ field, code: 'too_big', expected: `<= ${rule.max}`, received: String(value) }];
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : type('boolean');
    case 'object':
      return isRecord(value) ? [] : type('object');
    case 'array': {
      if (!Array.isArray(value)) return type('array');
      if (rule.maxItems !== undefined && value.length > rule.maxItems) {
        return [{ field, code: 'too_big', expected: `at most ${rule.maxItems} item(s)`, received: String(value.length) }];
      }
      const items = rule.items;
      if (!items) return [];
      return value.flatMap((item, i) =>
        isRecord(item) ? checkFields(item, items, false, `${field}.${i}.`) : [{ field: `${field}.${i}`, code: 'type' as const, expected: 'object', received: typeName(item) }],
      );
    }
  }
}

/** Sorted-key JSON, so the same params in any key order name the same video. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
