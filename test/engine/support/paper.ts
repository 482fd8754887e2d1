/**
 * The engine on paper: JobSteps driven by a fake clock, a provider that lives in memory and
 * answers from that clock, an in-memory journal and a video saver that writes nothing. No
 * sockets, no files, no sleeping: `run()` fires timers in order and lets every promise settle
 * between them, so what happened at which millisecond is exact and repeatable.
 */
import type { ProviderName } from '../../../src/core/catalog.js';
import { MinHeap } from '../../../src/core/min-heap.js';
import type { Clock } from '../../../src/engine/clock.js';
import type { SaveVideo } from '../../../src/engine/download-step.js';
import type { EngineEvent, EventInit } from '../../../src/engine/events.js';
import { Job } from '../../../src/engine/job.js';
import { JobSteps } from '../../../src/engine/job-steps.js';
import { prepareRender } from '../../../src/engine/prepare.js';
import type { ReadSchedule } from '../../../src/engine/read-schedule.js';
import { ProviderGates } from '../../../src/engine/provider-gates.js';
import { Schedule } from '../../../src/engine/schedule.js';
import { Slots } from '../../../src/engine/slots.js';
import type { RenderSpec } from '../../../src/manifest/types.js';
import { ProviderError, type JobStatus, type Operation, type ProviderAdapter, type ProviderRequest, type ProviderResponse } from '../../../src/providers/types.js';
import type { JournalEntry } from '../../../src/store/journal.js';
import { runLayout } from '../../../src/store/layout.js';
import type { TakeStore } from '../../../src/store/take-store.js';

/** Timers in a heap; time moves only when the engine has nothing left to do but wait. */
export class FakeClock implements Clock {
  private at: number;
  private seq = 0;
  private readonly timers = new MinHeap<{ id: number; fn: () => void }>();
  private readonly cancelled = new Set<number>();

  constructor(start = Date.UTC(2026, 11, 1, 9, 0, 0)) {
    this.at = start;
  }

  now(): number {
    return this.at;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const id = ++this.seq;
    this.timers.push({ at: this.at + Math.max(0, ms), value: { id, fn } });
    return () => this.cancelled.add(id);
  }

  /** Lets every pending promise settle (nothing here waits on real I/O). */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Runs timers in order until `until` resolves; throws if time runs past `limitMs` of fake time. */
  async run<T>(until: Promise<T>, limitMs = 24 * 3600_000): Promise<T> {
    let done = false;
    let value: T | undefined;
    void until.then((v) => {
      done = true;
      value = v;
    });
    const start = this.at;
    for (;;) {
      await this.settle();
      if (done) return value as T;
      const next = this.timers.pop();
      if (!next) throw new Error('the engine is waiting on nothing: it would hang');
      if (this.cancelled.delete(next.value.id)) continue;
      if (next.at - start > limitMs) throw new Error(`still running after ${limitMs} ms of fake time`);
      this.at = Math.max(this.at, next.at);
      next.value.fn();
    }
  }
}

/** One request the fake provider received, at fake time `at` (ms since the run began). */
export interface PaperRequest {
  at: number;
  operation: Operation;
  jobId?: string;
  prompt?: string;
  status: number;
}

interface FakeJob {
  id: string;
  doneAt: number;
  runningAt: number;
  fail?: string;
}

/** A provider in memory: jobs queued, then running, then done, on the fake clock. */
export class PaperProvider {
  readonly log: PaperRequest[] = [];
  private readonly jobs = new Map<string, FakeJob>();
  private next = 1;
  /** Errors the next submits throw (before or after the job was created), in order. */
  readonly submitFaults: Array<{ error: ProviderError; created: boolean }> = [];
  /** Errors the next status reads throw, in order. */
  readonly statusFaults: ProviderError[] = [];

  constructor(
    private readonly clock: FakeClock,
    private readonly t0: number,
    private readonly jobMs: (prompt: string) => number = () => 3000,
    private readonly failWhen: (prompt: string) => string | undefined = () => undefined,
  ) {}

