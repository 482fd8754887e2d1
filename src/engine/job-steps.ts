/**
 * The driver of a run's renders: the submit pump (slots, pacing gates, the queue), the poller,
 * the journal and each render's visible status. The steps themselves — submit, poll, download —
 * are submit-step.ts, poll-step.ts and download-step.ts, and what to do after each event is
 * decided by decide.ts (pure). Every step that commits money or learns something durable is
 * journaled (fsync) before the next one is taken.
 */
import pLimit from 'p-limit';
import { isProblem, type FinalStatus, type Phase } from '../core/lifecycle.js';
import type { RenderErrorInfo } from '../core/records.js';
import { TRANSFER_LIMITS } from '../providers/transfer-limits.js';
import type { JournalState } from '../store/journal.js';
import { errorInfo } from './decide.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import { downloadStep, takeStoreSaver, type SaveVideo } from './download-step.js';
import type { EventInit } from './events.js';
import type { Job } from './job.js';
import type { JobStepsDeps } from './job-steps-deps.js';
import { pollStep } from './poll-step.js';
import { Poller } from './poller.js';
import { journalStep } from './journal-step.js';
import { JournalUnwritable, type StepContext } from './step-context.js';
import { submitStep } from './submit-step.js';
import { SubmitQueue } from './submit-queue.js';

export type { JobStepsDeps };

const SKIPPED = {
  restore: 'an earlier take of this exact request is current again; nothing submitted',
  skip: 'already rendered with the same request; file intact',
};

export class JobSteps implements StepContext {
  private readonly poller: Poller<Job>;
  private readonly queue = new SubmitQueue<Job>();
  private readonly inProgress = new Set<Promise<unknown>>();
  private readonly downloads = pLimit(ENGINE_DEFAULTS.downloadConcurrency);
  private readonly save: SaveVideo;
  private readonly readAbort = new AbortController();
  private readonly submitAbort = new AbortController();
  private cancelSubmitGrace: (() => void) | undefined;
  private cancelPumpTimer: (() => void) | undefined;
  private pumpTimerAt = Infinity;
  private unsettled = 0;
  private resolveDone: (() => void) | undefined;
  stopped = false;
  /** Why submits stopped for good in this run (the disk cannot take the journal or a video, say). */
  submitsHalted: string | undefined;

  constructor(readonly d: JobStepsDeps) {
    this.poller = new Poller<Job>(d.clock, (job) => this.track(this.guard(job, pollStep(this, job))));
    this.save = d.saveVideo ?? takeStoreSaver(d);
  }

  get readSignal(): AbortSignal {
    return this.readAbort.signal;
  }

  get submitSignal(): AbortSignal {
    return this.submitAbort.signal;
  }

  /** Runs every job to a final state (or until stop()); resolves when nothing is under way. */
  runAll(jobs: Job[]): Promise<void> {
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    const now = this.now();
    for (const job of jobs) {
      if (job.finalStatus !== undefined) {
        if (job.finalStatus === 'skipped') this.d.emit({ event: 'skipped', id: job.id, reason: SKIPPED[job.action.kind === 'restore' ? 'restore' : 'skip'] });
        this.emitFailure(job);
        continue;
      }
      this.unsettled += 1;
      if (job.action.kind === 'resume') {
        // Already paid for: hold a slot even past the limit, and read its status at once.
        this.d.slots.take(job.provider, { force: true });
        job.holdsSlot = true;
        job.deadlineAt = now + this.d.timeoutMs;
        this.d.emit({ event: 'submitted', id: job.id, provider: job.provider, job_id: job.state.job_id ?? '', resumed: true });
        this.poller.schedule(job, now);
      } else {
        this.queue.push(job);
      }
    }
    this.checkDone();
    this.pump();
    return done;
  }

  /**
   * Stops submitting for the rest of this run (a full disk, a budget): jobs already sent are still
   * polled and downloaded, renders not sent stay pending for the next run, which submits each
   * once. Says why once (the first reason), as a warning; the run then exits 1.
   */
  haltSubmits(reason: string): void {
    if (this.submitsHalted !== undefined) return;
    this.submitsHalted = reason;
    this.cancelPumpTimer?.();
    this.cancelPumpTimer = undefined;
    this.pumpTimerAt = Infinity;
    const left = this.queue.drain();
    this.d.emit({ event: 'warning', message: `stopped submitting: ${reason}; ${left.length} render${left.length === 1 ? '' : 's'} not sent, left for the next run` });
    for (const job of left) this.leaveUnsent(job);
    this.checkDone();
  }

