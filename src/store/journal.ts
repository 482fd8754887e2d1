/**
 * The run's write-ahead journal, `<out>/<name>/.render/journal.jsonl`: one line per step of a
 * render, appended and fsynced before the step is acted on. A render is written as `submitting`
 * before its POST leaves and its job id the moment the answer arrives, so a crash at any point
 * leaves enough on disk to resume every paid job and never submit one twice.
 *
 * Integrity:
 * - Each line is `<JSON>\t<first 16 hex of sha256(JSON)>` (journal-line.ts). Reading reports a
 *   line whose checksum fails, that is not JSON or not an entry, with its line number; it is
 *   never trusted. A torn last line (a crash mid-append) is reported too: its step was never
 *   acted on. Lines without a checksum (earlier versions of render) are read when well-formed.
 * - A write is whole or fails: short writes are continued, then fsync; on failure the file is
 *   cut back to its last whole line and every append waiting on that write rejects.
 * - `journal.reserve` beside the journal holds written (not sparse) bytes, enough for the
 *   remaining lines of every job that can be in flight. When an append fails for lack of space,
 *   a piece of the reserve is given back and the line written again (piece after piece, should
 *   something else take the space first), so the id of a job already sent is not lost to a full
 *   disk. From then on `submitting` lines are refused (they never use the reserve): the run
 *   stops submitting and says so.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { Phase } from '../core/lifecycle.js';
import { fsWords, isDiskFull, localStateError, displayPath } from './local-state.js';
import type { RenderErrorInfo, RenderRecord } from '../core/records.js';
import { journalFs, writeAll, type JournalFile } from './journal-fs.js';
import { encodeLine } from './journal-line.js';

/** A journal line's step: the render's lifecycle phase (core/lifecycle.ts). */
export type JournalPhase = Phase;

/** What the journal knows about one render, folded from its lines. */
export interface JournalState {
  id: string;
  request_sha256: string;
  phase: JournalPhase;
  seed: number | null;
  job_id: string | null;
  attempts: number;
  submitted_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  downloaded_at: string | null;
  file: string | null;
  sha256: string | null;
  bytes: number | null;
  video: RenderRecord['video'];
  error: RenderErrorInfo | null;
  provider_metadata: RenderRecord['provider_metadata'];
}

/** One journal line: a step (`phase`) and the fields it learned, or a whole folded state. */
export type JournalEntry =
  | ({ phase: JournalPhase; id: string; request_sha256: string; at: string } & Partial<Omit<JournalState, 'phase' | 'id' | 'request_sha256'>>)
  | { phase: 'snapshot'; state: JournalState };

export function emptyState(id: string, request_sha256: string, seed: number | null): JournalState {
  return {
    id, request_sha256, phase: 'submitting', seed, job_id: null, attempts: 0,
    submitted_at: null, started_at: null, completed_at: null, downloaded_at: null,
    file: null, sha256: null, bytes: null, video: null, error: null, provider_metadata: {},
  };
}

/** Applies one line to the folded states. A new `submitting` for other bytes starts afresh. */
export function foldEntry(states: Map<string, JournalState>, entry: JournalEntry): void {
  if (entry.phase === 'snapshot') {
    // A snapshot from an older version may lack fields added since: they start empty.
    states.set(entry.state.id, { ...emptyState(entry.state.id, entry.state.request_sha256, null), ...entry.state });
    return;
  }
  const { at: _at, ...fields } = entry;
  let state = states.get(entry.id);
  if (entry.phase === 'submitting') {
    const keep = state && state.request_sha256 === entry.request_sha256 && state.phase === 'not_created';
    const base = keep && state ? state : emptyState(entry.id, entry.request_sha256, entry.seed ?? null);
    // A resubmit (--force, or after a failure) is a new job: forget the old one's results.
    state = keep && state ? { ...state } : base;
    states.set(entry.id, Object.assign(state, fields));
    return;
  }
  if (!state || state.request_sha256 !== entry.request_sha256) return;
  Object.assign(state, fields);
}

export interface JournalOptions {
  /** Bytes kept in `journal.reserve` for the lines of jobs in flight (0: no reserve). */
  reserveBytes?: number;
  /** Keep a copy of the journal as it was (it had lines that were not trusted) before compacting. */
  keepCopy?: boolean;
}

/** The reserve is given back in pieces of at least this many bytes… */
const RESERVE_STEP_BYTES = 8 * 1024;
/** …rounded up to whole blocks of this size (the usual file system block). */
const BLOCK_BYTES = 4096;

interface Pending {
  line: string;
  /** A `submitting` line: written before money is spent, so it never uses the reserve. */
  intent: boolean;
  done: () => void;
  fail: (e: unknown) => void;
}

/** The reserve file of a journal: `journal.jsonl` → `journal.reserve`. */
export function reservePathOf(path: string): string {
  return path.replace(/(\.jsonl)?$/, '.reserve');
}

