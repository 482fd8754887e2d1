/**
 * Choosing part of a plan: `--only GLOB` (repeatable; * and ?) and `--shard I/N`, a stable
 * split by a hash of the render id, so N machines given 1/N..N/N render every render once.
 */
import { UsageError } from '../core/errors.js';
import { fnv1a32 } from './hash.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export interface Selection {
  only?: string[];
  shard?: Shard;
}

export function selectRenders<T extends { id: string }>(renders: readonly T[], selection: Selection): T[] {
  const patterns = (selection.only ?? []).map(globToRegExp);
  const { shard } = selection;
  return renders.filter(
    (r) =>
      (patterns.length === 0 || patterns.some((p) => p.test(r.id))) &&
      (!shard || fnv1a32(r.id) % shard.count === shard.index - 1),
  );
}

/** `2/4` → { index: 2, count: 4 }. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be I/N with 1 <= I <= N (e.g. 1/4), got "${text}"`);
  }
  return { index, count };
}

/** A whole-id match: `*` any run of characters (dots included), `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