  /** Forgets every job (the provider lost them). */
  forgetAll(): void {
    this.jobs.clear();
  }

  send = async (_provider: ProviderName, operation: Operation, req: ProviderRequest): Promise<ProviderResponse> => {
    const at = this.clock.now() - this.t0;
    if (operation === 'submit') {
      const body = req.body as { prompt: string };
      const fault = this.submitFaults.shift();
      if (fault && !fault.created) {
        this.log.push({ at, operation, prompt: body.prompt, status: fault.error.httpStatus ?? 0 });
        throw fault.error;
      }
      const id = `job-${this.next++}`;
      const ms = this.jobMs(body.prompt);
      const job: FakeJob = { id, doneAt: this.clock.now() + ms, runningAt: this.clock.now() + ms * 0.3 };
      const fail = this.failWhen(body.prompt);
      if (fail !== undefined) job.fail = fail;
      this.jobs.set(id, job);
      this.log.push({ at, operation, jobId: id, prompt: body.prompt, status: fault ? 0 : 200 });
      if (fault) throw fault.error;
      return json({ id, status: 'queued' });
    }
    const id = req.path.split('/').pop() ?? '';
    const fault = this.statusFaults.shift();
    if (fault) {
      this.log.push({ at, operation, jobId: id, status: fault.httpStatus ?? 0 });
      throw fault;
    }
    const job = this.jobs.get(id);
    if (!job) {
      this.log.push({ at, operation, jobId: id, status: 404 });
      throw providerError('status', 404, 'job not found');
    }
    this.log.push({ at, operation, jobId: id, status: 200 });
    const now = this.clock.now();
    const state = now >= job.doneAt ? (job.fail ? 'failed' : 'succeeded') : now >= job.runningAt ? 'running' : 'queued';
    return json({ id, status: state, reason: job.fail, url: `https://media.invalid/${id}.mp4` });
  };
}

function json(value: unknown): ProviderResponse {
  return { status: 200, headers: {}, bodyText: JSON.stringify(value) };
}

export function providerError(operation: Operation, status: number | undefined, message: string, o: { certainlyNotCreated?: boolean; retryAfterMs?: number } = {}): ProviderError {
  return new ProviderError({
    code: status === undefined ? 'E_PROVIDER_TRANSPORT' : 'E_PROVIDER_HTTP',
    provider: 'aimlapi',
    operation,
    httpStatus: status,
    providerMessage: message,
    requestId: undefined,
    retryable: status === undefined || status === 429 || status >= 500,
    certainlyNotCreated: o.certainlyNotCreated ?? (operation === 'submit' && (status === 429 || status === 503)),
    retryAfterMs: o.retryAfterMs,
  });
}

/** An adapter for the paper provider's plain JSON. */
export const paperAdapter: ProviderAdapter = {
  provider: 'aimlapi',
  defaultPollIntervalMs: 1000,
  submitRequest: (r: RenderSpec) => ({ method: 'POST', path: '/jobs', body: { prompt: r.prompt, seed: r.seed } }),
  parseSubmit: (res) => {
    const b = JSON.parse(res.bodyText) as { id: string };
    return { jobId: b.id, status: { state: 'queued', providerStatus: 'queued' }, metadata: {} };
  },
  statusRequest: (jobId) => ({ method: 'GET', path: `/jobs/${jobId}` }),
  parseStatus: (res): JobStatus => {
    const b = JSON.parse(res.bodyText) as { status: string; reason?: string; url: string };
    if (b.status === 'succeeded') return { state: 'succeeded', providerStatus: b.status, videoUrl: b.url, metadata: {} };
    if (b.status === 'failed') return { state: 'failed', providerStatus: b.status, reason: b.reason ?? 'failed', metadata: {} };
    if (b.status === 'running') return { state: 'running', providerStatus: b.status };
    return { state: 'queued', providerStatus: b.status };
  },
  parseError: (res, operation) => providerError(operation, res.status, res.bodyText),
};

