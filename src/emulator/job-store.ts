/**
 * Jobs and their life: a job's state is a pure function of the wall clock (queued, then
 * running, then terminal), so there are no timers to leak, a status read always sees the truth,
 * and a job restored from a state file is exactly as old as it would have been. Also counts
 * jobs in flight (accept → terminal state) per provider, and their peak, and forgets jobs on
 * request, as a provider that lost them would.
 */
import { randomBytes } from 'node:crypto';
import { MinHeap } from '../core/min-heap.js';
import type { ProviderName } from '../core/catalog.js';
import { seededDraws } from '../media/seeded-draws.js';
import type { ForgetFilter } from './types.js';

/** The picture a succeeded job delivers. */
export interface VideoSpec {
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** Drives the picture; derived from the request (the seed sent, or the params). */
  seed: string;
  /** Model and canonical params, mixed into the picture. */
  label: string;
}

/** What a provider handler asks the store to create after validating a create request. */
export interface JobRequest {
  model: string;
  prompt: string;
  /** The seed the job runs with (sent, or drawn by the "service"); null for models without one. */
  seed: number | null;
  video: VideoSpec;
  /** Credits billed, for providers that report them. */
  credits?: number;
  /** Set when the request is accepted but the "generation" will fail (e.g. an unreadable input). */
  failReason?: string | undefined;
}

export interface Job extends JobRequest {
  provider: ProviderName;
  id: string;
  createdAt: Date;
  /** When it was accepted, in epoch milliseconds (the store's clock). */
  startMs: number;
  queuedMs: number;
  durationMs: number;
  /** Set when the job is to fail at its end. */
  failReason: string | undefined;
  /** Opaque part of the job's result URL. */
  mediaToken: string;
  /** Bumped when the result URL "expired", so the next status read hands out a new one. */
  urlVersion: number;
  urlExpired: boolean;
  /** Set when the client cancelled the job (emulator clock, ms); its state is then `cancelled`. */
  cancelledAtMs?: number;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobView {
  state: JobState;
  /** 0..1 through the running phase. */
  progress: number;
  /** Whole seconds to the terminal state. */
  etaSeconds: number;
  completedAt: Date | undefined;
}

export interface JobTiming {
  durationMs: number | { min: number; max: number };
  queuedFraction: number;
  /** Seeds the draws of a duration range, so the n-th job created always draws the same; unset: Math.random. */
  durationSeed?: number | undefined;
}

/** Where accepted and forgotten jobs are written as they happen (a state file), if anywhere. */
export interface JobSink {
  created(job: Job): void;
  forgot(ids: readonly string[]): void;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly byToken = new Map<string, Job>();
  private readonly peak: Record<ProviderName | 'total', number> = { aimlapi: 0, krea: 0, novita: 0, total: 0 };
  // Every request logs the count in flight: counting all jobs each time made a 10,000-job run
  // quadratic. Counts go up at accept; jobs still counted wait here by end time, and those whose
  // end has passed are taken off lazily, just before a count is read.
  private readonly counted: Record<ProviderName | 'total', number> = { aimlapi: 0, krea: 0, novita: 0, total: 0 };
  private readonly ending = new MinHeap<Job>();
  /** The jobs counted now; one forgotten while in flight leaves it at once, `ending` lazily. */
  private readonly unfinished = new Set<Job>();
  private readonly draw: () => number;

  constructor(
    private readonly timing: JobTiming,
    private readonly now: () => number = Date.now,
    private readonly sink?: JobSink,
  ) {
    this.draw = timing.durationSeed === undefined ? Math.random : seededDraws(timing.durationSeed);
  }

  create(provider: ProviderName, id: string, request: JobRequest, failReason: string | undefined): Job {
    const durationMs = this.drawDuration();
    const startMs = this.now();
    const job: Job = {
      ...request,
      provider,
      id,
      createdAt: new Date(startMs),
      startMs,
      durationMs,
      queuedMs: Math.round(durationMs * this.timing.queuedFraction),
      failReason: request.failReason ?? failReason,
      mediaToken: randomBytes(12).toString('hex'),
      urlVersion: 1,
      urlExpired: false,
    };
    // Written first: a job the sink could not keep is not created (the create answers 500).
    this.sink?.created(job);
    this.add(job);
    return job;
  }