  leaveUnsent(job: Job): void {
    this.releaseSlot(job);
    this.setStatus(job, 'pending');
    this.unsettled -= 1;
    this.checkDone();
  }

  /**
   * Ctrl-C: no new submits, no more polls; status reads and downloads on the wire are abandoned
   * at once, and submits already sent get a short grace to hear their answer (their job id).
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.poller.stop();
    this.cancelPumpTimer?.();
    this.readAbort.abort();
    this.cancelSubmitGrace = this.d.clock.setTimer(() => this.submitAbort.abort(), this.d.submitGraceMs ?? TRANSFER_LIMITS.submitGraceMs);
    this.checkDone();
  }

  private track<T>(p: Promise<T>): void {
    const tracked = p.then(
      () => undefined,
      () => undefined,
    );
    this.inProgress.add(tracked);
    void tracked.then(() => {
      this.inProgress.delete(tracked);
      this.checkDone();
    });
  }

  private checkDone(): void {
    const onlyUnsent = this.submitsHalted !== undefined && this.unsettled === this.queue.size && this.inProgress.size === 0;
    if (this.unsettled === 0 || (this.stopped && this.inProgress.size === 0) || onlyUnsent) {
      this.cancelSubmitGrace?.();
      this.poller.stop();
      this.resolveDone?.();
    }
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

  /** Starts every submit the limits and gates allow now; arms one timer for the next gate. */
  private pump(): void {
    if (this.stopped || this.submitsHalted !== undefined) return;
    for (;;) {
      const pick = this.queue.next(this.now(), (p) => this.d.slots.canTake(p), (p) => this.d.gates.submitReadyAt(p));
      if (pick.job) {
        const verdict = this.d.budget?.beforeSubmit(pick.job) ?? 'go';
        if (verdict === 'wait') return; // a slot freed later pumps again
        if (verdict !== 'go') return this.haltSubmits(verdict.halt);
        this.queue.take(pick.job);
        this.d.slots.take(pick.job.provider);
        // The POST's place in the provider's pacing window is taken now, before anything awaits,
        // so the submits started in this same loop see it.
        this.d.gates.noteSubmit(pick.job.provider);
        pick.job.holdsSlot = true;
        this.track(this.guard(pick.job, submitStep(this, pick.job)));
        continue;
      }
      if (pick.wakeAt < this.pumpTimerAt) {
        this.cancelPumpTimer?.();
        this.pumpTimerAt = pick.wakeAt;
        this.cancelPumpTimer = this.d.clock.setTimer(() => {
          this.pumpTimerAt = Infinity;
          this.cancelPumpTimer = undefined;
          this.pump();
        }, pick.wakeAt - this.now());
      }
      return;
    }
  }

  requeue(job: Job): void {
    this.queue.pushFront(job);
    this.pump();
  }

  schedulePoll(job: Job, at: number): void {
    if (!this.stopped) this.poller.schedule(job, at);
  }

  startDownload(job: Job, url: string): void {
    this.pump();
    this.track(this.guard(job, this.downloads(() => downloadStep(this, job, url, this.save))));
  }

  /** A bug in a step must not leave a render hanging: record it as failed. */
  private async guard(job: Job, step: Promise<void>): Promise<void> {
    try {
      await step;
    } catch (err) {
      if (job.finalStatus === undefined) this.settle(job, 'failed', errorInfo(err, `internal error: ${(err as Error).message}`));
    }
  }

  releaseSlot(job: Job): void {
    if (!job.holdsSlot) return;
    job.holdsSlot = false;
    this.d.slots.release(job.provider);
  }

  private emitFailure(job: Job): void {
    const status = job.finalStatus;
    if (status === undefined || status === 'skipped' || status === 'succeeded' || !isProblem(status)) return;
    this.d.emit({ event: 'failed', id: job.id, status, error: job.error?.message ?? status, job_id: job.state.job_id });
  }

  settle(job: Job, status: Exclude<FinalStatus, 'skipped'>, error: RenderErrorInfo | null): void {
    if (job.finalStatus !== undefined) return;
    this.poller.cancel(job);
    job.error = error;
    job.finalStatus = status;
    job.touch();
    this.setStatus(job, status);
    this.emitFailure(job);
    this.d.changed();
    if (job.holdsSlot) {
      this.releaseSlot(job);
      this.pump();
    }
    this.unsettled -= 1;
    this.checkDone();
  }
}
