/**
 * The steps a render goes through — submit, poll, download, settle — and the pump that starts
 * submits whenever a slot and the provider's gate allow. Every step that commits money or
 * learns something durable is journaled (fsync) before the next one is taken.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import type { Dispatcher } from 'undici';
import type { ProviderName } from '../core/catalog.js';
import type { JobStatus } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import type { RunLayout } from '../store/layout.js';
import type { TakeFacts, TakeStore } from '../store/take-store.js';
import type { RenderErrorInfo } from '../core/records.js';
import { TRANSFER_LIMITS } from '../providers/transfer-limits.js';
import { sleep, type Clock } from './clock.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import type { DownloadLimits } from './download.js';
import { downloadOutcome } from './download-outcome.js';
import type { EventInit } from './events.js';
import { fetchVideo } from './fetch-video.js';
import type { JournalEntry, JournalPhase, JournalState } from '../store/journal.js';
import { INDETERMINATE_HINT, Job, type FinalStatus } from './job.js';
import type { Poller } from './poller.js';
import { wireTextOf } from './prepare.js';
import type { ProviderGates } from './provider-gates.js';
import { decideRead, decideSubmit, isJobNotFound } from './retry-policy.js';
import { mayMove } from '../core/lifecycle.js';
import { takeCost } from '../core/prices.js';
import { PROVIDER_DEFAULTS } from '../providers/config.js';
import type { SendFn } from './run-batch.js';
import type { Slots } from './slots.js';
import { SubmitQueue } from './submit-queue.js';
import type { SubmitVerdict } from './budget.js';

export interface JobStepsDeps {
  clock: Clock;
  random: () => number;
  slots: Slots;
  gates: ProviderGates;
  journal: { append(entry: JournalEntry): Promise<void> };
  send: SendFn;
  dispatcher: Dispatcher;
  layout: RunLayout;
  /** Where every downloaded video is kept (the current one is linked to `<id>.mp4`). */
  takes: TakeStore;
  /** What the previous run knew of a render's current video, to keep it as a take when replaced. */
  previousTake: (id: string) => TakeFacts | undefined;
  pollIntervalMs: number | undefined;
  timeoutMs: number;
  emit: (e: EventInit) => void;
  /** Something a record shows changed (manifest.json should be rewritten soon). */
  changed: () => void;
  /** Limits of each download attempt (`--max-video-size` among them); TRANSFER_LIMITS by default. */
  downloadLimits?: Partial<DownloadLimits> | undefined;
  /** After stop(), how long a submit already sent may wait for its answer. */
  submitGraceMs?: number | undefined;
  /** Asked before each submit whether the providers' budgets allow it (engine/budget.ts). */
  budget?: { beforeSubmit(job: Job): SubmitVerdict } | undefined;
}

function errorInfo(err: unknown, message?: string): RenderErrorInfo {
  const info: RenderErrorInfo = { message: message ?? (err instanceof Error ? err.message : String(err)) };
  if (err instanceof ProviderError) {
    info.code = err.code;
    if (err.httpStatus !== undefined) info.http_status = err.httpStatus;
    if (err.requestId !== undefined) info.request_id = err.requestId;
  }
  return info;
}

/** The journal could not take a line (the disk, not a bug in a step): submits stop. */
class JournalUnwritable extends Error {}

export class JobSteps {
  private poller: Poller<Job> | undefined;
  private readonly queue = new SubmitQueue<Job>();
  private readonly inProgress = new Set<Promise<unknown>>();
  private readonly downloads = pLimit(ENGINE_DEFAULTS.downloadConcurrency);
  /** Aborts status reads and downloads at once on stop(). */
  private readonly readAbort = new AbortController();
  /** Aborts submits still waiting for their answer, a short grace after stop(). */
  private readonly submitAbort = new AbortController();
  private cancelSubmitGrace: (() => void) | undefined;
  private cancelPumpTimer: (() => void) | undefined;
  private pumpTimerAt = Infinity;
  private unsettled = 0;
  private resolveDone: (() => void) | undefined;
  stopped = false;
  /** Why submits stopped for good in this run (the disk cannot take the journal or a video, say). */
  submitsHalted: string | undefined;

  constructor(private readonly d: JobStepsDeps) {}

  attachPoller(poller: Poller<Job>): void {
    this.poller = poller;
  }

