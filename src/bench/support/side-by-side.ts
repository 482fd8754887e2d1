/** The makespan table: one line per client measured on the same jobs. */
import type { Measured } from './measure.js';
import { idealMs, spread } from './stats.js';

const s = (ms: number): string => (ms / 1000).toFixed(2);
const ms = (v: number): string => v.toFixed(0);

/** Each row's figures against the ideal of its own jobs (the same jobs, when durations are seeded). */
export function sideBySide(rows: readonly Measured[], slots: number): string[] {
  const head = ['who', 'command s', 'submit→last download s', 'ratio (command)', 'ratio (submit→download)', 'reads/render', 'lag ms median/p95/max', 'peak in flight'];
  const body = rows.map((r) => {
    const ideal = idealMs(r.durationsMs, slots);
    const span = r.lastDownloadMs - r.firstSubmitMs;
    const lag = spread(r.detectionLagsMs);
    return [r.who, s(r.wallMs), s(span), (r.wallMs / ideal).toFixed(3), (span / ideal).toFixed(3), (r.statusReads / r.jobs).toFixed(2), `${ms(lag.median)}/${ms(lag.p95)}/${ms(lag.max)}`, String(r.peakInFlight)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)];
}

/** A target line the bench's summary picks up: `label value (target <= limit) OK|OVER TARGET`. */
export function targetLine(label: string, value: number, limit: number, digits: number): string {
  return `${label} ${value.toFixed(digits)} (target <= ${limit.toFixed(digits)}) ${value <= limit ? 'OK' : 'OVER TARGET'}`;
}
