import { describe, expect, it } from 'vitest';
import { runFigures, type ProviderTimes } from '../../src/bench/support/run-figures.js';
import type { LoggedRequest } from '../../src/emulator/types.js';

const EPOCH_ZERO = Date.parse('2026-01-01T00:00:00.000Z');

function req(atMs: number, provider: LoggedRequest['provider'], method: string, path: string, jobId?: string, status = 200): LoggedRequest {
  return { atMs, provider, method, path, query: {}, body: undefined, bodyText: undefined, status, inFlight: 0, ...(jobId ? { jobId } : {}) };
}

/** Provider times for a job created `createdAt` ms after the emulator started, lasting `duration` ms. */
const times = (createdAt: number, duration: number): ProviderTimes => ({ createdMs: EPOCH_ZERO + createdAt, completedMs: EPOCH_ZERO + createdAt + duration });

describe('runFigures', () => {
  const log = [
    req(10, 'krea', 'POST', '/generate/video/kling/kling-2.5', 'a'),
    // A refused submit creates no job and is not counted.
    req(11, 'krea', 'POST', '/generate/video/kling/kling-2.5', undefined, 429),
    req(12, 'krea', 'POST', '/generate/video/kling/kling-2.5', 'b'),
    req(260, 'krea', 'GET', '/jobs/a', 'a'),
    req(262, 'krea', 'GET', '/jobs/b', 'b'),
    req(510, 'krea', 'GET', '/jobs/a', 'a'),
    req(512, 'krea', 'GET', '/jobs/b', 'b'),
    req(515, 'media', 'GET', '/media/x.mp4', 'b'),
    req(760, 'krea', 'GET', '/jobs/a', 'a'),
    req(770, 'media', 'GET', '/media/y.mp4', 'a'),
    // A second download of the same video (a retry) does not move the detection.
    req(780, 'media', 'GET', '/media/y.mp4', 'a'),
    // A read after the download (the bench's own) is not the read that saw it done.
    req(900, 'krea', 'GET', '/jobs/a', 'a'),
  ];
  const figures = runFigures(log, new Map([['a', times(10, 600)], ['b', times(12, 300)]]), EPOCH_ZERO, 2);

  it('lists the jobs created in submit order with their durations from the provider timestamps', () => {
    expect(figures.jobs).toBe(2);
    expect(figures.durationsMs).toEqual([600, 300]);
  });

  it('takes the last status read before a job\'s first download as the one that saw it done', () => {
    // a completed at 610, seen at 760; b completed at 312, seen at 512.
    expect(figures.detectionLagsMs).toEqual([150, 200]);
  });

  it('counts status reads, and spans the first submit to the last download', () => {
    expect(figures.statusReads).toBe(6);
    expect(figures.firstSubmitMs).toBe(10);
    expect(figures.lastDownloadMs).toBe(780);
    expect(figures.peakInFlight).toBe(2);
  });

  it('refuses a job it has no provider timestamps for', () => {
    expect(() => runFigures(log, new Map([['a', times(10, 600)]]), EPOCH_ZERO, 2)).toThrow(/job b/);
  });
});
