/**
 * Cuts API keys out of text that came from a provider, before render parses, cuts, stores or
 * prints it. A provider may echo a key anywhere (an error body, a request id, a header), whole
 * or cut short by somebody's truncation, so the rule is:
 *
 * - a key of FRAGMENT_MIN_KEY_CHARS (16) characters or more is redacted wherever any
 *   FRAGMENT_CHARS (8) consecutive characters of it appear; overlapping and adjacent matches
 *   become one `[redacted]`, which therefore covers the whole echoed key and any piece of it;
 * - a shorter key is redacted where it appears whole (its pieces are too short to tell apart
 *   from ordinary text);
 * - matching ignores the case of ASCII letters, so an upper-cased echo is caught too.
 *
 * The scan is linear: the keys' 8-character pieces are indexed by a rolling hash, and the text's
 * 8-character windows are hashed in one pass, a piece compared only on a hash hit.
 */

export const REDACTED = '[redacted]';
/** Keys at least this long are redacted by any fragment of FRAGMENT_CHARS; shorter ones whole. */
export const FRAGMENT_MIN_KEY_CHARS = 16;
/** Length of the shortest run of a key's characters that is redacted. */
export const FRAGMENT_CHARS = 8;

/** Replaces every key, and every long enough piece of one, with `[redacted]`. */
export type Redact = (text: string) => string;

const HASH_BASE = 0x01000193;
/** HASH_BASE ** (FRAGMENT_CHARS - 1), modulo 2^32: the weight of the character leaving the window. */
const OUTGOING_WEIGHT = (() => {
  let w = 1;
  for (let i = 1; i < FRAGMENT_CHARS; i += 1) w = Math.imul(w, HASH_BASE);
  return w;
})();

/** ASCII upper case folded to lower case; every other code unit unchanged. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function foldText(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

function windowHash(text: string, start: number): number {
  let h = 0;
  for (let i = start; i < start + FRAGMENT_CHARS; i += 1) h = (Math.imul(h, HASH_BASE) + fold(text.charCodeAt(i))) | 0;
  return h;
}

function sameFolded(text: string, at: number, piece: string): boolean {
  for (let i = 0; i < FRAGMENT_CHARS; i += 1) if (fold(text.charCodeAt(at + i)) !== piece.charCodeAt(i)) return false;
  return true;
}

type Span = [start: number, end: number];

/** Bits of a window hash that index the prefilter; a miss there skips the Map lookup. */
const FILTER_BITS = 16;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

/** The keys' pieces by hash, and a bitmap of their hashes' low bits to skip most windows fast. */
interface PieceIndex {
  byHash: Map<number, string[]>;
  filter: Uint8Array;
}

/** Pieces of long keys: every FRAGMENT_CHARS window of the text that is one, merged into spans. */
function fragmentSpans(text: string, pieces: PieceIndex): Span[] {
  const spans: Span[] = [];
  if (text.length < FRAGMENT_CHARS) return spans;
  const { byHash, filter } = pieces;
  let h = windowHash(text, 0);
  for (let i = 0; ; i += 1) {
    const candidates = filter[h & FILTER_MASK] === 1 ? byHash.get(h) : undefined;
    if (candidates !== undefined && candidates.some((p) => sameFolded(text, i, p))) {
      const last = spans[spans.length - 1];
      if (last !== undefined && i <= last[1]) last[1] = i + FRAGMENT_CHARS;
      else spans.push([i, i + FRAGMENT_CHARS]);
    }
    const next = i + FRAGMENT_CHARS;
    if (next >= text.length) return spans;
    const out = Math.imul(fold(text.charCodeAt(i)), OUTGOING_WEIGHT);
    h = (Math.imul((h - out) | 0, HASH_BASE) + fold(text.charCodeAt(next))) | 0;
  }
}

/** Whole occurrences of the short keys (already folded). */
function wholeSpans(text: string, keys: string[]): Span[] {
  const folded = foldText(text);
  const spans: Span[] = [];
  for (const key of keys) {
    for (let at = folded.indexOf(key); at >= 0; at = folded.indexOf(key, at + 1)) spans.push([at, at + key.length]);
  }
  return spans;
}

/** Sorted, overlapping or touching spans joined; a span never splits a surrogate pair. */
function mergeSpans(spans: Span[], text: string): Span[] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [s, e] of spans) {
    const start = s > 0 && isLowSurrogate(text.charCodeAt(s)) && isHighSurrogate(text.charCodeAt(s - 1)) ? s - 1 : s;
    const end = e < text.length && isLowSurrogate(text.charCodeAt(e)) && isHighSurrogate(text.charCodeAt(e - 1)) ? e + 1 : e;
    const last = out[out.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A redactor for `keys` (undefined and empty ones are ignored; with none, text is unchanged). */
export function createRedactor(keys: Iterable<string | undefined>): Redact {
  const unique = [...new Set([...keys].filter((k): k is string => typeof k === 'string' && k.length > 0).map(foldText))];
  const short = unique.filter((k) => k.length < FRAGMENT_MIN_KEY_CHARS);
  const pieces: PieceIndex = { byHash: new Map(), filter: new Uint8Array(FILTER_MASK + 1) };
  for (const key of unique.filter((k) => k.length >= FRAGMENT_MIN_KEY_CHARS)) {
    for (let i = 0; i + FRAGMENT_CHARS <= key.length; i += 1) {
      const piece = key.slice(i, i + FRAGMENT_CHARS);
      const h = windowHash(piece, 0);
      const list = pieces.byHash.get(h) ?? [];
      if (!list.includes(piece)) list.push(piece);
      pieces.byHash.set(h, list);
      pieces.filter[h & FILTER_MASK] = 1;
    }
  }
  if (unique.length === 0) return (text) => text;

  return (text) => {
    const found = pieces.byHash.size > 0 ? fragmentSpans(text, pieces) : [];
    if (short.length > 0) found.push(...wholeSpans(text, short));
    if (found.length === 0) return text;
    const parts: string[] = [];
    let at = 0;
    for (const [start, end] of mergeSpans(found, text)) {
      parts.push(text.slice(at, start), REDACTED);
      at = end;
    }
    parts.push(text.slice(at));
    return parts.join('');
  };
}
