/**
 * Renders waiting to be submitted: one FIFO per provider and manifest (its lane), so a render
 * held back by its provider's or its manifest's limit never blocks another's. Across FIFOs the
 * render that came first (manifest order, then shot order) goes first.
 */
import type { ProviderName } from '../core/catalog.js';

interface Queued {
  readonly order: number;
  readonly provider: ProviderName;
  /** The manifest it belongs to, when a command runs several (its own concurrency applies). */
  readonly lane: number;
  /** Not before this time (a retried submit backing off). */
  notBefore: number;
}

class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  push(item: T): void {
    this.items.push(item);
  }
  pushFront(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }
  shift(): T | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head += 1;
    // Drop the consumed prefix now and then, so a 10,000-render run does not keep it all.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

export class SubmitQueue<J extends Queued = Queued> {
  private readonly fifos = new Map<string, Fifo<J>>();

  private fifo(job: J): Fifo<J> {
    const key = `${job.provider}#${job.lane}`;
    let f = this.fifos.get(key);
    if (!f) {
      f = new Fifo<J>();
      this.fifos.set(key, f);
    }
    return f;
  }

  get size(): number {
    let n = 0;
    for (const f of this.fifos.values()) n += f.size;
    return n;
  }

  push(job: J): void {
    this.fifo(job).push(job);
  }

  /** A submit that must be tried again keeps its place at the front. */
  pushFront(job: J): void {
    this.fifo(job).pushFront(job);
  }

  /**
   * The render to submit now, if any: the earliest-ordered head of a FIFO that has a free slot
   * (`canTake`) and whose provider's gate is open. Otherwise `wakeAt` is when a closed gate opens (Infinity: only
   * a freed slot can help).
   */
  next(now: number, canTake: (head: J) => boolean, readyAt: (p: ProviderName) => number): { job: J | undefined; wakeAt: number } {
    let best: J | undefined;
    let wakeAt = Infinity;
    for (const fifo of this.fifos.values()) {
      const head = fifo.peek();
      if (!head || !canTake(head)) continue;
      const at = Math.max(readyAt(head.provider), head.notBefore);
      if (at > now) {
        wakeAt = Math.min(wakeAt, at);
        continue;
      }
      if (!best || head.order < best.order) best = head;
    }
    return { job: best, wakeAt };
  }

  /** Removes and returns every queued render, in queue order per FIFO. */
  drain(): J[] {
    const all: J[] = [];
    for (const fifo of this.fifos.values()) for (let j = fifo.shift(); j !== undefined; j = fifo.shift()) all.push(j);
    return all;
  }

  /** Removes `job`, which must be the head of its FIFO (as `next` returned it). */
  take(job: J): void {
    const f = this.fifo(job);
    if (f.peek() !== job) throw new Error('internal: took a render that is not at the head of its queue');
    f.shift();
  }
}