  /** Runs every job to a final state (or until stop()); resolves when nothing is under way. */
  runAll(jobs: Job[]): Promise<void> {
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    const now = this.d.clock.now();
    for (const job of jobs) {
      if (job.finalStatus !== undefined) {
        if (job.finalStatus === 'skipped') {
          const reason = job.action.kind === 'restore' ? 'an earlier take of this exact request is current again; nothing submitted' : 'already rendered with the same request; file intact';
          this.d.emit({ event: 'skipped', id: job.id, reason });
        }
        if (job.finalStatus === 'indeterminate') this.emitFailure(job);
        continue;
      }
      this.unsettled += 1;
      if (job.action.kind === 'resume') {
        // Already paid for: hold a slot even past the limit, and read its status at once.
        this.d.slots.take(job.provider, { force: true });
        job.holdsSlot = true;
        job.deadlineAt = now + this.d.timeoutMs;
        this.d.emit({ event: 'submitted', id: job.id, provider: job.provider, job_id: job.state.job_id ?? '', resumed: true });
        this.poller?.schedule(job, now);
      } else {
        this.queue.push(job);
      }
    }
    this.checkDone();
    this.pump();
    return done;
  }

  /**
   * Stops submitting for the rest of this run, for `reason` (kept: the first one): nothing is
   * sent after this (a full disk: a new paid job would have nowhere to go), jobs already sent are
   * still polled and downloaded, and every render not sent stays pending, so the same command
   * run again submits each of them once. Says why once, as a warning; the run then exits 1.
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

  /** A render that will not be sent in this run: pending, unsettled, nothing recorded as tried. */
  private leaveUnsent(job: Job): void {
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
    this.poller?.stop();
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
      this.resolveDone?.();
    }
  }

  private now(): number {
    return this.d.clock.now();
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private async record(job: Job, phase: JournalPhase, fields: Partial<JournalState> = {}): Promise<void> {
    if (!mayMove(job.state.phase, phase)) throw new Error(`internal: a render cannot go from ${job.state.phase} to ${phase}`);
    Object.assign(job.state, fields, { phase });
    job.touch();
    try {
      await this.d.journal.append({ ...fields, phase, id: job.id, request_sha256: job.state.request_sha256, at: this.iso() });
    } catch (err) {
      throw new JournalUnwritable(err instanceof Error ? err.message : String(err), { cause: err });
    }
  }

  /**
   * Journals a step the run goes on from whether or not the line reaches the disk (the state is
   * already in memory and in manifest.json). A failed write is said, not swallowed: until it is
   * repaired, a crash would lose what this line recorded, a job id among them.
   */
  private recordOrWarn(job: Job, phase: JournalPhase, fields: Partial<JournalState> = {}): Promise<void> {
    return this.record(job, phase, fields).catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      this.d.emit({ event: 'warning', id: job.id, message: `cannot write the journal (${phase}): ${reason}` });
      // Until the journal can be written again, a new submit could not be kept track of.
      if (err instanceof JournalUnwritable) this.haltSubmits(reason);
    });
  }

  private setStatus(job: Job, status: Job['status'], providerStatus?: string, progress?: number): void {
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
        this.track(this.guard(pick.job, this.submit(pick.job)));
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
    try {
      await step;
    } catch (err) {
      if (job.finalStatus === undefined) this.settle(job, 'failed', errorInfo(err, `internal error: ${(err as Error).message}`));
    }
  }

  private async submit(job: Job): Promise<void> {
    const attempt = job.state.attempts + 1;
    const p = job.provider;
    const before = { ...job.state };
    this.setStatus(job, 'submitting');
    try {
      await this.record(job, 'submitting', { attempts: attempt, seed: job.prepared.spec.seed, submitted_at: this.iso(), job_id: null });
    } catch (err) {
      if (!(err instanceof JournalUnwritable)) throw err;
      // Without the journal line a crash could lose track of a paid job: send neither this
      // render nor any after it. It stays as it was, so a later run submits it once.
      job.state = before;
      job.touch();
      this.haltSubmits(err.message);
      this.leaveUnsent(job);
      return;
    }
    if (this.submitsHalted !== undefined) {
      // Halted while this line was being written (another line failed): do not send it either.
      await this.recordOrWarn(job, 'not_created', { error: { message: `not sent: ${this.submitsHalted}` } });
      this.leaveUnsent(job);
      return;
    }
    let accepted;
    try {
      const wire = await wireTextOf(job.prepared);
      accepted = job.adapter.parseSubmit(await this.d.send(p, 'submit', job.prepared.request, wire, { signal: this.submitAbort.signal }));
    } catch (err) {
      await this.submitFailed(job, err, attempt);
      return;
    }
    job.deadlineAt = this.now() + this.d.timeoutMs;
    await this.recordOrWarn(job, 'submitted', { job_id: accepted.jobId, provider_metadata: metadataOf(accepted.metadata) });
    this.d.emit({ event: 'submitted', id: job.id, provider: p, job_id: accepted.jobId, resumed: false });
    this.handleStatus(job, accepted.status);
  }

  private async submitFailed(job: Job, err: unknown, attempt: number): Promise<void> {
    const decision = decideSubmit(err, attempt, this.d.random());
    const now = this.now();
    if (decision.action === 'retry') {
      await this.recordOrWarn(job, 'not_created', { error: errorInfo(err) });
      if (decision.retryAfterMs !== undefined) this.d.gates.blockUntil(job.provider, now + decision.retryAfterMs);
      this.d.gates.blockSubmitsUntil(job.provider, now + decision.delayMs);
      this.d.emit({ event: 'retry', id: job.id, operation: 'submit', attempt, delay_ms: decision.delayMs, reason: decision.retryAfterMs === undefined ? errorInfo(err).message : `${errorInfo(err).message} (Retry-After)` });
      job.notBefore = now + decision.delayMs;
      this.releaseSlot(job);
      this.setStatus(job, 'pending');
      if (this.submitsHalted !== undefined) return this.leaveUnsent(job);
      this.queue.pushFront(job);
      this.pump();
      return;
    }
    if (decision.action === 'indeterminate') {
      await this.recordOrWarn(job, 'indeterminate', { error: errorInfo(err) });
      this.settle(job, 'indeterminate', { ...errorInfo(err), message: `${decision.reason}; ${INDETERMINATE_HINT}`, code: 'E_INDETERMINATE' });
      return;
    }
    await this.recordOrWarn(job, 'not_created', { error: errorInfo(err) });
    this.settle(job, 'failed', errorInfo(err, decision.reason));
  }

  /** The poller says this job is due for a status read. */
  pollDue(job: Job): void {
    this.track(this.guard(job, this.poll(job)));
  }

  private async poll(job: Job): Promise<void> {
    if (this.stopped || job.finalStatus !== undefined) return;
    const now = this.now();
    if (now >= job.deadlineAt) return this.timeOut(job);
    const readyAt = this.d.gates.readyAt(job.provider);
    if (readyAt > now) return void this.poller?.schedule(job, readyAt);
    let status: JobStatus;
    try {
      status = await this.readStatus(job);
    } catch (err) {
      if (this.stopped) return;
      if (isJobNotFound(err)) return this.lose(job, err as ProviderError);
      job.statusFailures += 1;
      const decision = decideRead(err, 'status', job.statusFailures, this.d.random());
      // The read was cut by the render's own deadline: that is the end of it, not a retry.
      if (this.now() >= job.deadlineAt) return this.timeOut(job);
      if (decision.action === 'fail') {
        // The job exists and may still finish: the journal keeps its id, so a rerun resumes it.
        this.settle(job, 'failed', errorInfo(err, `cannot read the job's status: ${decision.reason}; run render again to resume it`));
        return;
      }
      if (decision.retryAfterMs !== undefined) this.d.gates.blockUntil(job.provider, this.now() + decision.retryAfterMs);
      this.d.emit({ event: 'retry', id: job.id, operation: 'status', attempt: job.statusFailures, delay_ms: decision.delayMs, reason: errorInfo(err).message });
      this.poller?.schedule(job, Math.min(this.now() + decision.delayMs, Math.max(job.deadlineAt, this.now())));
      return;
    }
    job.statusFailures = 0;
    if (!this.stopped) this.handleStatus(job, status);
  }

  private async readStatus(job: Job): Promise<JobStatus> {
    const jobId = job.state.job_id;
    if (jobId === null) throw new Error('internal: status read without a job id');
    const req = job.adapter.statusRequest(jobId, job.prepared.spec.model);
    // Bounded by the render's deadline too, and abandoned at once on Ctrl-C.
    const options = { signal: this.readAbort.signal, deadlineMs: Math.max(0, job.deadlineAt - this.now()) };
    return job.adapter.parseStatus(await this.d.send(job.provider, 'status', req, undefined, options));
  }

  private handleStatus(job: Job, status: JobStatus): void {
    job.providerStatus = status.providerStatus;
    switch (status.state) {
      case 'succeeded':
        void this.recordOrWarn(job, 'succeeded', { completed_at: this.iso(), provider_metadata: { ...job.state.provider_metadata, ...metadataOf(status.metadata) } });
        this.releaseSlot(job);
        this.pump();
        this.track(this.guard(job, this.download(job, status.videoUrl)));
        return;
      case 'failed':
        void this.recordOrWarn(job, 'failed', { completed_at: this.iso(), error: { message: status.reason }, provider_metadata: { ...job.state.provider_metadata, ...metadataOf(status.metadata) } });
        this.settle(job, 'failed', { message: status.reason, code: 'E_JOB_FAILED' });
        return;
      case 'running':
        if (!job.state.started_at) void this.recordOrWarn(job, 'started', { started_at: this.iso() });
        this.setStatus(job, 'running', status.providerStatus, status.progress);
        break;
      case 'queued':
        this.setStatus(job, 'queued', status.providerStatus);
        break;
      default:
        if (!job.warnedUnknown) {
          job.warnedUnknown = true;
          this.d.emit({ event: 'warning', id: job.id, message: `${job.provider} reported an unknown status "${status.providerStatus}"; still polling` });
        }
    }
    if (!this.stopped) this.poller?.schedule(job, this.nextPollAt(job, status));
  }

  private nextPollAt(job: Job, status: JobStatus): number {
    const base = this.d.pollIntervalMs ?? job.adapter.defaultPollIntervalMs;
    const hint = job.adapter.pollHintMs?.(status);
    // Far from done by the provider's own estimate: read less often. Estimates come in whole
    // seconds and run late or early, so aim at half of it less a second, and read at the
    // normal pace once near the end; never past the deadline.
    const delay = hint === undefined ? base : Math.max(base, Math.min(hint / 2 - 1000, ENGINE_DEFAULTS.pollHintCapMs));
    return Math.min(this.now() + delay, job.deadlineAt);
  }

  /**
   * --timeout stops waiting; it does not abandon the job, which is still rendering (and billed)
   * at the provider. Its id stays in the journal and the next run polls it again.
   */
  private timeOut(job: Job): void {
    const seconds = Math.round(this.d.timeoutMs / 1000);
    const error = {
      message: `not finished within ${seconds} s (--timeout); last provider status "${job.providerStatus ?? 'none'}". The job is still at the provider: the next run polls it again instead of submitting`,
      code: 'E_TIMEOUT',
    };
    void this.recordOrWarn(job, 'timed_out', { error });
    this.settle(job, 'timed_out', error);
  }

  /**
   * A status read of our own job answered "not found": the provider forgot it (or it belongs to
   * another account's key). Nothing more can come of it; the next run submits a new job.
   */
  private lose(job: Job, err: ProviderError): void {
    const keyVariable = PROVIDER_DEFAULTS[job.provider].keyVariable;
    const error: RenderErrorInfo = {
      ...errorInfo(err),
      message:
        `${PROVIDER_DEFAULTS[job.provider].label} no longer knows job ${job.state.job_id ?? '?'} (${err.message}); ` +
        `if ${keyVariable} changed since it was submitted, the job may belong to the other key's account. ` +
        'The next run submits this render again (a new paid job)',
      code: 'E_JOB_LOST',
    };
    void this.recordOrWarn(job, 'lost', { error });
    this.settle(job, 'lost', error);
  }

  private async download(job: Job, url: string): Promise<void> {
    this.setStatus(job, 'downloading');
    const file = this.d.layout.videoFile(job.id);
    const { request_sha256: sha, job_id: jobId, seed } = job.state;
    const into = this.d.takes.pathFor(job.id, sha, jobId);
    try {
      // A take of this very job already kept (a crash came before the journal said so): no refetch.
      const kept = await this.d.takes.intactTake(job.id, sha, jobId);
      if (!kept) await mkdir(dirname(into.abs), { recursive: true });
      const got = kept ?? await this.downloads(() =>
        fetchVideo({
          provider: job.provider,
          url,
          target: into.abs,
          dispatcher: this.d.dispatcher,
          signal: this.readAbort.signal,
          deadlineAt: job.deadlineAt,
          limits: this.d.downloadLimits,
          clock: this.d.clock,
          random: this.d.random,
          freshUrl: () => this.freshUrl(job),
          onRetry: (attempt, delayMs, reason) =>
            this.d.emit({ event: 'retry', id: job.id, operation: 'download', attempt, delay_ms: delayMs, reason }),
        }),
      );
      const downloadedAt = this.iso();
      const take = kept ?? (await this.d.takes.add(job.id, into.file, { request_sha256: sha, seed, job_id: jobId, sha256: got.sha256, bytes: got.bytes, video: got.video, downloaded_at: downloadedAt, ...takeCost(job.prepared.spec.model, job.prepared.spec.params, job.state.provider_metadata.credits_used) }));
      await this.d.takes.makeCurrent(job.id, take, this.d.previousTake(job.id));
      // The file is in place: a line that cannot be written is said (and stops submits), and
      // manifest.json still records the file, so a rerun finds it done.
      await this.recordOrWarn(job, 'downloaded', { file, sha256: got.sha256, bytes: got.bytes, video: got.video, downloaded_at: take.downloaded_at ?? downloadedAt });
      this.d.emit({ event: 'downloaded', id: job.id, file, sha256: got.sha256, bytes: got.bytes, video: got.video });
      this.settle(job, 'succeeded', null);
    } catch (err) {
      if (this.stopped) return; // Ctrl-C: the journal says "succeeded, not downloaded"; a rerun fetches it.
      // The job is paid and done: keep the journal at 'succeeded' so a rerun downloads it again.
      const known = downloadOutcome(err, this.d.timeoutMs);
      if (known) {
        this.settle(job, known.status, known.error);
        if (known.haltSubmits !== undefined) this.haltSubmits(known.haltSubmits);
        return;
      }
      this.settle(job, 'failed', errorInfo(err, `download failed: ${(err as Error).message}; the job succeeded, run render again to download it`));
    }
  }

  /** One fresh status read (with a few retries) for a new result URL after the old one expired. */
  private async freshUrl(job: Job): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      const wait = this.d.gates.readyAt(job.provider) - this.now();
      if (wait > 0) await sleep(this.d.clock, wait, this.readAbort.signal);
      try {
        const status = await this.readStatus(job);
        if (status.state === 'succeeded') return status.videoUrl;
        throw new Error(`the job is "${status.providerStatus}" now, not finished`);
      } catch (err) {
        const decision = decideRead(err, 'status', attempt, this.d.random());
        if (decision.action === 'fail' || attempt >= ENGINE_DEFAULTS.freshUrlAttempts || this.stopped) throw err;
        if (decision.retryAfterMs !== undefined) this.d.gates.blockUntil(job.provider, this.now() + decision.retryAfterMs);
        await sleep(this.d.clock, decision.delayMs, this.readAbort.signal);
      }
    }
  }

  private releaseSlot(job: Job): void {
    if (!job.holdsSlot) return;
    job.holdsSlot = false;
    this.d.slots.release(job.provider);
  }

  private emitFailure(job: Job): void {
    const status = job.finalStatus;
    if (status !== 'failed' && status !== 'timed_out' && status !== 'indeterminate') return;
    this.d.emit({ event: 'failed', id: job.id, status, error: job.error?.message ?? status, job_id: job.state.job_id });
  }

  private settle(job: Job, status: Exclude<FinalStatus, 'skipped'>, error: RenderErrorInfo | null): void {
    if (job.finalStatus !== undefined) return;
    this.poller?.cancel(job);
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

function metadataOf(m: import('../providers/types.js').ProviderMetadata): JournalState['provider_metadata'] {
  const out: JournalState['provider_metadata'] = {};
  if (m.creditsUsed !== undefined) out.credits_used = m.creditsUsed;
  if (m.usdSpent !== undefined) out.usd_spent = m.usdSpent;
  if (m.returnedSeed !== undefined) out.returned_seed = m.returnedSeed;
  if (m.urlTtlSeconds !== undefined) out.url_ttl_s = m.urlTtlSeconds;
  if (m.requestId !== undefined) out.request_id = m.requestId;
  return out;
}
