/**
 * What an earlier run of a manifest left behind: its manifest.json records and its journal.
 * The engine uses it to resume and to skip finished renders; `render plan` uses it to mark
 * renders as done or still in flight.
 */
import { checkManifest } from './manifest-file.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onRestart, type Phase, type StartState } from '../core/lifecycle.js';
import { RenderError } from '../core/errors.js';
import type { JournalState } from './journal.js';
import { readJournal, TORN_LAST_LINE, type JournalProblem } from './journal-read.js';
import { fileMatches } from './verify-file.js';
import { LOCAL_STATE_CODE, localStateError, displayPath } from './local-state.js';
import { runLayout, type RunLayout } from './layout.js';
import { TakeStore, type TakeFacts } from './take-store.js';
import type { RenderManifestFile, RenderRecord } from '../core/records.js';
import { takeCost } from '../core/prices.js';

export interface PreviousRun {
  layout: RunLayout;
  /** The previous manifest.json, null when there is none (or it cannot be read). */
  manifest: RenderManifestFile | null;
  records: Map<string, RenderRecord>;
  journal: Map<string, JournalState>;
  /** Every take kept in the run folder. */
  takes: TakeStore;
  /** Journal lines that were not trusted (damaged, foreign, torn), for the run to report. */
  journalProblems: JournalProblem[];
  /** Renders whose job id came from manifest.json because the journal lacked it. */
  jobIdsFromManifest: string[];
  /** What in manifest.json failed its schema and was not trusted. */
  manifestProblems: string[];
}

/**
 * manifest.json checked against its schema (manifest-file.ts); records that fail it are left out
 * and described in `problems` when given. Missing or unusable: null.
 */
export async function readManifestFile(path: string, problems: string[] = []): Promise<RenderManifestFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    // Missing: the journal (if any) still says what was paid for. A folder in its place, or a
    // file render may not read, would fail the run later: say so now.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw localStateError(err, path, 'manifest.json', 'read');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push('not valid JSON');
    return null;
  }
  const checked = checkManifest(parsed);
  if ('unusable' in checked) {
    problems.push(checked.unusable);
    return null;
  }
  problems.push(...checked.problems);
  return checked.manifest;
}

/** Reads `<outDir>/<name>/manifest.json` and `.render/journal.jsonl`. `outDir` is absolute. */
export async function readPreviousRun(outDir: string, name: string): Promise<PreviousRun> {
  const layout = runLayout(outDir, name);
  const manifestProblems: string[] = [];
  const manifest = await readManifestFile(layout.manifestPath, manifestProblems);
  const records = new Map((manifest?.renders ?? []).filter((r) => r && typeof r.id === 'string').map((r) => [r.id, r] as const));
  const read = await readJournal(layout.journalPath);
  const foreign = read.problems.filter((p) => p.reason !== TORN_LAST_LINE);
  if (read.entries === 0 && foreign.length > 0) {
    const shown = displayPath(layout.journalPath);
    const n = read.problems.length;
    const none = n === 1 ? 'its only line is not a journal entry' : `none of its ${n} lines is a journal entry`;
    throw new RenderError(LOCAL_STATE_CODE, `${shown} is not a render journal: ${none}`, {
      hint: 'move it out of the way (render keeps its journal there) and run the same command again; jobs recorded in manifest.json are resumed, not submitted again; nothing was submitted',
    });
  }
  const jobIdsFromManifest = mergeRecordJobIds(read.states, records);
  const takes = await TakeStore.open(layout);
  return { layout, manifest, records, journal: read.states, takes, journalProblems: read.problems, jobIdsFromManifest, manifestProblems };
}

/** Journal phases that stop at the submit: the job id manifest.json recorded says how it went on. */
const UNANSWERED: ReadonlySet<Phase> = new Set(['submitting', 'indeterminate']);

/**
 * Merges manifest.json's job ids into the journal's states: a render the journal shows as sent
 * but without its job id (that line lost, damaged, or never written) keeps the job id
 * manifest.json recorded for the same request and attempt, so the job is resumed by polling,
 * not submitted again. (A render missing from the journal altogether is decided from its record
 * alone.) Returns the ids of the renders merged.
 */
function mergeRecordJobIds(journal: Map<string, JournalState>, records: Map<string, RenderRecord>): string[] {
  const merged: string[] = [];
  for (const [id, record] of records) {
    const state = journal.get(id);
    if (!state || state.job_id || !record.job_id || record.request_sha256 !== state.request_sha256) continue;
    // not_created: that attempt made no job; a record of fewer attempts is of an older job.
    if (state.phase === 'not_created' || (record.attempts ?? 0) < state.attempts) continue;
    const t = record.timings;
    journal.set(id, {
      ...state,
      // Steps after the submit that the journal did keep (started, succeeded…) stand.
      phase: UNANSWERED.has(state.phase) ? (phaseOfRecord(record) ?? 'submitted') : state.phase,
      job_id: record.job_id,
      started_at: state.started_at ?? t?.started ?? null,
      completed_at: state.completed_at ?? t?.completed ?? null,
      provider_metadata: { ...record.provider_metadata, ...state.provider_metadata },
    });
    merged.push(id);
  }
  return merged;
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
    ...(r && r.request_sha256 === src.request_sha256 ? takeCost(r.model, r.params ?? {}, src.provider_metadata?.credits_used) : {}),
  };
}
