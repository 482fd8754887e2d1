import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/providers/dotenv.js';

describe('parseDotenv', () => {
  it.each<[string, string, Record<string, string>]>([
    ['plain', 'A=1\nB=two', { A: '1', B: 'two' }],
    ['spaces around = and value', '  A =  hello world  ', { A: 'hello world' }],
    ['export prefix', 'export KREA_API_TOKEN=abc', { KREA_API_TOKEN: 'abc' }],
    ['comment lines and blank lines', '# comment\n\nA=1\n   # indented comment', { A: '1' }],
    ['inline comment after an unquoted value', 'A=1 # one', { A: '1' }],
    ['# inside an unquoted value is kept', 'A=ab#cd', { A: 'ab#cd' }],
    ['double quotes with escapes', 'A="line\\nnext \\"q\\" # not a comment"', { A: 'line\nnext "q" # not a comment' }],
    ['single quotes are literal', "A='x\\ny $HOME'", { A: 'x\\ny $HOME' }],
    ['quoted value then comment', 'A="v" # c', { A: 'v' }],
    ['multi-line double quoted value', 'A="one\ntwo"\nB=3', { A: 'one\ntwo', B: '3' }],
    ['empty value', 'A=\nB=""', { A: '', B: '' }],
    ['CRLF line ends and a BOM', '\uFEFFA=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['later lines win', 'A=1\nA=2', { A: '2' }],
    ['lines that are not assignments are skipped', 'just words\n=novalue\n1A=bad\nA=ok', { A: 'ok' }],
    ['= inside a value', 'A=b=c', { A: 'b=c' }],
  ])('%s', (_name, text, expected) => {
    expect(parseDotenv(text)).toEqual(expected);
  });
});
