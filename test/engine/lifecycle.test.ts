import { describe, expect, it } from 'vitest';
import { isPhase, mayMove, onRestart, PHASES, STATES, type Phase } from '../../src/core/lifecycle.js';

describe('the render lifecycle', () => {
  it.each<[Phase, string | null, ReturnType<typeof onRestart>]>([
    ['submitting', null, 'hold'],
    ['not_created', null, 'submit'],
    ['submitted', 'j', 'resume'],
    ['started', 'j', 'resume'],
    ['succeeded', 'j', 'resume'],
    ['downloaded', 'j', 'check_file'],
    ['failed', 'j', 'submit'],
    ['timed_out', 'j', 'resume'],
    ['lost', 'j', 'submit'],
    ['cancelled', 'j', 'submit'],
    ['indeterminate', null, 'hold'],
    ['submitted', null, 'hold'],
  ])('a rerun after %s (job %s) does: %s', (phase, jobId, expected) => {
    expect(onRestart(phase, jobId)).toBe(expected);
  });

  it('never lets a job known at the provider be submitted again without a word from it', () => {
    for (const [phase, facts] of Object.entries(PHASES) as [Phase, (typeof PHASES)[Phase]][]) {
      if (facts.jobAtProvider) {
        expect(onRestart(phase, 'job-1')).toBe('resume');
        expect(mayMove(phase, 'submitting')).toBe(false);
      }
    }
  });

  it('allows only the listed steps', () => {
    expect(mayMove('submitting', 'submitted')).toBe(true);
    expect(mayMove('submitted', 'downloaded')).toBe(false);
    expect(mayMove('succeeded', 'downloaded')).toBe(true);
    expect(mayMove('timed_out', 'started')).toBe(true);
    expect(mayMove('lost', 'submitting')).toBe(true);
    expect(mayMove('failed', 'downloaded')).toBe(true); // an earlier take restored
    expect(mayMove('timed_out', 'downloaded')).toBe(false); // its job is polled, not replaced
  });

  it('reads phases from disk strictly', () => {
    expect(isPhase('lost')).toBe(true);
    expect(isPhase('toString')).toBe(false);
    expect(isPhase(null)).toBe(false);
  });

  it('counts every problem state as a failure of the run', () => {
    const problems = Object.entries(STATES).filter(([, f]) => f.problem).map(([s]) => s).sort();
    expect(problems).toEqual(['cancelled', 'failed', 'indeterminate', 'lost', 'timed_out']);
  });
});
