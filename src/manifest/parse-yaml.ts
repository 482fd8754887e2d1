/**
 * Reads one manifest's YAML with positions. Syntax errors, duplicate keys, alias bombs and
 * unsupported tags (`!!binary`, custom `!tags`) become Problems with a line and column, never
 * exceptions. A plainly written manifest is read by the fast reader (fast-yaml.ts); yaml's
 * document model is built for any other, and for a fast-read one only if a problem needs a
 * position the fast reader did not record.
 */
import { isAlias, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Problem } from '../core/errors.js';
import { fastParseYaml, type FastYaml } from './fast-yaml.js';
import { BAIL } from './fast-yaml-scalars.js';
import { SourceMap, type DocPath, type PositionIndex } from './source-map.js';
import { locateYamlErrors } from './yaml-syntax-errors.js';
import { unsupportedTags } from './yaml-tags.js';

/** Aliases a manifest may expand; more is an alias bomb, stopped before it costs memory. */
const MAX_ALIAS_COUNT = 100;

export type ParsedYaml =
  | { ok: true; data: unknown; sourceMap: SourceMap }
  | { ok: false; problems: Problem[] };

export function parseManifestYaml(file: string, text: string): ParsedYaml {
  const fast = fastParseYaml(text);
  if (fast !== BAIL) {
    const lines = new LineCounter();
    for (const start of fast.lineStarts) lines.addNewLine(start);
    const sourceMap = new SourceMap(file, () => fullParse(text, new LineCounter()), lines, fastIndex(fast));
    return { ok: true, data: fast.data, sourceMap };
  }
  const lineCounter = new LineCounter();
  const doc = fullParse(text, lineCounter);
  const sourceMap = new SourceMap(file, doc, lineCounter);
  const at = (offset: number, message: string): Problem => ({ file, ...sourceMap.positionOfOffset(offset), message });

  const tags = unsupportedTags(doc, text);
  // yaml warns of a tag it cannot resolve (`!foo`); the tag problem says it better.
  const warnings = doc.warnings.filter((w) => !(w.code === 'TAG_RESOLVE_FAILED' && tags.some((t) => w.message.endsWith(t.resolved))));
  const problems = locateYamlErrors([...doc.errors, ...warnings], text, doc).map((e) => at(e.offset, e.message));
  problems.push(...tags.map((t) => at(t.offset, t.message)));
  if (problems.length > 0) return { ok: false, problems };
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), sourceMap };
  } catch (err) {
    // yaml throws for an alias bomb or an alias to an anchor that does not exist.
    const reason = err instanceof Error ? err.message : String(err);
    const message = /resource exhaustion/.test(reason)
      ? `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} alias uses); write the values out instead`
      : `YAML: ${reason}`;
    return { ok: false, problems: [at(firstAliasOffset(doc, reason) ?? 0, message)] };
  }
}

function fullParse(text: string, lineCounter: LineCounter): Document {
  return withPlainEnv(() => parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false }));
}

/** The positions the fast reader recorded: the root, each top-level key and value, each shot and its id. */
function fastIndex(fast: FastYaml): PositionIndex {
  return {
    offsetOf(path: DocPath, key: boolean): number | undefined {
      const [first, second] = path;
      if (path.length === 0) return fast.rootOffset;
      if (path.length === 1 && typeof first === 'string') {
        const offsets = fast.topKeys.get(first);
        return key ? offsets?.key : offsets?.value;
      }
      if (first !== 'shots' || typeof second !== 'number') return undefined;
      if (path.length === 2) return fast.shotItems?.[second];
      if (path.length === 3 && path[2] === 'id' && !key) return fast.shotIds[second];
      return undefined;
    },
  };
}

/**
 * yaml's node build reads `process.env.LOG_TOKENS` once per token (half a million for a
 * 10,000-shot manifest), and process.env is a slow native lookup: about 15% of the parse. A
 * plain copy answers the same values; the parse is synchronous, so nothing else sees it.
 */
function withPlainEnv<T>(fn: () => T): T {
  const env = process.env;
  process.env = { ...env };
  try {
    return fn();
  } finally {
    process.env = env;
  }
}

/** Where the alias that made toJS fail is: an unresolved one if named in `reason`, else the first. */
function firstAliasOffset(doc: Document, reason: string): number | undefined {
  let first: number | undefined;
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      const start = node.range?.[0];
      if (first === undefined) first = start;
      if (unresolved === undefined && isAlias(node) && node.resolve(doc) === undefined) unresolved = start;
    },
  });
  return /unresolved/i.test(reason) ? (unresolved ?? first) : first;
}
