/**
 * Scalars and keys for the fast YAML reader (fast-yaml.ts), resolved exactly as the yaml
 * package's core schema resolves them, or not at all: a form this file is not sure of gives (or
 * throws) BAIL, and the manifest is read by the full parser instead.
 */

/** The answer of a reader that met something it does not handle for certain. */
export const BAIL: unique symbol = Symbol('bail');
export type Bail = typeof BAIL;

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** Every other core-schema form of a number (octal, hex, exponent, .inf, .nan): left to yaml. */
const OTHER_NUMBER = /^(?:0o|0x|[-+]?\.(?:inf|Inf|INF)$|\.nan$|\.NaN$|\.NAN$|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE])/;

/** A plain (unquoted) scalar, already trimmed, as the core schema reads it. */
export function resolvePlain(source: string): unknown {
  switch (source) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const first = source.charCodeAt(0);
  // Only a digit, a sign or a dot can start a number.
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!numeric) return source;
  if (INT.test(source)) return parseInt(source, 10);
  if (FLOAT.test(source)) return parseFloat(source);
  if (OTHER_NUMBER.test(source)) return BAIL;
  return source;
}

/** Escapes of a double-quoted scalar that this reader decodes; any other one bails. */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t' };

/**
 * A quoted scalar that opens at `start` (on `"` or `'`) and closes on the same line, which ends
 * at `lineEnd`. Returns its value and the offset after the closing quote, or BAIL.
 */
export function readQuoted(text: string, start: number, lineEnd: number): { value: string; end: number } | Bail {
  const quote = text[start];
  let value = '';
  let from = start + 1;
  for (let i = from; i < lineEnd; i += 1) {
    const c = text[i];
    if (quote === "'" && c === "'") {
      if (text[i + 1] === "'") {
        value += text.slice(from, i + 1);
        i += 1;
        from = i + 1;
        continue;
      }
      return { value: value + text.slice(from, i), end: i + 1 };
    }
    if (quote === '"' && c === '\\') {
      const decoded = ESCAPES[text[i + 1] ?? ''];
      if (decoded === undefined) return BAIL;
      value += text.slice(from, i) + decoded;
      i += 1;
      from = i + 1;
      continue;
    }
    if (quote === '"' && c === '"') return { value: value + text.slice(from, i), end: i + 1 };
  }
  return BAIL;
}

/** Characters that start something other than a plain scalar or key here. */
const INDICATORS = new Set(['[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '<']);
/** yaml's limit on the length of an implicit key. */
const MAX_KEY_LENGTH = 1000;

/** Throws BAIL unless a plain scalar may start at `v` (the line ends at `end`). */
export function checkPlainStart(text: string, v: number, end: number): void {
  const first = text[v] ?? '';
  if (INDICATORS.has(first)) throw BAIL;
  if ((first === '-' || first === '?' || first === ':') && (v + 1 === end || text[v + 1] === ' ')) throw BAIL;
}

/** A plain mapping key as written (trimmed); throws BAIL unless it is an ordinary string key. */
export function plainKey(source: string): string {
  const first = source[0] ?? '';
  if (source === '' || source.length > MAX_KEY_LENGTH || INDICATORS.has(first) || first === '-' || first === '?' || first === ':') throw BAIL;
  if (source === '__proto__' || resolvePlain(source) !== source) throw BAIL;
  return source;
}

/** `text` from `start` to `end` without its trailing spaces (YAML trims spaces only, not every Unicode space). */
export function sliceTrimmed(text: string, start: number, end: number): string {
  while (end > start && text.charCodeAt(end - 1) === 32) end -= 1;
  return text.slice(start, end);
}
