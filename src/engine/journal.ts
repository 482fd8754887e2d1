/**
 * The run's write-ahead journal, `<out>/<name>/.render/journal.jsonl`: one JSON line per step
 * of a render, appended and fsynced before the step is acted on. A render is written as
 * `submitting` before its POST leaves and its job id the moment the answer arrives, so a crash
 * at any point leaves enough on disk to resume every paid job and never submit one twice.
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../output/atomic-write.js';
import type { RenderErrorInfo, RenderRecord } from '../output/types.js';

export type JournalPhase =
  /** Written before the POST: if nothing follows, the job may or may not exist. */
  | 'submitting'
  /** The POST certainly created nothing (429, 503, refused, 4xx): safe to send again. */
  | 'not_created'
  /** The provider accepted the job: `job_id` is known. */
  | 'submitted'
  /** First seen running at the provider. */
  | 'started'
  /** The job succeeded at the provider; its video is not on disk yet. */
  | 'succeeded'
  /** The video is on disk, verified. */
  | 'downloaded'
  | 'failed'
  | 'timed_out'
  | 'indeterminate'
  /** Cancelled at the provider by `render cancel`; the next run submits it again. */
  | 'cancelled';

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
    states.set(entry.state.id, entry.state);
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

/** Reads and folds a journal; a missing file is an empty journal. A torn last line is ignored. */
export async function readJournal(path: string): Promise<Map<string, JournalState>> {
  const states = new Map<string, JournalState>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return states;
    throw err;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      // Only a crash mid-append tears a line, and only the last one; its step was never acted on.
      continue;
    }
    foldEntry(states, entry);
  }
  return states;
}

/**
 * Appends entries with group commit: lines queued while a write+fsync is under way go out
 * together in the next one, so hundreds of jobs finishing at once cost a few fsyncs.
 */
export class Journal {
  private handle: FileHandle | undefined;
  private queue: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(readonly path: string) {}

  /** Opens the journal for appending, first rewriting it as one snapshot line per render. */
  static async open(path: string, states: Map<string, JournalState>): Promise<Journal> {
    await mkdir(dirname(path), { recursive: true });
    const lines = [...states.values()].map((state) => `${JSON.stringify({ phase: 'snapshot', state })}\n`);
    await writeFileAtomic(path, lines.join(''));
    const journal = new Journal(path);
    journal.handle = await open(path, 'a');
    return journal;
  }

  /** Resolves once `entry` is on disk (fsynced). */
  append(entry: JournalEntry): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ line: `${JSON.stringify(entry)}\n`, done, fail });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (!this.handle) throw new Error('journal is closed');
        await this.handle.write(batch.map((b) => b.line).join(''));
        await this.handle.datasync();
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }
}
