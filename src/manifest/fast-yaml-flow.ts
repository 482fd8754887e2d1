/**
 * One-line flow collections (`[a, b]`, `{ k: v }`) and quoted scalars for the fast YAML reader
 * (fast-yaml.ts). Anything it is not sure of throws BAIL.
 */
import { BAIL, checkPlainStart, plainKey, readQuoted, resolvePlain, sliceTrimmed } from './fast-yaml-scalars.js';

/** A flow collection or quoted scalar at `i` of `text` that closes before the line's `end`. */
export function readFlow(text: string, i: number, end: number): { value: unknown; end: number } {
  const first = text[i];
  if (first === '"' || first === "'") {
    const quoted = readQuoted(text, i, end);
    if (quoted === BAIL) throw BAIL;
    return quoted;
  }
  if (first === '[') {
    const items: unknown[] = [];
    i = skipSpaces(text, i + 1, end);
    if (text[i] === ']') return { value: items, end: i + 1 };
    for (;;) {
      const item = readFlow(text, i, end);
      items.push(item.value);
      i = skipSpaces(text, item.end, end);
      if (text[i] === ']') return { value: items, end: i + 1 };
      if (text[i] !== ',') throw BAIL;
      i = skipSpaces(text, i + 1, end);
    }
  }
  if (first === '{') {
    const obj: Record<string, unknown> = {};
    i = skipSpaces(text, i + 1, end);
    if (text[i] === '}') return { value: obj, end: i + 1 };
    for (;;) {
      let colon = i;
      while (colon < end && !',[]{}#:'.includes(text[colon] ?? '')) colon += 1;
      if (text[colon] !== ':' || text[colon + 1] !== ' ') throw BAIL;
      const key = plainKey(sliceTrimmed(text, i, colon));
      if (Object.hasOwn(obj, key)) throw BAIL;
      const item = readFlow(text, skipSpaces(text, colon + 1, end), end);
      obj[key] = item.value;
      i = skipSpaces(text, item.end, end);
      if (text[i] === '}') return { value: obj, end: i + 1 };
      if (text[i] !== ',') throw BAIL;
      i = skipSpaces(text, i + 1, end);
    }
  }
  // A plain scalar in a flow collection: up to , [ ] { } or `: `; a comment or the line's end first is not ours.
  checkPlainStart(text, i, end);
  let stop = i;
  while (stop < end) {
    const ch = text[stop] ?? '';
    if (',[]{}'.includes(ch)) break;
    if (ch === ':' && ' ,[]{}'.includes(text[stop + 1] ?? ' ')) throw BAIL;
    if (ch === '#' && text[stop - 1] === ' ') throw BAIL;
    stop += 1;
  }
  if (stop === end) throw BAIL;
  const resolved = resolvePlain(sliceTrimmed(text, i, stop));
  if (resolved === BAIL) throw BAIL;
  return { value: resolved, end: stop };
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === 32) i += 1;
  if (i >= end) throw BAIL;
  return i;
}
