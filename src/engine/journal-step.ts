/**
 * Journaling one step of a render: checked against the lifecycle (core/lifecycle.ts), applied
 * to the render's state, appended and fsynced. A line the journal cannot take is a
 * JournalUnwritable (the disk, not a bug), so the driver can stop submitting.
 */
import { mayMove, type Phase } from '../core/lifecycle.js';
import type { JournalEntry, JournalState } from '../store/journal.js';
import type { Job } from './job.js';
import { JournalUnwritable } from './step-context.js';

export async function journalStep(
  journal: { append(entry: JournalEntry): Promise<void> },
  at: string,
  job: Job,
  phase: Phase,
  fields: Partial<JournalState>,
): Promise<void> {
  if (!mayMove(job.state.phase, phase)) throw new Error(`internal: a render cannot go from ${job.state.phase} to ${phase}`);
  Object.assign(job.state, fields, { phase });
  job.touch();
  try {
    await journal.append({ ...fields, phase, id: job.id, request_sha256: job.state.request_sha256, at });
  } catch (err) {
    throw new JournalUnwritable(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
