import { mkdtemp, readFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/store/journal.js';
import { readJournal } from '../../src/store/journal-read.js';

const at = '2026-01-01T00:00:00.000Z';

describe('journal', () => {
  it('folds steps per render, and a torn last line is reported, not folded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const path = join(dir, '.render', 'journal.jsonl');
    const j = await Journal.open(path, new Map());
    await Promise.all([
      j.append({ phase: 'submitting', id: 'a', request_sha256: 's1', at, attempts: 1, seed: 7 }),
      j.append({ phase: 'submitting', id: 'b', request_sha256: 's2', at, attempts: 1, seed: null }),
    ]);
    await j.append({ phase: 'submitted', id: 'a', request_sha256: 's1', at, job_id: 'job-a' });
    await j.append({ phase: 'submitted', id: 'a', request_sha256: 'other', at, job_id: 'wrong' });
    await j.close();
    await appendFile(path, '{"phase":"downloaded","id":"a"');
    const { states, problems } = await readJournal(path);
    expect(problems).toEqual([{ line: 5, reason: 'torn last line, its step was never acted on' }]);
    expect(states.get('a')).toMatchObject({ phase: 'submitted', job_id: 'job-a', seed: 7, attempts: 1 });
    expect(states.get('b')).toMatchObject({ phase: 'submitting', job_id: null });
  });

  it('a new submit for the same bytes after not_created keeps counting attempts; other bytes start afresh', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const path = join(dir, 'j.jsonl');
    const j = await Journal.open(path, new Map());
    await j.append({ phase: 'submitting', id: 'a', request_sha256: 's1', at, attempts: 1 });
    await j.append({ phase: 'not_created', id: 'a', request_sha256: 's1', at });
    await j.append({ phase: 'submitting', id: 'a', request_sha256: 's1', at, attempts: 2 });
    await j.append({ phase: 'submitted', id: 'a', request_sha256: 's1', at, job_id: 'j1' });
    await j.close();
    expect((await readJournal(path)).states.get('a')).toMatchObject({ attempts: 2, job_id: 'j1' });

    // Reopening compacts to one snapshot line per render, and the fold survives it.
    const { states } = await readJournal(path);
    const j2 = await Journal.open(path, states);
    await j2.append({ phase: 'submitting', id: 'a', request_sha256: 's9', at, attempts: 1 });
    await j2.close();
    const text = await readFile(path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(2);
    expect((await readJournal(path)).states.get('a')).toMatchObject({ request_sha256: 's9', job_id: null, attempts: 1 });
  });

  it('reads a missing journal as empty', async () => {
    expect((await readJournal('/nonexistent/journal.jsonl')).states.size).toBe(0);
  });
});
