import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { fastParseYaml } from '../../src/manifest/fast-yaml.js';
import { BAIL } from '../../src/manifest/fast-yaml-scalars.js';
import { parseManifestYaml } from '../../src/manifest/parse-yaml.js';
import { SourceMap, type DocPath } from '../../src/manifest/source-map.js';

/** What yaml itself makes of a text: its data if it reads without an error or warning. */
function yamlReads(text: string): { clean: boolean; data: unknown; sourceMap: SourceMap } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false });
  const clean = doc.errors.length === 0 && doc.warnings.length === 0;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    data = undefined;
  }
  return { clean, data, sourceMap: new SourceMap('m.yaml', doc, lineCounter) };
}

/** The fast reader either gives up or agrees with yaml: same data, same positions, no problem missed. */
function expectAgreement(text: string): boolean {
  const fast = fastParseYaml(text);
  if (fast === BAIL) return false;
  const full = yamlReads(text);
  expect(full.clean, `yaml has a problem with a text the fast reader accepted:\n${text}`).toBe(true);
  expect(fast.data, text).toStrictEqual(full.data);
  const parsed = parseManifestYaml('m.yaml', text);
  if (!parsed.ok) throw new Error('a fast-read text gave problems');
  const paths: [DocPath, boolean][] = [[[], false]];
  for (const key of fast.topKeys.keys()) paths.push([[key], false], [[key], true]);
  (fast.shotItems ?? []).forEach((_, i) => paths.push([['shots', i], false], [['shots', i, 'id'], false]));
  for (const [path, key] of paths) {
    expect(parsed.sourceMap.positionOf(path, { key }), `${JSON.stringify(path)} key=${key} in\n${text}`).toEqual(full.sourceMap.positionOf(path, { key }));
  }
  return true;
}

const storyboard = readFileSync(new URL('../../jobs/storyboard.yaml', import.meta.url), 'utf8');
const seedSweep = readFileSync(new URL('../../jobs/seed-sweep.yaml', import.meta.url), 'utf8');

/** Texts the fast reader must read itself (and agree on). */
const READ_FAST: string[] = [
  storyboard,
  seedSweep,
  'version: 1\nshots:\n- id: a\n  prompt: p\n- id: b\n  prompt: "q: r"\n',
  'version: 1\nshots:\n  -\n    id: a\n    prompt: p\n  - # the second\n    id: b\n    prompt: q\n',
  'version: 1\nname:\nshots: []\nvars: {}\n',
  "a: 'it''s'\nb: \"say \\\"hi\\\"\\n\"\nc: a b  c   # comment\nd: http://x.test/a#b\ne: 16:9\n",
  'n: [1, -2, +3, 007, 1.5, -0.5, .5, 3., 12345678901234567890]\nb: [true, True, TRUE, false, False, FALSE]\nz: [~, null, Null, NULL]\n',
  's: [yes, no, on, off, 0b1, 1_000, .foo, -x, x-1, 1.2.3]\n',
  'p: { width: 832, height: 480, ratio: "16:9", list: [a, [b, c], { d: e }], empty: {}, none: [] }\n',
  'k:\n  - [1, 2]\n  - { a: b }\n  - "q"\n  - plain text\n  - -7\n',
  'top:\n  nested:\n    deeper: 1\n  list:\n  - x\n  - y\n  after: 2\nnext: 3\n',
  '# comment\n\n   # indented comment\nversion: 1   \nshots:   # trailing\n  - id: a      # c\n    sweep: { g: [4, 6] }\n',
  'u: "caf\u00e9 \u{1F99D} in the rain"\nv: ünïcode plain\nw: { a: "x, y", b: \'[z]\' }\nx: [a"b, c\'d]\ny: a"b\n',
  'nbsp: x\u00a0\nideographic\u3000: [y\u2003, z]\n',
  'key with spaces: 1\nmodels:\n  krea/krea-wan-14b/text-to-video: { enable_prompt_expansion: false }\n',
];

/** Texts the fast reader must leave to yaml. */
const LEFT_TO_YAML: string[] = [
  'a: &x 1\nb: *x\n',
  'a: !!binary aGVsbG8=\n',
  'a: |\n  text\n',
  'a: >\n  text\n',
  'a: b\na: c\n',
  'a: { b: 1, b: 2 }\n',
  '---\na: 1\n',
  'a: 1\n---\nb: 2\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: one\n  two\n',
  'a: [1,\n  2]\n',
  'a:\n\t- 1\n',
  'a: 1\r\nb: 2\r\n',
  'a: 0x1F\nb: 0o17\nc: 1e3\nd: .inf\ne: .nan\n',
  '"quoted": 1\n',
  '1: one\n',
  'true: yes\n',
  '<<: { a: 1 }\n',
  '? complex\n: value\n',
  'a: b: c\n',
  'a: "unclosed\n',
  'a: "x\\u0041"\n',
  'a: [1, 2, ]\n',
  'a: { b }\n',
  'a: "x"y\n',
  '- 1\n- 2\n',
  '  a: 1\n',
  'a:\n  b: 1\n c: 2\n',
  'a:\n  - - 1\n',
  'a: -\n',
  '__proto__: 1\n',
  '',
];

describe('the fast YAML reader', () => {
  it.each(READ_FAST.map((t, i) => [i, t]))('reads plain manifest text %i itself, as yaml reads it', (_i, text) => {
    expect(expectAgreement(text as string)).toBe(true);
  });

  it.each(LEFT_TO_YAML.map((t, i) => [i, t]))('leaves text %i to yaml', (_i, text) => {
    expect(fastParseYaml(text as string)).toBe(BAIL);
  });

  it('never disagrees with yaml on 1000 damaged copies of the example storyboard', () => {
    // A deterministic generator, so a failure is the same on every run.
    let state = 12345;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const pieces = [' ', '  ', '\n', ':', ': ', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '>', '?', '-', '0', '1.5', 'x', '~'];
    let fastReads = 0;
    for (let n = 0; n < 1000; n += 1) {
      let text = storyboard;
      for (let edits = 1 + next(3); edits > 0; edits -= 1) {
        const at = next(text.length);
        const cut = next(3);
        text = text.slice(0, at) + (pieces[next(pieces.length)] ?? '') + text.slice(at + cut);
      }
      if (expectAgreement(text)) fastReads += 1;
    }
    // Most damage breaks nothing a fast read cannot see; it must still have read many.
    expect(fastReads).toBeGreaterThan(200);
  });
});
