/**
 * One schedule for every render of a command, whatever manifest it comes from: the global and
 * per-provider slots, the providers' pacing gates, one submit queue (manifest order, then shot
 * order), one poller and one pool of downloads. Each manifest keeps its own journal, records
 * and events (job-steps.ts); the schedule only decides what runs when, so a manifest's tail
 * never leaves a slot idle while another manifest has renders waiting.
 */
import pLimit from 'p-limit';
import { setMaxListeners } from 'node:events';
import { TRANSFER_LIMITS } from '../providers/transfer-limits.js';
import type { Clock } from './clock.js';
import { errorInfo } from './decide.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import { downloadStep, type SaveVideo } from './download-step.js';
import type { Job } from './job.js';
import type { SubmitVerdict } from './budget.js';
import { pollStep } from './poll-step.js';
import { Poller } from './poller.js';
import type { ProviderGates } from './provider-gates.js';
import type { Slots } from './slots.js';
import type { StepContext } from './step-context.js';
import { submitStep } from './submit-step.js';
import { SubmitQueue } from './submit-queue.js';

/** What the schedule shares between the manifests of a command. */
export interface ScheduleDeps {
  clock: Clock;
  slots: Slots;
  gates: ProviderGates;
  /** After stop(), how long a submit already sent may wait for its answer. */
  submitGraceMs?: number | undefined;
  /** Asked before each submit whether the providers' budgets allow it (engine/budget.ts). */
  budget?: { beforeSubmit(job: Job): SubmitVerdict } | undefined;
}

/** What the schedule needs of the steps of a manifest (job-steps.ts) to hand a render back. */
export interface ScheduledSteps extends StepContext {
  readonly save: SaveVideo;
  /** A render settled before the run (skipped, restored, indeterminate): says so. */
  announceSettled(job: Job): void;
  /** Leaves a render unsent, visibly (`pending`). */
  markUnsent(job: Job): void;
}

export class Schedule {
  private readonly poller: Poller<Job>;
  private readonly queue = new SubmitQueue<Job>();
  private readonly stepsOf = new Map<Job, ScheduledSteps>();
  private readonly inProgress = new Set<Promise<unknown>>();
  private readonly downloads = pLimit(ENGINE_DEFAULTS.downloadConcurrency);
  private readonly readAbort = new AbortController();
  private readonly submitAbort = new AbortController();
  private cancelSubmitGrace: (() => void) | undefined;
  private cancelPumpTimer: (() => void) | undefined;
  private pumpTimerAt = Infinity;
  private unsettled = 0;
  private running = false;
  private resolveDone: (() => void) | undefined;
  stopped = false;
  /** Why submits stopped for good in this run (the disk cannot take the journal, a budget, …). */
  submitsHalted: string | undefined;

  constructor(readonly d: ScheduleDeps) {
    this.poller = new Poller<Job>(d.clock, (job) => this.track(this.guard(job, pollStep(this.steps(job), job))));
    // Every status read and download in flight listens on these: hundreds at a time is normal.
    setMaxListeners(0, this.readAbort.signal, this.submitAbort.signal);
  }

  get readSignal(): AbortSignal {
    return this.readAbort.signal;
  }

  get submitSignal(): AbortSignal {
    return this.submitAbort.signal;
  }

  private now(): number {
    return this.d.clock.now();
  }

  private steps(job: Job): ScheduledSteps {
    const steps = this.stepsOf.get(job);
    if (!steps) throw new Error(`internal: render ${job.id} is not on the schedule`);
    return steps;
  }

  /**
   * Puts a manifest's renders on the schedule, in their order after those already added.
   * Renders resumed from an earlier run hold a slot at once (even past the limit: they are
   * already at the provider) and are read at once.
   */
  add(steps: ScheduledSteps, jobs: Job[]): void {
    const now = this.now();
    for (const job of jobs) {
      if (job.finalStatus !== undefined) {
        steps.announceSettled(job);
        continue;
      }
      this.stepsOf.set(job, steps);
      this.unsettled += 1;
      if (job.action.kind === 'resume') {
        this.d.slots.take(job.provider, { force: true, lane: job.lane });
        job.holdsSlot = true;
        job.deadlineAt = now + steps.d.timeoutMs;
        steps.d.emit({ event: 'submitted', id: job.id, provider: job.provider, job_id: job.state.job_id ?? '', resumed: true });
        this.poller.schedule(job, now);
      } else {
        this.queue.push(job);
      }
    }
  }

