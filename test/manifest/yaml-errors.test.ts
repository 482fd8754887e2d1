import { beforeAll, describe, expect, it } from 'vitest';
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
  // The first command loads its modules; the loose time limit is about not hanging (an alias
  // bomb let through would expand to 9^13 nodes), not about speed on a loaded machine.
  beforeAll(async () => {
    await runCli(['validate', 'm.yaml'], tempDir({ 'm.yaml': 'version: 1\n' }));
  });

  it.each(CASES)('%s is reported with its position, without hanging', async (_what, text, expected) => {
    const dir = tempDir({ 'm.yaml': text });
    const started = performance.now();
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(expected);
  });
});

const SHOT = 'shots:\n  - id: a\n    model: wan-t2v\n';

const TAGS: [string, string, string][] = [
  ['!!binary', `version: 1\n${SHOT}    prompt: !!binary aGVsbG8=\n`, 'm.yaml:5:13: YAML tag !!binary is not supported: write the value as plain text or a number'],
  ['!!set', `version: 1\nvars: !!set { hero, villain }\n${SHOT}    prompt: p\n`, 'm.yaml:2:7: YAML tag !!set is not supported: write a plain mapping or list'],
  ['!!omap', `version: 1\nvars: !!omap [ { hero: x } ]\n${SHOT}    prompt: p\n`, 'm.yaml:2:7: YAML tag !!omap is not supported: write a plain mapping or list'],
  ['!!timestamp', `version: 1\nname: !!timestamp 2026-12-01\n${SHOT}    prompt: p\n`, 'm.yaml:2:7: YAML tag !!timestamp is not supported: write the value as plain text or a number'],
  ['a custom tag on a key', `version: 1\n${SHOT}    !secret prompt: p\n`, 'm.yaml:5:5: YAML tag !secret is not supported: write the value as plain text or a number'],
  ['a verbatim tag', `version: 1\n${SHOT}    prompt: !<tag:yaml.org,2002:binary> aGVsbG8=\n`, 'm.yaml:5:13: YAML tag !<tag:yaml.org,2002:binary> is not supported: write the value as plain text or a number'],
];

describe('YAML tags', () => {
  it.each(TAGS)('%s is a problem at the tag, not a crash', async (_what, text, expected) => {
    const dir = tempDir({ 'm.yaml': text });
    for (const command of ['validate', 'plan']) {
      const r = await runCli([command, 'm.yaml'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`${expected}\nrender: 1 problem in the manifest; nothing was submitted.\n`);
    }
  });

  it('reports every unsupported tag of a file at once', async () => {
    const dir = tempDir({ 'm.yaml': `version: 1\nvars: { a: !!binary aGk=, b: !env HOME }\n${SHOT}    prompt: p\n` });
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'm.yaml:2:12: YAML tag !!binary is not supported: write the value as plain text or a number',
      'm.yaml:2:30: YAML tag !env is not supported: write the value as plain text or a number',
    ]);
  });

  it('allows the core tags that restate a plain type', async () => {
    const dir = tempDir({ 'm.yaml': `version: !!int "1"\nname: !!str 2026\n${SHOT}    prompt: !!str 12\n    seed: !!int 7\n` });
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('m.yaml: OK, "2026": 1 shot, 1 render\n');
    expect(r.code).toBe(0);
  });
});
