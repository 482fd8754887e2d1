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

  constructor(
    stream: Stream,
    private readonly total: number,
  ) {
    // A MultiBar holding one bar: it alone can print lines above the bar without tearing it.
    this.multi = new cliProgress.MultiBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: '{bar} {value}/{total} | {done} done, {failed} failed, {running} running, {queued} queued, {downloading} downloading | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 20,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  handle(e: EngineEvent): void {
    this.bar ??= this.multi.create(this.total, 0, this.counts.counts);
    if (e.event === 'failed' || e.event === 'warning') {
      const line = plainLine(e);
      if (line) this.multi.log(`${line}\n`);
    }
    if (this.counts.apply(e)) this.bar.update(this.counts.settled, this.counts.counts);
  }

  stop(): void {
    if (this.bar) this.multi.stop();
  }
}
