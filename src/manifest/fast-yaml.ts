/**
 * A fast reader for the plain YAML that manifests are written in: block mappings and sequences
 * indented with spaces, one-line plain and quoted scalars, one-line flow collections, comments.
 * It builds the data directly, without yaml's document model, and records only the positions a
 * valid manifest needs (each top-level key and value, each item of `shots:` and its id). Anything else
 * (anchors, tags, block or multi-line scalars, duplicate keys, a form it is not sure of) makes it
 * give up with BAIL: the full parser then reads the file, reports every problem with its
 * position, and gives the same data for a valid file. It never accepts a text yaml would reject.
 */
import { readFlow } from './fast-yaml-flow.js';
import { BAIL, checkPlainStart, plainKey, resolvePlain, sliceTrimmed, type Bail } from './fast-yaml-scalars.js';

export interface FastYaml {
  data: Record<string, unknown>;
  /** Offset where the root mapping starts. */
  rootOffset: number;
  /** Offsets of each top-level key and of its value (undefined for an empty value). */
  topKeys: Map<string, { key: number; value: number | undefined }>;
  /** Offsets of the items of a block sequence under `shots:`. */
  shotItems: number[] | undefined;
  /** Offsets of those shots' `id:` values, where written in block style. */
  shotIds: (number | undefined)[];
  /** Offset of every line's start, the first line included. */
  lineStarts: number[];
}

/** Characters that make the rest of the file not plain enough for this reader. */
const UNSUPPORTED_TEXT = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

export function fastParseYaml(text: string): FastYaml | Bail {
  if (UNSUPPORTED_TEXT.test(text)) return BAIL;
  try {
    return new Reader(text).document();
  } catch (err) {
    if (err === BAIL) return BAIL;
    throw err;
  }
}

class Reader {
  readonly lineStarts: number[] = [];
  /** The lines with content (not blank, not only a comment): start, indent, end. */
  private readonly starts: number[] = [];
  private readonly indents: number[] = [];
  private readonly ends: number[] = [];
  private li = 0;
  private readonly topKeys = new Map<string, { key: number; value: number | undefined }>();
  private shotItems: number[] | undefined;
  private readonly shotIds: (number | undefined)[] = [];