  /** Puts back a job read from a state file, as it is now by the clock; nothing is written. */
  restore(job: Job): void {
    this.add(job);
  }

  /**
   * Forgets the jobs matching `filter` (every job without one): from now on their ids and result
   * URLs are unknown, as at a provider that lost them. Returns the ids forgotten.
   */
  forget(filter: ForgetFilter = {}): string[] {
    const candidates = filter.ids ? [...new Set(filter.ids)].flatMap((id) => this.jobs.get(id) ?? []) : [...this.jobs.values()];
    const gone = candidates.filter((j) => filter.provider === undefined || j.provider === filter.provider);
    if (gone.length === 0) return [];
    this.sink?.forgot(gone.map((j) => j.id));
    for (const job of gone) {
      this.jobs.delete(job.id);
      this.byToken.delete(job.mediaToken);
      if (this.unfinished.delete(job)) {
        this.counted[job.provider] -= 1;
        this.counted.total -= 1;
      }
    }
    return gone.map((j) => j.id);
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  byMediaToken(token: string): Job | undefined {
    return this.byToken.get(token);
  }

  view(job: Job): JobView {
    if (job.cancelledAtMs !== undefined) {
      return { state: 'cancelled', progress: 0, etaSeconds: 0, completedAt: new Date(job.createdAt.getTime() + job.cancelledAtMs - job.startMs) };
    }
    const elapsed = this.now() - job.startMs;
    const remaining = Math.max(0, job.durationMs - elapsed);
    const etaSeconds = Math.ceil(remaining / 1000);
    if (elapsed < job.queuedMs) return { state: 'queued', progress: 0, etaSeconds, completedAt: undefined };
    if (elapsed < job.durationMs) {
      const runMs = Math.max(1, job.durationMs - job.queuedMs);
      return { state: 'running', progress: (elapsed - job.queuedMs) / runMs, etaSeconds, completedAt: undefined };
    }
    const completedAt = new Date(job.createdAt.getTime() + job.durationMs);
    return { state: job.failReason === undefined ? 'succeeded' : 'failed', progress: 1, etaSeconds: 0, completedAt };
  }

  /** Cancels a queued or running job: it is terminal from now on. Returns false for a finished one. */
  cancel(job: Job): boolean {
    const state = this.view(job).state;
    if (state !== 'queued' && state !== 'running') return false;
    job.cancelledAtMs = this.now();
    // No longer in flight; the heap entry is skipped when its end time comes.
    if (this.unfinished.delete(job)) {
      this.counted[job.provider] -= 1;
      this.counted.total -= 1;
    }
    return true;
  }

  /** Jobs accepted and not yet terminal, at one provider or at all. */
  inFlight(provider?: ProviderName): number {
    const t = this.now();
    // The same test as view()'s, so a job counts exactly while a status read calls it unfinished.
    for (let top = this.ending.peek(); top && t - top.value.startMs >= top.value.durationMs; top = this.ending.peek()) {
      this.ending.pop();
      if (!this.unfinished.delete(top.value)) continue;
      this.counted[top.value.provider] -= 1;
      this.counted.total -= 1;
    }
    return this.counted[provider ?? 'total'];
  }

  peakInFlight(): Record<ProviderName | 'total', number> {
    return { ...this.peak };
  }

  private add(job: Job): void {
    this.jobs.set(job.id, job);
    this.byToken.set(job.mediaToken, job);
    this.unfinished.add(job);
    this.counted[job.provider] += 1;
    this.counted.total += 1;
    this.ending.push({ at: job.startMs + job.durationMs, value: job });
    // In-flight counts only rise here, so the peak is exact when sampled at each accept.
    this.peak[job.provider] = Math.max(this.peak[job.provider], this.inFlight(job.provider));
    this.peak.total = Math.max(this.peak.total, this.inFlight());
  }

  private drawDuration(): number {
    const d = this.timing.durationMs;
    if (typeof d === 'number') return Math.max(0, d);
    return Math.max(0, Math.round(d.min + this.draw() * Math.max(0, d.max - d.min)));
  }
}
