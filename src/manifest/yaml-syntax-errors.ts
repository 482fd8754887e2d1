/**
 * yaml's syntax errors, moved to where the fix goes and said in a user's words. yaml reports
 * some mistakes where it noticed them, not where they are: an unclosed quote at the end of the
 * file, a key indented too deep at the value of the line above. A mistake's consequences further
 * on (the rest of the file swallowed by the quote) are dropped: they go away with the fix.
 */
import { isScalar, visit, type Document, type YAMLError } from 'yaml';

export interface LocatedMessage {
  offset: number;
  message: string;
}

/** yaml's errors and warnings for `text`, each at the offset of the mistake. */
export function locateYamlErrors(errors: readonly YAMLError[], text: string, doc: Document): LocatedMessage[] {
  const located: LocatedMessage[] = [];
  /** Offsets from which errors are consequences of an earlier one (an unclosed quote's swallowed text). */
  let swallowedFrom = Infinity;
  const linesWithIndentProblem = new Set<number>();
  for (const e of errors) {
    const at = e.pos[0];
    if (at >= swallowedFrom) continue;
    if (e.code === 'MISSING_CHAR' && /closing ["']?quote/.test(e.message)) {
      const open = openingQuote(doc, at, e.message.includes("'") ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE');
      if (open !== undefined) {
        const quote = text[open] ?? '"';
        located.push({ offset: open, message: `this ${quote} opens a quoted string that is never closed: add the closing ${quote} where the string ends` });
        swallowedFrom = open + 1;
        // Errors found inside the swallowed text (reported before this one) go too.
        for (let i = located.length - 2; i >= 0; i -= 1) if ((located[i]?.offset ?? 0) > open) located.splice(i, 1);
        continue;
      }
    }
    // What yaml says besides, on a line already explained, adds nothing.
    if (linesWithIndentProblem.has(lineStartOf(text, at))) continue;
    const indent = indentationProblem(e, text);
    if (indent) {
      located.push(indent);
      linesWithIndentProblem.add(lineStartOf(text, indent.offset));
      linesWithIndentProblem.add(lineStartOf(text, at));
      continue;
    }
    located.push({ offset: at, message: yamlMessage(e.code, e.message, text, e.pos) });
  }
  return located;
}

/** The quoted scalar whose closing quote is missing: it runs to where yaml gave up. */
function openingQuote(doc: Document, errorAt: number, type: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const range = node.range;
      if (!isScalar(node) || node.type !== type || !range) return;
      if (range[0] < errorAt && range[1] >= errorAt && (found === undefined || range[0] > found)) found = range[0];
    },
  });
  return found;
}

/** A tab as indentation, or a key indented deeper or shallower than its neighbours. */
function indentationProblem(e: YAMLError, text: string): LocatedMessage | undefined {
  const at = e.pos[0];
  if (e.code === 'TAB_AS_INDENT') {
    return { offset: at, message: 'a tab is used for indentation: YAML indents with spaces only; replace the tab with spaces' };
  }
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY') {
    // yaml read the next line(s) as more of this value: the mistake is the first of them that
    // holds a key, indented deeper than the key it should line up with.
    const expected = keyColumn(text, lineStartOf(text, at));
    for (let next = text.indexOf('\n', at); next >= 0; next = text.indexOf('\n', next + 1)) {
      const lineStart = next + 1;
      const lineEnd = text.indexOf('\n', lineStart);
      const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      if (indent <= expected) break; // past the value: not this mistake
      const key = /^ *([^\s#:][^:]*?):(\s|$)/.exec(line);
      if (key) {
        return {
          offset: lineStart + indent,
          message:
            `wrong indentation: "${key[1] ?? ''}:" is indented ${spaces(indent)}, deeper than the key on the line above (${expected}), ` +
            `so YAML reads it as part of that key's value: ${expected === 0 ? 'start it at the beginning of the line' : `indent it ${spaces(expected)} like its neighbours`}`,
        };
      }
    }
    return undefined;
  }
  if (e.code === 'BAD_INDENT' || (e.code === 'MISSING_CHAR' && /without - indicator/.test(e.message))) {
    const lineStart = lineStartOf(text, at);
    const lead = /^ */.exec(text.slice(lineStart, lineStart + 200))?.[0].length ?? 0;
    return {
      offset: lineStart + lead,
      message: `wrong indentation: this line is indented ${spaces(lead)}, in line with no key above it: the keys of one mapping (and the "-" of one list) start in the same column`,
    };
  }
  return undefined;
}

function spaces(n: number): string {
  return `${n} space${n === 1 ? '' : 's'}`;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Where the key of the line at `lineStart` begins, after its indentation and any `- `. */
function keyColumn(text: string, lineStart: number): number {
  return /^[ ]*(?:-[ ]+)*/.exec(text.slice(lineStart, lineStart + 200))?.[0].length ?? 0;
}

function yamlMessage(code: string, message: string, text: string, pos: readonly [number, number]): string {
  if (code === 'DUPLICATE_KEY') {
    // The error marks the key's first character; the key runs to its colon.
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(pos[0], pos[0] + 200))?.[1] ?? text.slice(pos[0], pos[1]);
    return `duplicate key${key ? ` "${key}"` : ''}: each key may appear once in a mapping`;
  }
  if (code === 'MULTIPLE_DOCS') return 'a manifest is one YAML document; remove the second `---`';
  return `YAML: ${message}`;
}