/**
 * Appends entries with group commit: lines queued while a write+fsync is under way go out
 * together in the next one, so hundreds of jobs finishing at once cost a few fsyncs.
 */
export class Journal {
  private handle: JournalFile | undefined;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  /** Bytes of whole lines in the file; undefined once a cut-back failed. */
  private size: number | undefined;
  /** The file may end in a piece of a line: start the next write on a new line. */
  private tornTail = false;
  /** Bytes still held in the reserve file. */
  private reserveLeft: number;
  /** Set once the disk was found full: new submits are refused with it. */
  private full: Error | undefined;

  private constructor(
    readonly path: string,
    private readonly reservePath: string,
    reserveBytes: number,
  ) {
    this.reserveLeft = reserveBytes;
  }

  /**
   * Opens the journal for appending: writes the reserve, then rewrites the journal as one
   * snapshot line per render. Failures are clear errors naming the file (exit 2).
   */
  static async open(path: string, states: Map<string, JournalState>, options: JournalOptions = {}): Promise<Journal> {
    const reserveBytes = options.reserveBytes ?? 0;
    const journal = new Journal(path, reservePathOf(path), reserveBytes);
    const step = async (file: string, what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        throw localStateError(err, file, what, 'write');
      }
    };
    await step(dirname(path), 'the folder', () => mkdir(dirname(path), { recursive: true }));
    if (reserveBytes > 0) await step(journal.reservePath, "the journal's reserve", () => journalFs.writeReserve(journal.reservePath, reserveBytes));
    if (options.keepCopy) {
      const copy = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await step(copy, 'a copy of the damaged journal', () => copyFile(path, copy));
    }
    const text = [...states.values()].map((state) => encodeLine({ phase: 'snapshot', state })).join('');
    await step(path, 'the journal', () => writeFileAtomic(path, text));
    await step(path, 'the journal', async () => (journal.handle = await journalFs.openAppend(path)));
    journal.size = Buffer.byteLength(text);
    return journal;
  }

  /** Resolves once `entry` is on disk (fsynced); rejects with an error naming the journal. */
  append(entry: JournalEntry): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ line: encodeLine(entry), intent: entry.phase === 'submitting', done, fail });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
    this.flushing = undefined;
  }

  private async commit(batch: Pending[]): Promise<void> {
    let todo = this.full ? this.refuseIntents(batch, this.full) : batch;
    if (todo.length === 0) return;
    let err = await this.write(todo);
    if (err && isDiskFull(err)) {
      this.full ??= err;
      todo = this.refuseIntents(todo, err);
      // The lines of jobs already sent go into space the reserve gives back.
      const need = todo.reduce((n, p) => n + Buffer.byteLength(p.line), 0);
      while (err && isDiskFull(err) && todo.length > 0 && (await this.shrinkReserve(need))) err = await this.write(todo);
    }
    for (const p of todo) {
      if (err) p.fail(err);
      else p.done();
    }
  }

  private refuseIntents(batch: Pending[], err: Error): Pending[] {
    for (const p of batch) if (p.intent) p.fail(err);
    return batch.filter((p) => !p.intent);
  }

  /** Gives back room for `need` bytes (whole file system blocks, at least a step); false when none is left. */
  private async shrinkReserve(need: number): Promise<boolean> {
    if (this.reserveLeft <= 0) return false;
    const step = Math.max(RESERVE_STEP_BYTES, Math.ceil((need + 1) / BLOCK_BYTES) * BLOCK_BYTES);
    this.reserveLeft = Math.max(0, this.reserveLeft - step);
    try {
      await journalFs.shrinkReserve(this.reservePath, this.reserveLeft);
      return true;
    } catch {
      this.reserveLeft = 0;
      return false;
    }
  }

  /** Writes the lines whole and fsyncs; on failure cuts the file back and returns the error. */
  private async write(items: Pending[]): Promise<Error | undefined> {
    try {
      if (!this.handle) throw new Error('journal is closed');
      const bytes = Buffer.from((this.tornTail ? '\n' : '') + items.map((p) => p.line).join(''));
      await writeAll(this.handle, bytes);
      await this.handle.datasync();
      this.tornTail = false;
      if (this.size !== undefined) this.size += bytes.length;
      return undefined;
    } catch (err) {
      await this.cutBack();
      const code = (err as NodeJS.ErrnoException).code;
      return Object.assign(new Error(`${fsWords(err)}: ${displayPath(this.path)}`, { cause: err }), code ? { code } : {});
    }
  }

  /** Removes a partly written line, so the next one starts on a line of its own. */
  private async cutBack(): Promise<void> {
    try {
      if (this.size === undefined || !this.handle) throw new Error('size unknown');
      await this.handle.truncate(this.size);
      this.tornTail = false;
    } catch {
      this.size = undefined;
      this.tornTail = true;
    }
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }
}
