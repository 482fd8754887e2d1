/**
 * What an earlier run of a manifest left behind: its manifest.json records and its journal.
 * The engine uses it to resume and to skip finished renders; `render plan` uses it to mark
 * renders as done or still in flight.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal, type JournalState } from '../engine/journal.js';
import { fileMatches } from '../engine/verify-file.js';
import { runLayout, type RunLayout } from './layout.js';
import type { RenderManifestFile, RenderRecord } from './types.js';

export interface PreviousRun {
  layout: RunLayout;
  /** The previous manifest.json, null when there is none (or it cannot be read). */
  manifest: RenderManifestFile | null;
  records: Map<string, RenderRecord>;
  journal: Map<string, JournalState>;
}

/** Journal phases in which a job exists at the provider and has not been brought home. */
const IN_FLIGHT_PHASES = new Set(['submitted', 'started', 'succeeded']);

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
  return { layout, manifest, records, journal: await readJournal(layout.journalPath) };
}

export type PreviousState =
  /** Succeeded with this exact request, and the file on disk is intact: a run skips it. */
  | 'done'
  /** Submitted by an interrupted run and not brought home: a run resumes it (no new submit). */
  | 'in_flight'
  /** The submit may have created a job; a run leaves it alone unless --force. */
  | 'indeterminate'
  /** Failed, timed out or cancelled last time: a run submits it again. */
  | 'failed'
  /** Never submitted, or submitted for other bytes: a run submits it. */
  | 'new';

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
  if (journal) {
    if (journal.job_id && (IN_FLIGHT_PHASES.has(journal.phase) || journal.phase === 'downloaded')) return 'in_flight';
    if ((journal.phase === 'submitting' || journal.phase === 'indeterminate') && !journal.job_id) return 'indeterminate';
    return journal.phase === 'not_created' ? 'new' : 'failed';
  }
  if (record) {
    if (record.job_id && ['submitting', 'queued', 'running', 'downloading', 'succeeded'].includes(record.status)) return 'in_flight';
    if ((record.status === 'submitting' || record.status === 'indeterminate') && !record.job_id) return 'indeterminate';
    if (record.status === 'failed' || record.status === 'timed_out' || record.status === 'cancelled') return 'failed';
  }
  return 'new';
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
