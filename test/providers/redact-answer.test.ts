/** An answer as adapters read it: keys out of the body (JSON as parsed, not only as sent) and headers. */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../src/providers/redact.js';
import { redactAnswer, redactBodyText } from '../../src/providers/redact-answer.js';

const KEY = 'sk-canary-5be0c1d2e3f4a5b6c7d8e9f001122334';
const DIGIT_KEY = 'nv-73914682051234567890';
const redact = createRedactor([KEY, DIGIT_KEY]);

describe('redactBodyText', () => {
  it('keeps a clean JSON body byte for byte', () => {
    const text = '{ "id": "a:b/c",\n  "status": "queued", "meta": {"usage": {"credits_used": 1e3}} }';
    expect(redactBodyText(text, redact)).toBe(text);
  });

  it('redacts a key hidden by JSON escapes, leaving JSON that parses to the redacted value', () => {
    const escaped = `{"error": {"message": "bad \\u0073${KEY.slice(1, 9)}\\u002d${KEY.slice(10)}"}}`;
    expect(JSON.parse(escaped)).toEqual({ error: { message: `bad ${KEY}` } });
    const out = redactBodyText(escaped, redact);
    expect(JSON.parse(out)).toEqual({ error: { message: `bad ${REDACTED}` } });
    expect(out).not.toContain(KEY.slice(10, 18));
  });

  it('redacts property names, values in arrays and nested objects', () => {
    const body = { status: { [KEY]: 1 }, detail: [{ msg: `no ${KEY.slice(3, 15)}`, loc: ['body', KEY] }] };
    expect(JSON.parse(redactBodyText(JSON.stringify(body), redact))).toEqual({
      status: { [REDACTED]: 1 },
      detail: [{ msg: `no ${REDACTED}`, loc: ['body', REDACTED] }],
    });
  });

  it('turns a number whose digits hold a piece of a key into the string [redacted]', () => {
    const text = `{"seed": ${DIGIT_KEY.slice(6, 16)}, "credits": 12, "big": 9${DIGIT_KEY.slice(3)}}`;
    expect(JSON.parse(redactBodyText(text, redact))).toEqual({ seed: REDACTED, credits: 12, big: REDACTED });
  });

  it('keeps a "__proto__" field an ordinary field', () => {
    const out = JSON.parse(redactBodyText(`{"__proto__": {"x": "${KEY}"}, "id": "j"}`, redact)) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'id']);
    expect(JSON.stringify(out)).toBe(`{"__proto__":{"x":"${REDACTED}"},"id":"j"}`);
  });

  it('redacts JSON nested deeper than the stack as text', () => {
    const depth = 20_000;
    const text = `${'['.repeat(depth)}"${KEY}"${']'.repeat(depth)}`;
    expect(redactBodyText(text, redact)).toBe(`${'['.repeat(depth)}"${REDACTED}"${']'.repeat(depth)}`);
  });

  it('redacts text that is not JSON as text', () => {
    expect(redactBodyText(`<html><body>Bad key ${KEY}</body></html>`, redact)).toBe(`<html><body>Bad key ${REDACTED}</body></html>`);
    expect(redactBodyText('', redact)).toBe('');
  });
});

describe('redactAnswer', () => {
  it('redacts header names and values and the body, keeping the status', () => {
    const res = redactAnswer(
      { status: 422, headers: { 'x-request-id': KEY, [`x-${KEY}`]: 'on', 'content-type': 'application/json' }, bodyText: `{"requestId": "${KEY}"}` },
      redact,
    );
    expect(res).toEqual({
      status: 422,
      headers: { 'x-request-id': REDACTED, [`x-${REDACTED}`]: 'on', 'content-type': 'application/json' },
      bodyText: `{"requestId":"${REDACTED}"}`,
    });
  });
});
