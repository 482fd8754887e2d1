/** Counts of renders per display state, kept from the engine's events (for the bar and summary). */
import type { EngineEvent } from '../../engine/events.js';
import { STATES, type Bucket } from '../../core/lifecycle.js';

export type { Bucket };

export class StateCounts {
  private readonly where = new Map<string, Bucket>();
  /** Every render starts `waiting` (to be submitted) until an event moves it. */
  readonly counts: Record<Bucket, number>;
  /** Renders found already done: settled at once, so they say nothing about the pace. */
  skipped = 0;

  constructor(total: number) {
    this.counts = { waiting: total, queued: 0, running: 0, downloading: 0, done: 0, failed: 0 };
  }

  /** Applies an event; returns true when a count changed. */
  apply(e: EngineEvent): boolean {
    if (e.event === 'skipped') {
      const moved = this.move(`${e.manifest}/${e.id}`, 'done');
      if (moved) this.skipped += 1;
      return moved;
    }
    if (e.event === 'downloaded') return this.move(`${e.manifest}/${e.id}`, 'done');
    if (e.event === 'failed') return this.move(`${e.manifest}/${e.id}`, 'failed');
    if (e.event === 'status') return this.move(`${e.manifest}/${e.id}`, STATES[e.state].bucket);
    if (e.event === 'submitted') return this.move(`${e.manifest}/${e.id}`, 'queued');
    return false;
  }

  private move(key: string, to: Bucket): boolean {
    const from = this.where.get(key) ?? 'waiting';
    if (from === to) return false;
    this.counts[from] -= 1;
    this.counts[to] += 1;
    this.where.set(key, to);
    return true;
  }

  /** Renders settled (done or failed). */
  get settled(): number {
    return this.counts.done + this.counts.failed;
  }
}
