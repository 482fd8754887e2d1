/**
 * What the steps of a render (submit-step.ts, poll-step.ts, download-step.ts) need of the
 * driver that runs them (job-steps.ts): the journal, the render's visible status, its slot, the
 * queue and the poller, and the run's stop and halt signals. One interface, so each step is a
 * small module of its own and the driver is the only place that holds the run's state.
 */
import type { Phase } from '../core/lifecycle.js';
import type { FinalStatus } from '../core/lifecycle.js';
import type { RenderErrorInfo } from '../core/records.js';
import type { JournalState } from '../store/journal.js';
import type { Job } from './job.js';
import type { JobStepsDeps } from './job-steps-deps.js';

export interface StepContext {
  readonly d: JobStepsDeps;
  /** Ctrl-C: no new work. */
  readonly stopped: boolean;
  /** Why submits stopped for good in this run, if they did. */
  readonly submitsHalted: string | undefined;
  /** Aborts status reads and downloads at once on Ctrl-C. */
  readonly readSignal: AbortSignal;
  /** Aborts submits still waiting for their answer, a short grace after Ctrl-C. */
  readonly submitSignal: AbortSignal;
  now(): number;
  iso(): string;
  /** Journals a step (fsync) after checking it against the lifecycle; throws JournalUnwritable. */
  record(job: Job, phase: Phase, fields?: Partial<JournalState>): Promise<void>;
  /** Journals a step the run goes on from either way; a failed write is said and stops submits. */
  recordOrWarn(job: Job, phase: Phase, fields?: Partial<JournalState>): Promise<void>;
  setStatus(job: Job, status: Job['status'], providerStatus?: string, progress?: number): void;
  settle(job: Job, status: Exclude<FinalStatus, 'skipped'>, error: RenderErrorInfo | null): void;
  releaseSlot(job: Job): void;
  /** Releases the render's slot and starts the next submit it allows, at once. */
  handOverSlot(job: Job): void;
  /** A submit certainly not created goes back to the front of its queue. */
  requeue(job: Job): void;
  /** A render that will not be sent in this run. */
  leaveUnsent(job: Job): void;
  haltSubmits(reason: string): void;
  schedulePoll(job: Job, at: number): void;
  /** Starts fetching a succeeded job's video. */
  startDownload(job: Job, url: string): void;
}

/** The journal could not take a line (the disk, not a bug in a step): submits stop. */
export class JournalUnwritable extends Error {}
