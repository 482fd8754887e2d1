/**
 * The journal cannot lie: writes are whole or fail (short writes continued, failed ones cut
 * back), every line is checksummed and a bad line is reported with its number, old lines
 * without a checksum are still read, and a full disk never loses a job id (the reserve).
 * File faults are injected through the journal's file seam (journal-fs.ts).
 */
import { appendFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalFs, type JournalFile } from '../../src/store/journal-fs.js';
import { encodeLine } from '../../src/store/journal-line.js';
import { readJournal } from '../../src/store/journal-read.js';
import { emptyState, Journal, reservePathOf } from '../../src/store/journal.js';

const at = '2026-01-01T00:00:00.000Z';
const real = { ...journalFs };

afterEach(() => Object.assign(journalFs, real));

async function journalPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'journal-integrity-')), '.render', 'journal.jsonl');
}

function enospc(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** Wraps the real append handle: `write` goes through `fault` first (which may shorten or throw). */
function injectWrites(fault: (length: number) => number): { writes: number[] } {
  const seen = { writes: [] as number[] };
  journalFs.openAppend = async (path) => {
    const fh = await real.openAppend(path);
    const file: JournalFile = {
      write: (buffer, offset, length, position) => {
        const n = fault(length);
        seen.writes.push(n);
        return fh.write(buffer, offset, n, position);
      },
      datasync: () => fh.datasync(),
      truncate: (len) => fh.truncate(len),
      close: () => fh.close(),
    };
    return file;
  };
  return seen;
}

const submitting = (id: string) => ({ phase: 'submitting' as const, id, request_sha256: `sha-${id}`, at, attempts: 1, seed: 1 });
const submitted = (id: string, job: string) => ({ phase: 'submitted' as const, id, request_sha256: `sha-${id}`, at, job_id: job });

describe('journal writes', () => {
  it('continues short writes until every byte is written', async () => {
    const seen = injectWrites((length) => Math.min(length, 7));
    const path = await journalPath();
    const j = await Journal.open(path, new Map());
    await Promise.all([j.append(submitting('a')), j.append(submitting('b'))]);
    await j.append(submitted('a', 'job-a'));
    await j.close();
    expect(seen.writes.length).toBeGreaterThan(30); // each line took many writes of 7 bytes
    expect(seen.writes.every((n) => n <= 7)).toBe(true);
    const read = await readJournal(path);
    expect(read.problems).toEqual([]);
    expect(read.states.get('a')).toMatchObject({ phase: 'submitted', job_id: 'job-a' });
    expect(read.states.get('b')).toMatchObject({ phase: 'submitting' });
  });

  it('a write that fails partway rejects every waiting append and leaves no piece of a line', async () => {
    let broken = false;
    let calls = 0;
    injectWrites((length) => {
      if (!broken) return length;
      // A 20-byte piece goes to the disk, then the disk fails.
      calls += 1;
      if (calls % 2 === 1) return Math.min(length, 20);
      throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    });
    const path = await journalPath();
    const j = await Journal.open(path, new Map());
    await j.append(submitting('a'));
    broken = true;
    const results = await Promise.allSettled([j.append(submitted('a', 'job-a')), j.append(submitting('b')), j.append(submitting('c'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason.message)).toMatch(/^input\/output error: .*journal\.jsonl$/);
    expect(calls % 2 === 0 && calls >= 2).toBe(true); // each batch: a piece, then the failure
    broken = false;
    await j.append(submitting('d'));
    await j.close();
    const read = await readJournal(path);
    expect(read.problems).toEqual([]); // the pieces were cut away
    expect([...read.states.keys()]).toEqual(['a', 'd']);
    expect(read.states.get('a')?.job_id).toBeNull();
  });

  it('on a full disk, gives back the reserve for a job id line but never for a submit', async () => {
    let full = false;
    let released = false;
    injectWrites((length) => {
      if (full && !released) throw enospc();
      return length;
    });
    journalFs.shrinkReserve = async (p, bytes) => {
      await real.shrinkReserve(p, bytes);
      released = true;
    };
    const path = await journalPath();
    const j = await Journal.open(path, new Map(), { reserveBytes: 64 * 1024 });
    const reserve = reservePathOf(path);
    expect((await stat(reserve)).size).toBe(64 * 1024);
    expect(await readFile(reserve)).toEqual(Buffer.alloc(64 * 1024)); // written bytes, not a hole
    await j.append(submitting('a'));
    full = true;

    // A new submit's line fails and keeps the reserve for the job already sent.
    await expect(j.append(submitting('b'))).rejects.toMatchObject({ code: 'ENOSPC', message: expect.stringMatching(/^no space left on device: .*journal\.jsonl$/) });
    expect((await stat(reserve)).size).toBe(64 * 1024);
    // The job id of the one sent is written into space the reserve gives back: one piece of it.
    await j.append(submitted('a', 'job-a'));
    expect((await stat(reserve)).size).toBe(56 * 1024);
    // From now on no submit line is written, even though the disk takes bytes again.
    await expect(j.append(submitting('c'))).rejects.toMatchObject({ code: 'ENOSPC' });
    await j.append({ phase: 'started', id: 'a', request_sha256: 'sha-a', at, started_at: at });
    await j.close();
    const read = await readJournal(path);
    expect(read.problems).toEqual([]);
    expect([...read.states.keys()]).toEqual(['a']);
    expect(read.states.get('a')).toMatchObject({ phase: 'started', job_id: 'job-a' });
  });

  it('gives the reserve back piece after piece while something else takes the space; fails once it is spent', async () => {
    let shrinks = 0;
    let needShrinks = 2; // the first piece given back is taken by another writer
    injectWrites((length) => {
      if (shrinks < needShrinks) throw enospc();
      return length;
    });
    journalFs.shrinkReserve = async (p, bytes) => {
      await real.shrinkReserve(p, bytes);
      shrinks += 1;
    };
    const path = await journalPath();
    const reserve = reservePathOf(path);
    needShrinks = 0;
    const j = await Journal.open(path, new Map(), { reserveBytes: 32 * 1024 });
    await j.append(submitting('a'));
    needShrinks = 2;
    await j.append(submitted('a', 'job-a'));
    expect(shrinks).toBe(2);
    expect((await stat(reserve)).size).toBe(16 * 1024);
    needShrinks = Infinity; // the disk stays full
    await expect(j.append({ phase: 'started', id: 'a', request_sha256: 'sha-a', at })).rejects.toMatchObject({ code: 'ENOSPC' });
    expect((await stat(reserve)).size).toBe(0);
    await j.close();
    expect((await readJournal(path)).states.get('a')).toMatchObject({ job_id: 'job-a', phase: 'submitted' });
  });
});

describe('journal reading', () => {
  async function written(): Promise<string> {
    const path = await journalPath();
    const j = await Journal.open(path, new Map());
    await j.append(submitting('a'));
    await j.append(submitted('a', 'job-aaaa'));
    await j.append(submitting('b'));
    await j.close();
    return path;
  }

  it('reports a line with a flipped byte and does not trust it', async () => {
    const path = await written();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('job-aaaa', 'job-aaab'));
    const read = await readJournal(path);
    expect(read.problems).toEqual([{ line: 2, reason: 'checksum does not match (damaged or not written by render)' }]);
    expect(read.states.get('a')).toMatchObject({ phase: 'submitting', job_id: null });
    expect(read.states.get('b')).toMatchObject({ phase: 'submitting' });
  });

  it('reports foreign lines, a null line and entries without phase or id, with their numbers', async () => {
    const path = await written();
    await appendFile(path, ['hello world', 'null', '42', '{"phase":"submitted"}', '{"id":"a","request_sha256":"sha-a"}', '[1,2]', ''].join('\n'));
    const read = await readJournal(path);
    expect(read.problems).toEqual([
      { line: 4, reason: 'not a journal line (no checksum, not JSON)' },
      { line: 5, reason: 'not a journal entry (no phase, id or request)' },
      { line: 6, reason: 'not a journal entry (no phase, id or request)' },
      { line: 7, reason: 'not a journal entry (no phase, id or request)' },
      { line: 8, reason: 'not a journal entry (no phase, id or request)' },
      { line: 9, reason: 'not a journal entry (no phase, id or request)' },
    ]);
    expect(read.entries).toBe(3);
    expect(read.states.get('a')?.job_id).toBe('job-aaaa');
  });

  it('a checksummed line with the wrong field types is not an entry', async () => {
    const path = await written();
    await appendFile(path, encodeLine({ ...submitted('a', 'x'), job_id: 12 } as never));
    const read = await readJournal(path);
    expect(read.problems).toEqual([{ line: 4, reason: 'not a journal entry (no phase, id or request)' }]);
    expect(read.states.get('a')?.job_id).toBe('job-aaaa');
  });

  it('reports a torn last line as never acted on', async () => {
    const path = await written();
    await appendFile(path, encodeLine(submitted('b', 'job-b')).slice(0, 40));
    const read = await readJournal(path);
    expect(read.problems).toEqual([{ line: 4, reason: 'torn last line, its step was never acted on' }]);
    expect(read.states.get('b')?.job_id).toBeNull();
  });

  it('reads journals of earlier versions (no checksums) without a word', async () => {
    const path = await journalPath();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(path, '..'), { recursive: true });
    const { file: _f, ...olderState } = { ...emptyState('s', 'sha-s', 5), phase: 'submitted' as const, job_id: 'job-s', attempts: 1 };
    await writeFile(
      path,
      [
        JSON.stringify({ phase: 'snapshot', state: olderState }),
        JSON.stringify(submitting('a')),
        JSON.stringify(submitted('a', 'job-a')),
        '',
      ].join('\n'),
    );
    const read = await readJournal(path);
    expect(read.problems).toEqual([]);
    expect(read.states.get('s')).toMatchObject({ phase: 'submitted', job_id: 'job-s', seed: 5, file: null });
    expect(read.states.get('a')).toMatchObject({ phase: 'submitted', job_id: 'job-a' });
  });
});
