import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

function aliasBomb(): string {
  let text = 'version: 1\na0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n';
  for (let i = 1; i <= 12; i += 1) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return `${text}shots: [{ id: a, prompt: p, model: wan-t2v }]\n`;
}

const CASES: [string, string, string][] = [
  ['duplicate key', 'version: 1\nshots: []\nversion: 1\n', 'm.yaml:3:1: duplicate key "version"'],
  ['unclosed quote', 'version: 1\nshots:\n  - id: a\n    prompt: "never closed\n', 'm.yaml:5:1: YAML: Missing closing "quote'],
  ['tab indentation', 'version: 1\nshots:\n\t- id: a\n', 'm.yaml:3:1: YAML: Tabs are not allowed as indentation'],
  ['two documents', 'version: 1\n---\nversion: 1\n', 'm.yaml:2:1: a manifest is one YAML document'],
  ['alias bomb', aliasBomb(), 'm.yaml:3:10: YAML aliases expand too much'],
  ['unknown alias', 'version: 1\nshots: *nothing\n', 'm.yaml:2:8: YAML:'],
];

describe('YAML mistakes', () => {
  // "Quickly" means it does not hang (an alias bomb expands to 9^13 nodes if let through); the
  // bound is loose so that a loaded machine or a cold import cannot fail it.
  it.each(CASES)('%s is reported with its position, without hanging', async (_what, text, expected) => {
    const dir = tempDir({ 'm.yaml': text });
    const started = performance.now();
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(expected);
  });
});
