/**
 * One timer for every job in flight. Each job has a next-poll time in a min-heap; a single
 * timer is armed for the earliest one, and when it fires every due job is handed to `onDue`.
 * Rescheduling a job replaces its previous time (stale heap entries are skipped by version).
 */
import type { Clock } from './clock.js';
import { MinHeap } from '../core/min-heap.js';

export class Poller<K> {
  private readonly heap = new MinHeap<{ key: K; version: number }>();
  private readonly versions = new Map<K, number>();
  private cancelTimer: (() => void) | undefined;
  private armedAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (key: K) => void,
  ) {}

  /** Number of jobs with a pending poll. */
  get size(): number {
    return this.versions.size;
  }

  /** Polls `key` at `atMs` (replacing any earlier schedule for it). */
  schedule(key: K, atMs: number): void {
    if (this.stopped) return;
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    this.heap.push({ at: atMs, value: { key, version } });
    if (atMs < this.armedAt) this.arm();
  }

  cancel(key: K): void {
    this.versions.delete(key);
  }

  /** Stops polling altogether (Ctrl-C): no further `onDue` calls. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.versions.clear();
  }

  private arm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = Infinity;
    this.dropStale();
    const next = this.heap.peek();
    if (!next || this.stopped) return;
    this.armedAt = next.at;
    this.cancelTimer = this.clock.setTimer(() => this.fire(), next.at - this.clock.now());
  }

  private dropStale(): void {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (this.versions.get(top.value.key) === top.value.version) return;
      this.heap.pop();
    }
  }

  private fire(): void {
    this.cancelTimer = undefined;
    this.armedAt = Infinity;
    const now = this.clock.now();
    const due: K[] = [];
    this.dropStale();
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      if (this.versions.get(top.value.key) === top.value.version) {
        this.versions.delete(top.value.key);
        due.push(top.value.key);
      }
      this.dropStale();
    }
    this.arm();
    for (const key of due) this.onDue(key);
  }
}
