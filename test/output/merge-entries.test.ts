/** The decisions of `render merge` about records: which entry each render keeps, what conflicts, and the order. */
import { describe, expect, it } from 'vitest';
import type { RenderRecord } from '../../src/core/records.js';
import { emptyState, type JournalState } from '../../src/store/journal.js';
import { compareIds, planEntries, type SourceEntries } from '../../src/store/merge-entries.js';

function record(id: string, line: number, o: Partial<RenderRecord> = {}): RenderRecord {
  return {
    id, shot: id.split('.')[0]!, provider: 'aimlapi', model: 'm', prompt: 'p', seed: 1, seed_origin: 'manifest', params: {}, varying: {},
    request: { method: 'POST', path: '/x', body: {} }, request_sha256: 'req-a', job_id: null, status: 'pending', error: null,
    file: null, sha256: null, bytes: null, video: null, source: { file: 'job.yaml', line },
    timings: { submitted: null, started: null, completed: null, downloaded: null, queued_s: null, running_s: null },
    attempts: 0, provider_metadata: {}, ...o,
  };
}

const done = (id: string, line: number, job: string, video: string, request = 'req-a'): RenderRecord =>
  record(id, line, { status: 'succeeded', job_id: job, request_sha256: request, file: `${id}.mp4`, sha256: video, bytes: 10 });

function state(id: string, o: Partial<JournalState>): JournalState {
  return { ...emptyState(id, 'req-a', 1), ...o };
}

const folder = (records: RenderRecord[], journal: JournalState[] = []): SourceEntries => ({ records, journal: new Map(journal.map((s) => [s.id, s])) });

describe('planEntries', () => {
  it('keeps identical entries once, and a pending record yields to one with work whatever its request', () => {
    const plan = planEntries([
      folder([done('a.seed-1', 5, 'j1', 'v1'), record('b.seed-1', 9, { request_sha256: 'req-other' })]),
      folder([done('a.seed-1', 5, 'j1', 'v1'), record('b.seed-1', 9, { status: 'running', job_id: 'j2' })], [state('b.seed-1', { phase: 'submitted', job_id: 'j2' })]),
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.chosen.get('a.seed-1')?.source).toBe(0);
    expect(plan.chosen.get('b.seed-1')?.source).toBe(1);
    expect(plan.chosen.get('b.seed-1')?.state?.job_id).toBe('j2');
    expect(plan.records.map((r) => r.id)).toEqual(['a.seed-1', 'b.seed-1']);
  });

  it('prefers the entry furthest along when both are of the same job', () => {
    const plan = planEntries([
      folder([record('a.seed-1', 5, { status: 'running', job_id: 'j1' })], [state('a.seed-1', { phase: 'started', job_id: 'j1' })]),
      folder([done('a.seed-1', 5, 'j1', 'v1')], [state('a.seed-1', { phase: 'downloaded', job_id: 'j1', file: 'a.seed-1.mp4', sha256: 'v1', bytes: 10 })]),
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.chosen.get('a.seed-1')?.source).toBe(1);
  });

  it('keeps the journal state of a folder that agrees when the folder kept lost its journal', () => {
    const plan = planEntries([
      folder([done('a.seed-1', 5, 'j1', 'v1')]),
      folder([record('a.seed-1', 5, { status: 'running', job_id: 'j1' })], [state('a.seed-1', { phase: 'started', job_id: 'j1' })]),
      folder([], [state('a.seed-1', { phase: 'started', job_id: 'j7' })]),
    ]);
    expect(plan.conflicts.map((c) => [c.a, c.b])).toEqual([[0, 2], [1, 2]]);
    expect(plan.chosen.get('a.seed-1')?.source).toBe(0);
    expect(plan.chosen.get('a.seed-1')?.state?.job_id).toBe('j1');
  });

  it('names every render whose requests, job ids or videos differ between two folders', () => {
    const plan = planEntries([
      folder([done('a.seed-1', 1, 'j1', 'v1'), done('b.seed-1', 2, 'j2', 'v2'), done('c.seed-1', 3, 'j3', 'v3')]),
      folder([done('a.seed-1', 1, 'j1', 'v1', 'req-b'), done('b.seed-1', 2, 'j9', 'v2'), done('c.seed-1', 3, 'j3', 'v9')]),
    ]);
    expect(plan.conflicts.map((c) => [c.id, c.a, c.b, c.what.split(' (')[0]])).toEqual([
      ['a.seed-1', 0, 1, 'different requests'],
      ['b.seed-1', 0, 1, 'different job ids'],
      ['c.seed-1', 0, 1, 'different videos'],
    ]);
    expect(plan.conflicts[1]?.what).toContain('j2 vs j9');
  });

  it('orders by shot line, keeps each folder\'s order within a shot, and interleaves folders by id', () => {
    const plan = planEntries([
      folder([record('z.seed-12', 20), record('z.seed-3', 20), record('a.seed-2', 4), record('a.seed-10', 4)]),
      folder([record('a.seed-9', 4), record('y.take-1', 12)]),
    ]);
    expect(plan.records.map((r) => r.id)).toEqual(['a.seed-2', 'a.seed-9', 'a.seed-10', 'y.take-1', 'z.seed-12', 'z.seed-3']);
  });

  it('compares the numbers in ids as numbers', () => {
    expect(['w.seed-10', 'w.seed-9', 'w.g-6.seed-1', 'w.g-4.seed-100'].sort(compareIds)).toEqual(['w.g-4.seed-100', 'w.g-6.seed-1', 'w.seed-9', 'w.seed-10']);
  });
});
