/**
 * In a terminal: one bar for the whole run with counts per state and an ETA, never one bar
 * per render (hundreds of bars flood a terminal). Warnings and failures are printed above it.
 */
import cliProgress from 'cli-progress';
import type { EngineEvent } from '../../engine/events.js';
import { plainLine } from './plain-lines.js';
import { StateCounts } from './state-counts.js';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ProgressBar {
  private readonly counts = new StateCounts();
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | undefined;
  private readonly startedMs = Date.now();

  constructor(
    stream: Stream,
    private readonly total: number,
  ) {
    // A MultiBar holding one bar: it alone can print lines above the bar without tearing it.
    this.multi = new cliProgress.MultiBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: '{bar} {value}/{total} | {done} done, {failed} failed, {running} running, {queued} queued, {downloading} downloading | ETA {eta_text}',
        hideCursor: true,
        etaBuffer: 20,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  handle(e: EngineEvent): void {
    this.bar ??= this.multi.create(this.total, 0, this.payload());
    if (e.event === 'failed' || e.event === 'warning') {
      const line = plainLine(e);
      if (line) this.multi.log(`${line}\n`);
    }
    if (this.counts.apply(e)) this.bar.update(this.counts.settled, this.payload());
  }

  /** Counts plus an ETA from the pace so far (cli-progress's own needs steady updates). */
  private payload(): Record<string, string | number> {
    const settled = this.counts.settled;
    let eta = '?';
    if (settled >= this.total) eta = '0s';
    else if (settled > 0) {
      const s = Math.round((((Date.now() - this.startedMs) / settled) * (this.total - settled)) / 1000);
      eta = s >= 3600 ? `${Math.floor(s / 3600)}h${Math.round((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
    }
    // Not `eta`: cli-progress fills that token itself, as bare seconds.
    return { ...this.counts.counts, eta_text: eta };
  }

  stop(): void {
    if (this.bar) this.multi.stop();
  }
}
