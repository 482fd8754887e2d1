/**
 * What an earlier run of a manifest left behind: its manifest.json records and its journal.
 * The engine uses it to resume and to skip finished renders; `render plan` uses it to mark
 * renders as done or still in flight.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onRestart, type Phase, type StartState } from '../core/lifecycle.js';
import { readJournal, type JournalState } from '../engine/journal.js';
import { fileMatches } from '../engine/verify-file.js';
import { runLayout, type RunLayout } from './layout.js';
import { TakeStore, type TakeFacts } from './take-store.js';
import type { RenderManifestFile, RenderRecord } from './types.js';

export interface PreviousRun {
  layout: RunLayout;
  /** The previous manifest.json, null when there is none (or it cannot be read). */
  manifest: RenderManifestFile | null;
  records: Map<string, RenderRecord>;
  journal: Map<string, JournalState>;
  /** Every take kept in the run folder. */
  takes: TakeStore;
}

export async function readManifestFile(path: string): Promise<RenderManifestFile | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as RenderManifestFile;
    return parsed && Array.isArray(parsed.renders) ? parsed : null;
  } catch {
    // Missing or unreadable: the journal (if any) still says what was paid for.
    return null;
  }
}

/** Reads `<outDir>/<name>/manifest.json` and `.render/journal.jsonl`. `outDir` is absolute. */
export async function readPreviousRun(outDir: string, name: string): Promise<PreviousRun> {
  const layout = runLayout(outDir, name);
  const manifest = await readManifestFile(layout.manifestPath);
  const records = new Map((manifest?.renders ?? []).map((r) => [r.id, r] as const));
  return { layout, manifest, records, journal: await readJournal(layout.journalPath), takes: await TakeStore.open(layout) };
}

/** Where a render stands before a run (core/lifecycle.ts); `restore` is decided with the take store. */
export type PreviousState = Exclude<StartState, 'restore'>;

/** The record's status as a phase, for a render known only from manifest.json. */
export function phaseOfRecord(record: RenderRecord): Phase | undefined {
  switch (record.status) {
    case 'succeeded':
      return 'downloaded';
    case 'pending':
      return record.job_id ? 'submitted' : undefined;
    case 'submitting':
      return record.job_id ? 'submitted' : 'submitting';
    case 'queued':
    case 'running':
    case 'downloading':
      return 'submitted';
    default:
      return record.status;
  }
}

/**
 * Where render `id` stands, for a request whose sha256 is `requestSha256`. Checks the video's
 * size and sha256 on disk before calling it done.
 */
export async function previousState(prev: PreviousRun, id: string, requestSha256: string): Promise<PreviousState> {
  const j = prev.journal.get(id);
  const r = prev.records.get(id);
  const journal = j && j.request_sha256 === requestSha256 ? j : undefined;
  const record = r && r.request_sha256 === requestSha256 ? r : undefined;
  const done = doneFile(journal, record);
  if (done && (await fileMatches(join(prev.layout.dir, done.file), done))) return 'done';
  const phase = journal ? journal.phase : record ? phaseOfRecord(record) : undefined;
  if (phase === undefined) return 'new';
  const jobId = journal ? journal.job_id : (record?.job_id ?? null);
  switch (onRestart(phase, jobId)) {
    case 'check_file':
    case 'resume':
      return 'in_flight';
    case 'hold':
      return 'indeterminate';
    default:
      return phase === 'lost' ? 'lost' : phase === 'not_created' || phase === 'submitting' ? 'new' : 'failed';
  }
}

/** The verified-file facts of a succeeded render, from the journal or else manifest.json. */
export function doneFile(
  journal: JournalState | undefined,
  record: RenderRecord | undefined,
): { file: string; sha256: string; bytes: number } | undefined {
  if (journal?.phase === 'downloaded' && journal.file && journal.sha256 && journal.bytes !== null) {
    return { file: journal.file, sha256: journal.sha256, bytes: journal.bytes };
  }
  if (record?.status === 'succeeded' && record.file && record.sha256 && record.bytes !== null) {
    return { file: record.file, sha256: record.sha256, bytes: record.bytes };
  }
  return undefined;
}

/**
 * What an earlier run knew of render `id`'s current video (its request, seed, job and file), so
 * that a file about to be replaced is kept in the take store under the right request.
 */
export function previousTakeFacts(prev: PreviousRun, id: string): TakeFacts | undefined {
  const j = prev.journal.get(id);
  const r = prev.records.get(id);
  const done = doneFile(j, r);
  if (!done) return undefined;
  const fromJournal = j?.phase === 'downloaded' && j.sha256 === done.sha256;
  const src = fromJournal && j ? j : r;
  if (!src) return undefined;
  return {
    request_sha256: src.request_sha256,
    seed: src.seed,
    job_id: src.job_id,
    sha256: done.sha256,
    bytes: done.bytes,
    video: src.video,
    downloaded_at: fromJournal && j ? j.downloaded_at : (r?.timings.downloaded ?? null),
  };
}
