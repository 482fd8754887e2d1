/**
 * A manifest's side of a run: its journal, each render's visible status and final state, and the
 * events it tells the user. What runs when — slots, pacing, the submit queue, the poller, the
 * downloads — is the schedule's (schedule.ts), shared by every manifest of a command. The steps
 * themselves are submit-step.ts, poll-step.ts and download-step.ts, and what to do after each
 * event is decided by decide.ts (pure). Every step that commits money or learns something
 * durable is journaled (fsync) before the next one is taken.
 */
import { isProblem, type FinalStatus, type Phase } from '../core/lifecycle.js';
import type { RenderErrorInfo } from '../core/records.js';
import type { JournalState } from '../store/journal.js';
import { takeStoreSaver, type SaveVideo } from './download-step.js';
import type { EventInit } from './events.js';
import type { Job } from './job.js';
import type { JobStepsDeps } from './job-steps-deps.js';
import { journalStep } from './journal-step.js';
import type { Schedule, ScheduledSteps } from './schedule.js';
import { JournalUnwritable } from './step-context.js';

export type { JobStepsDeps };

const SKIPPED = {
  restore: 'an earlier take of this exact request is current again; nothing submitted',
  skip: 'already rendered with the same request; file intact',
};

export class JobSteps implements ScheduledSteps {
  readonly save: SaveVideo;
  constructor(readonly d: JobStepsDeps) {
    this.save = d.saveVideo ?? takeStoreSaver(d);
  }

  /** The command's schedule, which this manifest's renders run on. */
  get schedule(): Schedule {
    return this.d.schedule;
  }

  get stopped(): boolean {
    return this.schedule.stopped;
  }

  get submitsHalted(): string | undefined {
    return this.schedule.submitsHalted;
  }

  get readSignal(): AbortSignal {
    return this.schedule.readSignal;
  }

  get submitSignal(): AbortSignal {
    return this.schedule.submitSignal;
  }

  /** Puts this manifest's renders on its schedule (a command with several manifests runs it once). */
  add(jobs: Job[]): void {
    this.schedule.add(this, jobs);
  }

  /** Puts `jobs` on the schedule and runs it: every job to a final state (or until stop()). */
  runAll(jobs: Job[]): Promise<void> {
    this.add(jobs);
    return this.schedule.run();
  }

  haltSubmits(reason: string): void {
    this.schedule.haltSubmits(reason, this);
  }

  stop(): void {
    this.schedule.stop();
  }

  announceSettled(job: Job): void {
    if (job.finalStatus === 'skipped') this.d.emit({ event: 'skipped', id: job.id, reason: SKIPPED[job.action.kind === 'restore' ? 'restore' : 'skip'] });
    this.emitFailure(job);
  }

  markUnsent(job: Job): void {
    this.setStatus(job, 'pending');
  }

  leaveUnsent(job: Job): void {
    this.schedule.leaveUnsent(job);
  }

  now(): number {
    return this.d.clock.now();
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  record(job: Job, phase: Phase, fields: Partial<JournalState> = {}): Promise<void> {
    return journalStep(this.d.journal, this.iso(), job, phase, fields);
  }

  /**
   * Journals a step the run goes on from whether or not the line reaches the disk (the state is
   * already in memory and in manifest.json). A failed write is said, not swallowed: until it is
   * repaired, a crash would lose what this line recorded, a job id among them.
   */
  recordOrWarn(job: Job, phase: Phase, fields: Partial<JournalState> = {}): Promise<void> {
    return this.record(job, phase, fields).catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      this.d.emit({ event: 'warning', id: job.id, message: `cannot write the journal (${phase}): ${reason}` });
      // Until the journal can be written again, a new submit could not be kept track of.
      if (err instanceof JournalUnwritable) this.haltSubmits(reason);
    });
  }

  setStatus(job: Job, status: Job['status'], providerStatus?: string, progress?: number): void {
    if (job.status === status) return;
    job.status = status;
    job.touch();
    const e: EventInit = { event: 'status', id: job.id, state: status };
    if (providerStatus !== undefined) e.provider_status = providerStatus;
    if (progress !== undefined) e.progress = progress;
    this.d.emit(e);
    this.d.changed();
  }

  requeue(job: Job): void {
    this.schedule.requeue(job);
  }

  schedulePoll(job: Job, at: number): void {
    this.schedule.schedulePoll(job, at);
  }

  startDownload(job: Job, url: string): void {
    this.schedule.startDownload(job, url);
  }

  handOverSlot(job: Job): void {
    this.schedule.handOverSlot(job);
  }

  releaseSlot(job: Job): void {
    this.schedule.releaseSlot(job);
  }

  private emitFailure(job: Job): void {
    const status = job.finalStatus;
    if (status === undefined || status === 'skipped' || status === 'succeeded' || !isProblem(status)) return;
    this.d.emit({ event: 'failed', id: job.id, status, error: job.error?.message ?? status, job_id: job.state.job_id });
  }

  settle(job: Job, status: Exclude<FinalStatus, 'skipped'>, error: RenderErrorInfo | null): void {
    if (job.finalStatus !== undefined) return;
    job.error = error;
    job.finalStatus = status;
    job.touch();
    this.setStatus(job, status);
    this.emitFailure(job);
    this.d.changed();
    this.schedule.settled(job);
  }
}