export function spec(id: string, prompt = `prompt of ${id}`, seed = 1): RenderSpec {
  return {
    id, manifestName: 'paper', shot: id.split('.')[0] ?? id, source: { file: 'paper.yaml', line: 1 }, provider: 'aimlapi', model: 'paper-model',
    knownModel: true, prompt, seed, seedOrigin: 'manifest', drawnSeedRange: null, take: null, params: {}, varying: {}, media: {},
  };
}

export interface PaperRun {
  clock: FakeClock;
  provider: PaperProvider;
  steps: JobSteps;
  jobs: Job[];
  journal: JournalEntry[];
  events: EngineEvent[];
  /** Fake ms since the start. */
  t0: number;
}

export interface PaperOptions {
  renders: number;
  concurrency?: number;
  submitsPerMinute?: number;
  pollIntervalMs?: number;
  timeoutMs?: number;
  jobMs?: (prompt: string) => number;
  failWhen?: (prompt: string) => string | undefined;
  /** The journal refuses lines from this many appends on (a full disk). */
  journalFailsAfter?: number;
  /** Fake ms the video takes to arrive. */
  downloadMs?: number;
  /** Learned times to completion, shared by every job of the run. */
  readSchedule?: ReadSchedule;
}

export async function paperRun(o: PaperOptions, setup?: (p: PaperProvider) => void): Promise<PaperRun> {
  const clock = new FakeClock();
  const t0 = clock.now();
  const provider = new PaperProvider(clock, t0, o.jobMs, o.failWhen);
  setup?.(provider);
  const journal: JournalEntry[] = [];
  const events: EngineEvent[] = [];
  const saveVideo: SaveVideo = (job) =>
    new Promise((resolve) => {
      clock.setTimer(() => resolve({ sha256: 'ab'.repeat(32), bytes: 1000, video: { width: 832, height: 480, duration_s: 5 }, downloaded_at: new Date(clock.now()).toISOString() }), o.downloadMs ?? 200);
      void job;
    });
  const gates = new ProviderGates(clock, o.submitsPerMinute === undefined ? {} : { aimlapi: o.submitsPerMinute });
  const steps = new JobSteps({
    clock,
    random: () => 0.5,
    gates,
    schedule: new Schedule({ clock, slots: new Slots(o.concurrency ?? 4, {}), gates }),
    journal: {
      append: async (entry) => {
        if (o.journalFailsAfter !== undefined && journal.length >= o.journalFailsAfter) {
          throw Object.assign(new Error('no space left on device: journal.jsonl'), { code: 'ENOSPC' });
        }
        journal.push(entry);
      },
    },
    send: provider.send,
    dispatcher: undefined as never,
    layout: runLayout('/paper', 'paper'),
    takes: undefined as unknown as TakeStore,
    previousTake: () => undefined,
    pollIntervalMs: o.pollIntervalMs,
    timeoutMs: o.timeoutMs ?? 3600_000,
    emit: (e: EventInit) => events.push({ ...e, manifest: 'paper', at: new Date(clock.now()).toISOString() } as EngineEvent),
    changed: () => undefined,
    saveVideo,
    readSchedule: o.readSchedule,
  });
  const jobs: Job[] = [];
  for (let n = 0; n < o.renders; n += 1) {
    const prepared = await prepareRender(spec(`r${n + 1}.seed-${n + 1}`, `prompt ${n + 1}`, n + 1), paperAdapter);
    jobs.push(new Job(n, prepared, paperAdapter, { kind: 'submit' }, { earlierTakes: () => [] } as unknown as TakeStore));
  }
  return { clock, provider, steps, jobs, journal, events, t0 };
}

/** The journal phases of one render, in order. */
export function phasesOf(run: PaperRun, id: string): string[] {
  return run.journal.filter((e) => e.phase !== 'snapshot' && e.id === id).map((e) => e.phase);
}
