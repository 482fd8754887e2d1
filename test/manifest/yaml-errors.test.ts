import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

function aliasBomb(): string {
  let text = 'version: 1\na0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n';
  for (let i = 1; i <= 12; i += 1) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return `${text}shots: [{ id: a, prompt: p, model: wan-t2v }]\n`;
}

const CASES: [string, string, string][] = [
  ['duplicate key', 'version: 1\nshots: []\nversion: 1\n', 'm.yaml:3:1: duplicate key "version"'],
  ['unclosed quote', 'version: 1\nshots:\n  - id: a\n    prompt: "never closed\n', 'm.yaml:4:13: this " opens a quoted string that is never closed'],
  ['tab indentation', 'version: 1\nshots:\n\t- id: a\n', 'm.yaml:3:1: a tab is used for indentation: YAML indents with spaces only; replace the tab with spaces'],
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

/**
 * [what, text, the whole of stderr]: each mistake reported once, on the line where it is, and
 * none of its consequences further on.
 */
const WHERE_THE_FIX_GOES: [string, string, string[]][] = [
  [
    'an unclosed quote, at its opening quote (not at the end of the file)',
    'version: 1\nshots:\n  - id: a\n    prompt: "never closed\n    model: wan-t2v\n  - id: b\n    prompt: q\n    model: wan-t2v\n',
    ['m.yaml:4:13: this " opens a quoted string that is never closed: add the closing " where the string ends'],
  ],
  [
    "an unclosed ' quote in a flow mapping",
    "version: 1\nshots:\n  - { id: a, prompt: 'x, model: wan-t2v }\n  - id: b\n",
    ["m.yaml:3:22: this ' opens a quoted string that is never closed: add the closing ' where the string ends"],
  ],
  [
    'a tab on the line of a key, not the value above it',
    'version: 1\nshots:\n  - id: a\n\tprompt: x\n    model: wan-t2v\n',
    ['m.yaml:4:1: a tab is used for indentation: YAML indents with spaces only; replace the tab with spaces'],
  ],
  [
    'a key indented too deep, at that key (not at the value above it)',
    'version: 1\nshots:\n  - id: a\n    prompt: p\n     model: wan-t2v\n    seed: 1\n',
    ['m.yaml:5:6: wrong indentation: "model:" is indented 5 spaces, deeper than the key on the line above (4), so YAML reads it as part of that key\'s value: indent it 4 spaces like its neighbours'],
  ],
  [
    'a nested key indented too deep',
    'version: 1\nshots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    params:\n      steps: 3\n        guidance_scale: 4\n',
    ['m.yaml:8:9: wrong indentation: "guidance_scale:" is indented 8 spaces, deeper than the key on the line above (6), so YAML reads it as part of that key\'s value: indent it 6 spaces like its neighbours'],
  ],
  [
    'a key indented too little',
    'version: 1\nshots:\n  - id: a\n    prompt: p\n   model: wan-t2v\n    seed: 1\n',
    ['m.yaml:5:4: wrong indentation: this line is indented 3 spaces, in line with no key above it: the keys of one mapping (and the "-" of one list) start in the same column'],
  ],
  [
    'a top-level key indented',
    'version: 1\n shots:\n  - id: a\n',
    ['m.yaml:2:2: wrong indentation: "shots:" is indented 1 space, deeper than the key on the line above (0), so YAML reads it as part of that key\'s value: start it at the beginning of the line'],
  ],
];

describe('YAML mistakes are reported where the fix goes', () => {
  it.each(WHERE_THE_FIX_GOES)('%s', async (_what, text, expected) => {
    const dir = tempDir({ 'm.yaml': text });
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([...expected, `render: ${expected.length} problem${expected.length === 1 ? '' : 's'} in the manifest; nothing was submitted.`]);
  });
});

describe('every missing key at once, and the good files of a command', () => {
  it('names every missing key of a shot, the model too', async () => {
    const dir = tempDir({ 'm.yaml': 'version: 1\nshots:\n  - seed: 3\n' });
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^m\.yaml:3:5: shots\[0\] has no model: set model: on the shot or in defaults:/),
      'm.yaml:3:5: shots[0] needs "id"',
      'm.yaml:3:5: shots[0] needs "prompt"',
    ]);
  });

  it('validate prints the OK line of each good file even when another file fails', async () => {
    const good = 'version: 1\nshots: [{ id: a, prompt: p, model: wan-t2v }]\n';
    const dir = tempDir({ 'a.yaml': good, 'b.yaml': 'version: 1\nshots:\n  - id: b\n    prompt: "open\n', 'c.yaml': good.replace('id: a', 'id: c') });
    const r = await runCli(['validate', 'a.yaml', 'b.yaml', 'c.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('a.yaml: OK, "a": 1 shot, 1 render\nc.yaml: OK, "c": 1 shot, 1 render\n');
    expect(r.stderr).toBe('b.yaml:4:13: this " opens a quoted string that is never closed: add the closing " where the string ends\nrender: 1 problem in the manifest; nothing was submitted.\n');
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
