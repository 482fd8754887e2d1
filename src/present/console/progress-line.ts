/**
 * The progress bar's one line, fitted to the terminal: the counts and the ETA always, the
 * per-state words as far as they fit (all of them, then the non-zero ones, then a short form,
 * then none), the bar itself in what is left. The ETA is the last thing lost.
 */
import type { Bucket } from '../../core/lifecycle.js';

/** The bar is drawn at most this wide, and no narrower than BAR_MIN while detail is shown. */
export const BAR_MAX = 30;
export const BAR_MIN = 10;
/** Columns left free: a line that fills the last column wraps on some terminals. */
const RIGHT_MARGIN = 1;

const COMPLETE = '\u2588';
const INCOMPLETE = '\u2591';

export interface ProgressView {
  counts: Readonly<Record<Bucket, number>>;
  total: number;
  /** Done or failed. */
  settled: number;
  /** `4m12s`, `?`. */
  eta: string;
}

/** In pipeline order, with the words a user reads. */
const WORDS: readonly [Bucket, string][] = [
  ['waiting', 'waiting'],
  ['queued', 'queued'],
  ['running', 'running'],
  ['downloading', 'downloading'],
  ['done', 'done'],
  ['failed', 'failed'],
];

/** The per-state detail, from the fullest to none. */
function details(c: Readonly<Record<Bucket, number>>): string[] {
  const all = WORDS.map(([bucket, word]) => `${c[bucket]} ${word}`).join(', ');
  const nonZero = WORDS.filter(([bucket]) => c[bucket] > 0).map(([bucket, word]) => `${c[bucket]} ${word}`).join(', ');
  const atProviders = c.queued + c.running + c.downloading;
  const short = [
    c.waiting > 0 ? `${c.waiting} waiting` : '',
    atProviders > 0 ? `${atProviders} at providers` : '',
    c.failed > 0 ? `${c.failed} failed` : '',
  ]
    .filter((s) => s !== '')
    .join(', ');
  return [...new Set([all, nonZero, short, ''])];
}

export function progressLine(v: ProgressView, columns: number): string {
  const width = Math.max(1, columns - RIGHT_MARGIN);
  const progress = v.total > 0 ? Math.min(1, v.settled / v.total) : 1;
  const bar = (size: number): string => {
    const complete = Math.round(progress * size);
    return COMPLETE.repeat(complete) + INCOMPLETE.repeat(size - complete);
  };
  const tail = (detail: string): string => ` ${v.settled}/${v.total}${detail === '' ? '' : ` | ${detail}`} | ETA ${v.eta}`;
  for (const detail of details(v.counts)) {
    const rest = tail(detail);
    const room = width - rest.length;
    if (room >= BAR_MIN) return bar(Math.min(BAR_MAX, room)) + rest;
  }
  // Narrower than any bar: the numbers and the ETA alone, as far as they go.
  return tail('').trimStart().slice(0, width);
}