  /** Runs every render added to a final state (or until stop()); resolves when nothing is under way. */
  run(): Promise<void> {
    if (this.running) throw new Error('internal: the schedule is already running');
    this.running = true;
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.checkDone();
    this.pump();
    return done;
  }

  /**
   * Stops submitting for the rest of this run (a full disk, a budget): jobs already sent are still
   * polled and downloaded, renders not sent stay pending for the next run, which submits each
   * once. Says why once (the first reason), as a warning of the manifest it came from.
   */
  haltSubmits(reason: string, from: StepContext): void {
    if (this.submitsHalted !== undefined) return;
    this.submitsHalted = reason;
    this.cancelPumpTimer?.();
    this.cancelPumpTimer = undefined;
    this.pumpTimerAt = Infinity;
    const left = this.queue.drain();
    from.d.emit({ event: 'warning', message: `stopped submitting: ${reason}; ${left.length} render${left.length === 1 ? '' : 's'} not sent, left for the next run` });
    for (const job of left) this.leaveUnsent(job);
    this.checkDone();
  }

  leaveUnsent(job: Job): void {
    this.releaseSlot(job);
    this.steps(job).markUnsent(job);
    this.settled(job);
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

  /** A render reached its final state for this run: its slot (if still held) goes to the next. */
  settled(job: Job): void {
    this.poller.cancel(job);
    this.stepsOf.delete(job);
    if (job.holdsSlot) {
      this.releaseSlot(job);
      this.pump();
    }
    this.unsettled -= 1;
    this.checkDone();
  }

  releaseSlot(job: Job): void {
    if (!job.holdsSlot) return;
    job.holdsSlot = false;
    this.d.slots.release(job.provider, job.lane);
  }

  handOverSlot(job: Job): void {
    this.releaseSlot(job);
    this.pump();
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
    const steps = this.steps(job);
    this.track(this.guard(job, this.downloads(() => downloadStep(steps, job, url, steps.save))));
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
    if (!this.running) return;
    const onlyUnsent = this.submitsHalted !== undefined && this.unsettled === this.queue.size && this.inProgress.size === 0;
    if (this.unsettled === 0 || (this.stopped && this.inProgress.size === 0) || onlyUnsent) {
      this.cancelSubmitGrace?.();
      this.poller.stop();
      this.resolveDone?.();
    }
  }

  /** Starts every submit the limits and gates allow now; arms one timer for the next gate. */
  private pump(): void {
    if (!this.running || this.stopped || this.submitsHalted !== undefined) return;
    for (;;) {
      const pick = this.queue.next(this.now(), (head) => this.d.slots.canTake(head.provider, head.lane), (p) => this.d.gates.submitReadyAt(p));
      if (pick.job) {
        const job = pick.job;
        const verdict = this.d.budget?.beforeSubmit(job) ?? 'go';
        if (verdict === 'wait') return; // a slot freed later pumps again
        if (verdict !== 'go') return this.haltSubmits(verdict.halt, this.steps(job));
        this.queue.take(job);
        this.d.slots.take(job.provider, { lane: job.lane });
        // The POST's place in the provider's pacing window is taken now, before anything awaits,
        // so the submits started in this same loop see it.
        this.d.gates.noteSubmit(job.provider);
        job.holdsSlot = true;
        this.track(this.guard(job, submitStep(this.steps(job), job)));
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

  /** A bug in a step must not leave a render hanging: record it as failed. */
  private async guard(job: Job, step: Promise<void>): Promise<void> {
    const steps = this.steps(job);
    try {
      await step;
    } catch (err) {
      if (job.finalStatus === undefined) steps.settle(job, 'failed', errorInfo(err, `internal error: ${(err as Error).message}`));
    }
  }
}
