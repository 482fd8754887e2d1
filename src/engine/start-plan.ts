/**
 * What to do with each render at the start of a run, from what earlier runs left behind
 * (output/previous-run.ts). The rule that keeps money safe: a job with a known id is resumed by
 * polling, never submitted again; a submit that may have created a job is left alone unless
 * the user says --force.
 */
import type { PreviousRun } from '../store/previous-run.js';
import { phaseOfRecord, previousState } from '../store/previous-run.js';
import type { Take } from '../store/take-store.js';
import type { RenderRecord } from '../core/records.js';
import { emptyState, type JournalState } from '../store/journal.js';
import type { PreparedRender } from './prepare.js';

export type StartAction =
  | { kind: 'skip'; record: RenderRecord | undefined; state: JournalState | undefined }
  | { kind: 'resume'; state: JournalState }
  | { kind: 'indeterminate'; state: JournalState }
  /** An earlier take was made with exactly this request: it becomes current again, no submit. */
  | { kind: 'restore'; take: Take }
  | { kind: 'submit' };

/** The journal state for a render recorded only in manifest.json (the journal was removed). */
function stateFromRecord(record: RenderRecord): JournalState {
  const phase = phaseOfRecord(record) ?? 'not_created';
  return {
    ...emptyState(record.id, record.request_sha256, record.seed),
    phase,
    job_id: record.job_id,
    attempts: record.attempts,
    submitted_at: record.timings.submitted,
    started_at: record.timings.started,
    completed_at: record.timings.completed,
    downloaded_at: record.timings.downloaded,
    file: record.file,
    sha256: record.sha256,
    bytes: record.bytes,
    video: record.video,
    error: record.error,
    provider_metadata: record.provider_metadata,
  };
}

export async function decideStart(prepared: PreparedRender, prev: PreviousRun, force: boolean): Promise<StartAction> {
  const id = prepared.spec.id;
  const sha = prepared.requestSha256;
  const where = await previousState(prev, id, sha);
  const j = prev.journal.get(id);
  const r = prev.records.get(id);
  const journal = j?.request_sha256 === sha ? j : undefined;
  const record = r?.request_sha256 === sha ? r : undefined;
  const state = journal ?? (record ? stateFromRecord(record) : undefined);
  if (where !== 'done' && where !== 'in_flight' && !force) {
    const take = await prev.takes.intactTake(id, sha);
    if (take) return { kind: 'restore', take };
  }
  switch (where) {
    case 'done':
      return force ? { kind: 'submit' } : { kind: 'skip', record, state };
    case 'in_flight':
      if (!state) return { kind: 'submit' };
      // --force re-renders what is done; a file that is broken or missing is fetched again
      // from the job already paid for.
      if (force && state.phase === 'downloaded') return { kind: 'submit' };
      return { kind: 'resume', state };
    case 'indeterminate':
      return force || !state ? { kind: 'submit' } : { kind: 'indeterminate', state };
    default:
      return { kind: 'submit' };
  }
}
