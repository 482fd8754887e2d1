/** The key redactor: whole keys, any 8 characters of a long key, short keys whole, in linear time. */
import { describe, expect, it } from 'vitest';
import { shortText } from '../../src/providers/json-read.js';
import { createRedactor, FRAGMENT_CHARS, REDACTED } from '../../src/providers/redact.js';

const KEY = 'sk-canary-0f3a9c2be81d4e7fa6b5c0d9e2f1a3b4';
const OTHER = 'kr-9b8e7d6c5b4a39281706f5e4d3c2b1a0';

/** Whether any FRAGMENT_CHARS characters of `key` are in `text`. */
function holdsPiece(text: string, key: string): boolean {
  for (let i = 0; i + FRAGMENT_CHARS <= key.length; i += 1) if (text.includes(key.slice(i, i + FRAGMENT_CHARS))) return true;
  return false;
}

describe('createRedactor', () => {
  const redact = createRedactor([KEY, OTHER, undefined, '']);

  it('replaces a whole key, keeping the text around it', () => {
    expect(redact(`Bearer ${KEY} is invalid`)).toBe(`Bearer ${REDACTED} is invalid`);
    expect(redact(KEY)).toBe(REDACTED);
  });

  it('replaces any 8 characters of a key, wherever they start and end', () => {
    for (let start = 0; start + FRAGMENT_CHARS <= KEY.length; start += 1) {
      for (const end of [start + FRAGMENT_CHARS, start + FRAGMENT_CHARS + 3, KEY.length]) {
        if (end > KEY.length) continue;
        expect(redact(`id=${KEY.slice(start, end)}.`), `${start}..${end}`).toBe(`id=${REDACTED}.`);
      }
    }
  });

  it('leaves 7 characters of a key alone: too short to tell from ordinary text', () => {
    const seven = KEY.slice(12, 12 + FRAGMENT_CHARS - 1);
    expect(redact(`x ${seven} y`)).toBe(`x ${seven} y`);
  });

  it('joins overlapping and adjacent matches into one marker', () => {
    expect(redact(`${KEY}${KEY}`)).toBe(REDACTED);
    expect(redact(`${KEY.slice(0, 20)}${KEY.slice(10)}`)).toBe(REDACTED);
    expect(redact(`${KEY}${OTHER}!`)).toBe(`${REDACTED}!`);
    expect(redact(`${KEY} ${KEY}`)).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('redacts before a 500-character cut, so the start of a key after 472 characters never shows', () => {
    const body = `${'x'.repeat(472)}${KEY} trailing words`;
    expect(holdsPiece(shortText(body), KEY)).toBe(true); // the cut alone leaks
    const shown = shortText(redact(body));
    expect(holdsPiece(shown, KEY)).toBe(false);
    expect(shown).toBe(`${'x'.repeat(472)}${REDACTED} trailing words`);
  });

  it('redacts every key given, each wherever it is', () => {
    expect(redact(`a=${OTHER.slice(5, 20)} b=${KEY}`)).toBe(`a=${REDACTED} b=${REDACTED}`);
  });

  it('catches an upper-cased echo', () => {
    expect(redact(`KEY ${KEY.toUpperCase()}`)).toBe(`KEY ${REDACTED}`);
    expect(redact(`id ${KEY.slice(4, 16).toUpperCase()}`)).toBe(`id ${REDACTED}`);
  });

  it('redacts a key shorter than 16 characters only whole', () => {
    const r = createRedactor(['abc123', 'secretvalue0']);
    expect(r('key abc123, Abc123 and secretvalue0; abc12 and secretvalu stay')).toBe(
      `key ${REDACTED}, ${REDACTED} and ${REDACTED}; abc12 and secretvalu stay`,
    );
  });

  it('keeps unicode around a key intact and never splits a surrogate pair', () => {
    expect(redact(`é😀${KEY}😀日本`)).toBe(`é😀${REDACTED}😀日本`);
    // Pieces of this key start or end between the halves of 😀 (U+1F600, D83D DE00).
    const r = createRedactor(['abcdefg😀ключ-секрет-42']);
    // 🈀 (D83C DE00) shares the low half: the match starting there takes the high half along.
    expect(r('x🈀ключ-секрет y')).toBe(`x${REDACTED} y`);
    // 🙂 (D83D DE42) shares the high half: the match ending there takes the low half along.
    expect(r('x abcdefg🙂 y')).toBe(`x ${REDACTED} y`);
    expect(() => encodeURIComponent(r('x🈀ключ-секрет abcdefg🙂 y'))).not.toThrow();
  });

  it('returns text without keys unchanged, and everything unchanged without keys', () => {
    const text = 'a queued job 67b69e0c-922f-4eae-9b90-8c4605131d3b';
    expect(redact(text)).toBe(text);
    expect(createRedactor([undefined, ''])(`x ${KEY}`)).toBe(`x ${KEY}`);
    expect(redact('')).toBe('');
    expect(redact('sk-c')).toBe('sk-c');
  });

  it('scans 10 MB in linear time', () => {
    const line = 'lorem ipsum dolor sit amet 0123456789abcdef ÄÖÜ 😀 consectetur adipiscing\n';
    const filler = line.repeat(Math.ceil(5_000_000 / line.length));
    const text = `${filler}${KEY}${filler}${OTHER.slice(3, 30)}`;
    expect(text.length).toBeGreaterThan(10_000_000);
    const started = performance.now();
    const out = redact(text);
    const ms = performance.now() - started;
    expect(out).toBe(`${filler}${REDACTED}${filler}${REDACTED}`);
    // About 0.1 s on one core; the bound only fails a quadratic scan (hours), not a busy machine.
    expect(ms).toBeLessThan(5_000);
  });
});
