/**
 * Positions in a parsed YAML manifest: turns a path into the document (as ajv and the rules
 * see it) into the line and column of the offending key or value. A manifest read by the fast
 * reader brings an index of the positions a valid manifest needs; any other position comes
 * from yaml's document model, built only when first asked for (to report a problem).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Problem } from '../core/errors.js';

export type DocPath = readonly (string | number)[];

export interface Position {
  line: number;
  col: number;
}

/** Offsets known without the document model; undefined: ask the document. */
export interface PositionIndex {
  offsetOf(path: DocPath, key: boolean): number | undefined;
}

export class SourceMap {
  private doc: Document | undefined;

  constructor(
    /** The file as the user gave it. */
    readonly file: string,
    /** The document, or how to build it when a position is asked that `index` does not know. */
    private readonly document: Document | (() => Document),
    private readonly lineCounter: LineCounter,
    private readonly index?: PositionIndex,
  ) {}

  /** Position of an offset in the source text. */
  positionOfOffset(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, col };
  }

  /**
   * Position of the value at `path`, or of its key when `key` is set (an unknown key, a
   * missing file's param). Falls back to the nearest ancestor that exists in the source (values
   * brought in by a YAML merge key have no node of their own).
   */
  positionOf(path: DocPath, options: { key?: boolean } = {}): Position {
    const known = this.index?.offsetOf(path, options.key === true);
    if (known !== undefined) return this.positionOfOffset(known);
    const doc = this.fullDocument();
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i];
      if (isAlias(node)) node = node.resolve(doc);
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, segment));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        const valueStart = rangeStart(pair.value);
        if (last && options.key && keyStart !== undefined) return this.positionOfOffset(keyStart);
        offset = valueStart ?? keyStart ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        const start = rangeStart(item);
        if (start === undefined) break;
        offset = start;
        node = item;
      } else {
        break;
      }
    }
    return this.positionOfOffset(offset);
  }

  /** A Problem at `path`. */
  problem(path: DocPath, message: string, options: { key?: boolean } = {}): Problem {
    return { file: this.file, ...this.positionOf(path, options), message };
  }

  /** The 1-based line of the item at `path` (a shot's `- id:` line). */
  lineOf(path: DocPath): number {
    return this.positionOf(path).line;
  }

  private fullDocument(): Document {
    this.doc ??= typeof this.document === 'function' ? this.document() : this.document;
    return this.doc;
  }
}

function keyMatches(key: unknown, segment: string | number | undefined): boolean {
  if (isScalar(key)) return key.value === segment || String(key.value) === String(segment);
  return key === segment;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
