import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchTransfer } from '../../src/providers/transfer-watch.js';

describe('watchTransfer on a signal shared by many transfers', () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);
  afterEach(() => {
    process.off('warning', onWarning);
    warnings.length = 0;
  });

  it('adds one abort listener to the shared signal however many transfers watch it, and no MaxListenersExceededWarning', async () => {
    process.on('warning', onWarning);
    const run = new AbortController();
    const watches = Array.from({ length: 64 }, () => watchTransfer(60_000, run.signal));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    for (const w of watches) w.done();
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('stops every transfer still watching when the shared signal aborts, and none that is done', () => {
    const run = new AbortController();
    const finished = watchTransfer(60_000, run.signal);
    const running = Array.from({ length: 20 }, () => watchTransfer(60_000, run.signal));
    finished.done();
    run.abort();
    for (const w of running) {
      expect(w.signal.aborted).toBe(true);
      expect(w.reason()).toBe('aborted');
      w.done();
    }
    expect(finished.signal.aborted).toBe(false);
    expect(finished.reason()).toBeUndefined();
  });

  it('stops a transfer started on a signal already aborted, and one past its deadline for "deadline"', () => {
    vi.useFakeTimers();
    try {
      const run = new AbortController();
      run.abort();
      expect(watchTransfer(60_000, run.signal).reason()).toBe('aborted');
      const live = new AbortController();
      const w = watchTransfer(1000, live.signal);
      vi.advanceTimersByTime(999);
      expect(w.signal.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(w.reason()).toBe('deadline');
      live.abort();
      expect(w.reason()).toBe('deadline');
      w.done();
    } finally {
      vi.useRealTimers();
    }
  });
});
