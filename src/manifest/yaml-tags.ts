/**
 * A manifest is plain data: YAML tags beyond the JSON types (`!!binary`, `!!set`, `!!omap`,
 * `!!timestamp`, `!!pairs`, custom `!tags`) would turn values into things no schema or rule
 * expects (a Buffer, a Date, a Set). They are reported at the tag, before the document is
 * turned into data. The core tags that only restate a plain type (`!!str 12`) are allowed.
 */
import { isCollection, isNode, isPair, Parser, type Document } from 'yaml';

const CORE = 'tag:yaml.org,2002:';

/** Tags that yield plain JSON data. */
const ALLOWED_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => CORE + t));

export interface TagProblem {
  offset: number;
  message: string;
  /** The tag as yaml resolved it (for matching yaml's own "Unresolved tag" warning). */
  resolved: string;
}

interface TaggedNode {
  tag: string;
  start: number;
  collection: boolean;
}

export function unsupportedTags(doc: Document, text: string): TagProblem[] {
  const tagged: TaggedNode[] = [];
  // A plain walk: yaml's visit() costs a tenth of the parse on a 10,000-shot manifest.
  const walk = (node: unknown): void => {
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
      return;
    }
    if (!isNode(node)) return;
    if (node.tag !== undefined && !ALLOWED_TAGS.has(node.tag)) {
      tagged.push({ tag: node.tag, start: node.range?.[0] ?? 0, collection: isCollection(node) });
    }
    if (isCollection(node)) for (const item of node.items) walk(item);
  };
  walk(doc.contents);
  if (tagged.length === 0) return [];
  const written = tagTokens(text);
  return tagged.map(({ tag, start, collection }) => {
    // The tag is written before its node: the last tag token that starts before the node.
    const token = written.filter((t) => t.offset < start).at(-1);
    const shown = token?.source ?? (tag.startsWith(CORE) ? `!!${tag.slice(CORE.length)}` : tag);
    const fix = collection ? 'write a plain mapping or list' : 'write the value as plain text or a number';
    return { offset: token?.offset ?? start, resolved: tag, message: `YAML tag ${shown} is not supported: ${fix}` };
  });
}

/** Every tag as written in the source, in order, with its offset. */
function tagTokens(text: string): { offset: number; source: string }[] {
  const found: { offset: number; source: string }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (typeof value === 'object' && value !== null) {
      const token = value as { type?: unknown; offset?: unknown; source?: unknown };
      if (token.type === 'tag' && typeof token.offset === 'number' && typeof token.source === 'string') {
        found.push({ offset: token.offset, source: token.source });
        return;
      }
      for (const child of Object.values(value)) walk(child);
    }
  };
  for (const token of new Parser().parse(text)) walk(token);
  return found.sort((a, b) => a.offset - b.offset);
}
