/**
 * `<out>/.render/timings.json`: how long jobs took, learned by earlier runs under one output
 * root, so the next run reads each job near when it is likely done. Small and bounded (a few
 * hundred keys of at most 64 samples), versioned, written whole (atomic-write.ts), and safe to
 * delete: a missing file means nothing learned. A file render cannot read is not trusted at all.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { fsWords } from './local-state.js';

export const TIMINGS_VERSION = 1;

/** One job's time to completion, ms after its submit was answered: it finished within [lo, hi]. */
export type TimingSample = readonly [lo: number, hi: number];

export interface TimingsData {
  /** Oldest learned first. */
  keys: Array<{ key: string; samples: TimingSample[] }>;
}

/** No sample is believed past this (a month): a larger number is a damaged file. */
const MAX_SAMPLE_MS = 31 * 24 * 3600_000;

export type TimingsRead = { data: TimingsData } | { data: TimingsData; problem: string };

/** Reads the file; nothing learned when it is missing, and a `problem` when it cannot be trusted. */
export async function readTimings(path: string): Promise<TimingsRead> {
  const empty: TimingsData = { keys: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { data: empty };
    return { data: empty, problem: `cannot be read (${fsWords(err)})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { data: empty, problem: 'is not valid JSON' };
  }
  if (!isObject(parsed) || parsed['version'] !== TIMINGS_VERSION) {
    const version = isObject(parsed) ? JSON.stringify(parsed['version'] ?? null) : 'none';
    return { data: empty, problem: `has version ${version}, not ${TIMINGS_VERSION}` };
  }
  const keys = parsed['keys'];
  if (!Array.isArray(keys)) return { data: empty, problem: 'has no "keys" list' };
  const data: TimingsData = { keys: [] };
  for (const entry of keys) {
    if (!isObject(entry) || typeof entry['key'] !== 'string' || !Array.isArray(entry['samples']) || !entry['samples'].every(isSample)) {
      return { data: empty, problem: 'has an entry that is not a timing key with samples [lo, hi] in ms' };
    }
    data.keys.push({ key: entry['key'], samples: entry['samples'] as TimingSample[] });
  }
  return { data };
}

export async function writeTimings(path: string, data: TimingsData): Promise<void> {
  const lines = data.keys.map((k) => `    ${JSON.stringify({ key: k.key, samples: k.samples })}`);
  await writeFileAtomic(path, `{\n  "version": ${TIMINGS_VERSION},\n  "keys": [\n${lines.join(',\n')}\n  ]\n}\n`);
}

function isSample(value: unknown): value is TimingSample {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [lo, hi] = value as unknown[];
  return typeof lo === 'number' && typeof hi === 'number' && Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && lo <= hi && hi <= MAX_SAMPLE_MS;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