  constructor(private readonly text: string) {
    for (let start = 0; start <= text.length; ) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      this.lineStarts.push(start);
      let c = start;
      while (c < end && text.charCodeAt(c) === 32) c += 1;
      if (c < end && text[c] !== '#') {
        if (c === start && (text[c] === '%' || text.startsWith('---', c) || text.startsWith('...', c))) throw BAIL;
        this.starts.push(start);
        this.indents.push(c - start);
        this.ends.push(end);
      }
      start = end + 1;
    }
  }

  document(): FastYaml {
    if (this.starts.length === 0 || this.indents[0] !== 0) throw BAIL;
    const rootOffset = this.starts[0] ?? 0;
    if (this.isSeqItem(0)) throw BAIL;
    const data = this.map(rootOffset, 0, true);
    if (this.li < this.starts.length) throw BAIL;
    const { topKeys, shotItems, shotIds, lineStarts } = this;
    return { data, rootOffset, topKeys, shotItems, shotIds, lineStarts };
  }

  private isSeqItem(li: number): boolean {
    const c = (this.starts[li] ?? 0) + (this.indents[li] ?? 0);
    return this.text[c] === '-' && (c + 1 === this.ends[li] || this.text[c + 1] === ' ');
  }

  /** The block node that starts on the current line (indented deeper than its parent); `shot`: the shot it is. */
  private blockNode(shot?: number): unknown {
    const li = this.li;
    const indent = this.indents[li] ?? 0;
    if (this.isSeqItem(li)) return this.seq(indent);
    return this.map((this.starts[li] ?? 0) + indent, indent, false, shot);
  }

  /**
   * A block mapping whose first key is at `first` (maybe after `- `), its keys at column
   * `indent`; `top`: the root; `shot`: the index of the shot it is.
   */
  private map(first: number, indent: number, top: boolean, shot?: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (let c = first; ; ) {
      const end = this.ends[this.li] ?? 0;
      const colon = this.keyEnd(c, end);
      if (colon === undefined) throw BAIL;
      const key = plainKey(sliceTrimmed(this.text, c, colon));
      if (Object.hasOwn(obj, key)) throw BAIL;
      let v = colon + 1;
      while (v < end && this.text.charCodeAt(v) === 32) v += 1;
      let value: unknown;
      let valueOffset: number | undefined;
      if (v === end || this.text[v] === '#') {
        this.li += 1;
        const li = this.li;
        const deeper = li < this.starts.length && (this.indents[li] ?? 0) > indent;
        const sameIndentSeq = li < this.starts.length && this.indents[li] === indent && this.isSeqItem(li);
        if (deeper || sameIndentSeq) {
          valueOffset = (this.starts[li] ?? 0) + (this.indents[li] ?? 0);
          if (top && key === 'shots' && this.isSeqItem(li)) {
            this.shotItems = [];
            value = this.seq(this.indents[li] ?? 0, this.shotItems);
          } else {
            value = this.blockNode();
          }
        } else {
          value = null;
        }
      } else {
        valueOffset = v;
        value = this.inlineValue(v, end);
        this.li += 1;
      }
      obj[key] = value;
      if (top) this.topKeys.set(key, { key: c, value: valueOffset });
      if (shot !== undefined && key === 'id') this.shotIds[shot] = valueOffset;
      const li = this.li;
      if (li >= this.starts.length || (this.indents[li] ?? 0) < indent) return obj;
      if ((this.indents[li] ?? 0) > indent || this.isSeqItem(li)) throw BAIL;
      c = (this.starts[li] ?? 0) + indent;
    }
  }

  /** A block sequence at column `indent`; `offsets` collects where each item starts. */
  private seq(indent: number, offsets?: number[]): unknown[] {
    const items: unknown[] = [];
    while (this.li < this.starts.length && this.indents[this.li] === indent && this.isSeqItem(this.li)) {
      const lineStart = this.starts[this.li] ?? 0;
      const end = this.ends[this.li] ?? 0;
      let c = lineStart + indent + 1;
      while (c < end && this.text.charCodeAt(c) === 32) c += 1;
      if (c === end || this.text[c] === '#') {
        this.li += 1;
        const li = this.li;
        if (li < this.starts.length && (this.indents[li] ?? 0) > indent) {
          offsets?.push((this.starts[li] ?? 0) + (this.indents[li] ?? 0));
          items.push(this.blockNode(offsets ? items.length : undefined));
        } else {
          throw BAIL;
        }
      } else if (this.text[c] === '-' && (c + 1 === end || this.text[c + 1] === ' ')) {
        throw BAIL;
      } else if (this.keyEnd(c, end) !== undefined) {
        offsets?.push(c);
        items.push(this.map(c, c - lineStart, false, offsets ? items.length : undefined));
      } else {
        offsets?.push(c);
        items.push(this.inlineValue(c, end));
        this.li += 1;
      }
      if (this.li < this.starts.length && (this.indents[this.li] ?? 0) > indent) throw BAIL;
    }
    return items;
  }

  /**
   * If a plain key starts at `c`, the offset of its `:` (followed by a space or the line's end);
   * undefined if the line holds a value there instead.
   */
  private keyEnd(c: number, end: number): number | undefined {
    const first = this.text[c] ?? '';
    if (first === '"' || first === "'" || first === '[' || first === '{') {
      // A quoted or flow key: not for this reader; a value: read by inlineValue.
      return undefined;
    }
    for (let i = c; i < end; i += 1) {
      const ch = this.text[i];
      if (ch === ':' && (i + 1 === end || this.text[i + 1] === ' ')) return i;
      if (ch === '#' && i > c && this.text[i - 1] === ' ') return undefined;
    }
    return undefined;
  }

  /** The one-line value at `v` to the line's `end`, then nothing but a comment. */
  private inlineValue(v: number, end: number): unknown {
    const first = this.text[v] ?? '';
    let value: unknown;
    let after: number;
    if (first === '[' || first === '{' || first === '"' || first === "'") {
      const read = readFlow(this.text, v, end);
      value = read.value;
      after = read.end;
      if (after < end && this.text[after] !== ' ') throw BAIL;
      while (after < end && this.text.charCodeAt(after) === 32) after += 1;
      if (after < end && this.text[after] !== '#') throw BAIL;
      return value;
    }
    checkPlainStart(this.text, v, end);
    let stop = end;
    for (let i = v; i < end; i += 1) {
      const ch = this.text[i];
      if (ch === '#' && this.text[i - 1] === ' ') {
        stop = i;
        break;
      }
      if (ch === ':' && (i + 1 === end || this.text[i + 1] === ' ')) throw BAIL;
    }
    const resolved = resolvePlain(sliceTrimmed(this.text, v, stop));
    if (resolved === BAIL) throw BAIL;
    return resolved;
  }
}
