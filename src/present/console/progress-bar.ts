/**
 * In a terminal: one bar for the whole run with counts per state (renders still waiting to be
 * submitted apart from those queued at a provider) and an ETA, fitted to the terminal's width
 * (progress-line.ts), never one bar per render (hundreds of bars flood a terminal). Warnings and
 * failures are printed above it.
 */
import { createRequire } from 'node:module';
import type cliProgressTypes from 'cli-progress';
import type { EngineEvent } from '../../engine/events.js';
import { plainLine } from './plain-lines.js';
import { progressLine } from './progress-line.js';
import { StateCounts } from './state-counts.js';

// Loaded when a bar is made (in a terminal), not by every command that might show one.
const require = createRequire(import.meta.url);

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, read at every redraw (a resized window is followed). */
  columns?: number;
}

export class ProgressBar {
  private readonly counts: StateCounts;
  private readonly multi: cliProgressTypes.MultiBar;
  private bar: cliProgressTypes.SingleBar | undefined;
  private readonly startedMs = Date.now();

  constructor(
    stream: Stream,
    private readonly total: number,
    /** Several manifests run together: lines name each render's manifest. */
    private readonly qualify = false,
  ) {
    this.counts = new StateCounts(total);
    // A MultiBar holding one bar: it alone can print lines above the bar without tearing it.
    const cliProgress = require('cli-progress') as typeof cliProgressTypes;
    this.multi = new cliProgress.MultiBar(
      {
        stream: stream as NodeJS.WritableStream,
        // cli-progress passes the terminal's width (stream.columns) as maxWidth.
        format: (_options, params) => progressLine({ counts: this.counts.counts, total: this.total, settled: this.counts.settled, eta: this.eta() }, params.maxWidth),
        hideCursor: true,
        etaBuffer: 20,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  handle(e: EngineEvent): void {
    this.bar ??= this.multi.create(this.total, 0);
    if (e.event === 'failed' || e.event === 'warning') {
      const line = plainLine(e, this.qualify);
      if (line) this.multi.log(`${line}\n`);
    }
    if (this.counts.apply(e)) this.bar.update(this.counts.settled);
  }

  /**
   * An ETA from the pace of the renders settled in this run (cli-progress's own needs steady
   * updates); renders found already done settle at once and would make it look too fast.
   */
  private eta(): string {
    const settled = this.counts.settled;
    const worked = settled - this.counts.skipped;
    if (settled >= this.total) return '0s';
    if (worked <= 0) return '?';
    const s = Math.round((((Date.now() - this.startedMs) / worked) * (this.total - settled)) / 1000);
    return s >= 3600 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
  }

  stop(): void {
    if (this.bar) this.multi.stop();
  }
}
