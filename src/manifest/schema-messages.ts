/**
 * Ajv's errors as messages a user can act on: what is wrong, the allowed values or range, and
 * a "did you mean" for misspelt keys and enum values.
 */
import type { ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.js';

/** Short, single-line rendering of a value for a message. */
export function showValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** Friendlier words for the patterns in the schemas. */
const PATTERN_WORDS: Record<string, string> = {
  '^[a-z0-9][a-z0-9_-]{0,63}$': 'lower-case letters, digits, _ and -, starting with a letter or digit, at most 64',
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': 'letters, digits, ., _ and -, starting with a letter or digit, at most 64',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'letters, digits and _, not starting with a digit',
};

interface SchemaWithRange {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, unknown>;
  description?: string;
}

/** The allowed range of a number as words: "from 0 to 1", "at least 1". */
function rangeWords(schema: SchemaWithRange): string {
  const low =
    schema.minimum !== undefined ? `${schema.minimum}` : schema.exclusiveMinimum !== undefined ? `more than ${schema.exclusiveMinimum}` : undefined;
  const high = schema.maximum ?? schema.exclusiveMaximum;
  if (low !== undefined && high !== undefined) {
    return schema.exclusiveMinimum !== undefined ? `${low} and at most ${high}` : `from ${low} to ${high}`;
  }
  if (low !== undefined) return schema.exclusiveMinimum !== undefined ? low : `at least ${low}`;
  return `at most ${high}`;
}

/**
 * The message for one ajv error. `label` names the offending value (`shots[2].repeat`,
 * `num_frames`); `owner` names the mapping for key errors (`the manifest`, `shots[2]`).
 */
export function schemaErrorMessage(error: ErrorObject, label: string, owner: string): string {
  const got = ` (got ${showValue(error.data)})`;
  const parent = (error.parentSchema ?? {}) as SchemaWithRange;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${owner} needs "${String(params['missingProperty'])}"`;
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys(parent.properties ?? {});
      const hint = allowed.length > 0 ? `${didYouMean(key, allowed)} (allowed: ${allowed.join(', ')})` : '';
      return `unknown key "${key}" in ${owner}${hint}`;
    }
    case 'const':
      return `${label} must be ${showValue(params['allowedValue'])}${got}`;
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]) ?? [];
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed.map(String)) : '';
      return `${label} must be one of ${allowed.map(showValue).join(', ')}${got}${hint}`;
    }
    case 'type': {
      const types = String(params['type']).split(',').map((t) => TYPE_NAMES[t] ?? t);
      return `${label} must be ${types.join(' or ')} (got ${typeOfValue(error.data)})`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${label} must be ${rangeWords(parent)}${got}`;
    case 'minItems':
      return `${label} needs at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${label} takes at most ${String(params['limit'])} items (got ${Array.isArray(error.data) ? error.data.length : '?'})`;
    case 'minLength':
      return params['limit'] === 1 ? `${label} must not be empty` : `${label} needs at least ${String(params['limit'])} characters`;
    case 'maxLength':
      return `${label} takes at most ${String(params['limit'])} characters (got ${typeof error.data === 'string' ? error.data.length : '?'})`;
    case 'pattern': {
      const pattern = String(params['pattern']);
      return `${label} ${showValue(error.data)} must be ${PATTERN_WORDS[pattern] ?? `like ${pattern}`}`;
    }
    case 'propertyNames':
      return `${label}: key ${showValue(params['propertyName'])} is not allowed here`;
    case 'oneOf':
      return `${label} must be ${parent.description ?? 'one of the documented forms'}${got}`;
    default:
      return `${label} ${error.message ?? 'is invalid'}`;
  }
}
