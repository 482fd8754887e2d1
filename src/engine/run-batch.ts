/**
 * Runs one manifest's planned renders to the end: submits within the limits and pacing, one
 * poller for every job in flight, downloads as jobs succeed, journal before every step, and
 * manifest.json kept current. Stops cleanly on abort: no new submits, nothing paid for lost.
 */
import { interceptors, type Dispatcher } from 'undici';
import type { WireBody } from '../providers/body.js';
import type { ProviderName } from '../core/catalog.js';
import type { SendOptions } from '../providers/http-client.js';
import type { Operation, ProviderAdapter, ProviderRequest, ProviderResponse } from '../providers/types.js';
import { runLayout, type RunLayout } from '../store/layout.js';
import { previousTakeFacts } from '../store/previous-run.js';
import type { TakeFacts, TakeStore } from '../store/take-store.js';
import { ManifestWriter, type ReportWriter } from '../store/manifest-writer.js';
import type { RenderManifestFile, RenderRecord } from '../core/records.js';
import { systemClock, type Clock } from './clock.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import type { EventInit, EventSink } from './events.js';
import { Journal, type JournalEntry } from '../store/journal.js';
import { TORN_LAST_LINE } from '../store/journal-read.js';
import { fsWords, localStateError, displayPath } from '../store/local-state.js';
import { Job, type FinalStatus } from './job.js';
import type { BatchPlan } from './plan-batch.js';
import { ProviderGates } from './provider-gates.js';
import { Slots } from './slots.js';
import type { DownloadLimits } from './download.js';
import { JobSteps } from './job-steps.js';
import type { BudgetGuard } from './budget.js';
import { keptRunTimes } from './run-times.js';

/** Sends one request to a provider (the CLI binds base URL and key). */
export type SendFn = (provider: ProviderName, operation: Operation, req: ProviderRequest, wireBody?: WireBody, options?: SendOptions) => Promise<ProviderResponse>;

export interface RunBatchOptions {
  adapterFor: (provider: ProviderName) => ProviderAdapter;
  send: SendFn;
  /** For result downloads (no API key is ever sent with them). */
  dispatcher: Dispatcher;
  /** Absolute output root; the run writes to `<outDir>/<manifest name>/`. */
  outDir: string;
  manifestFiles: string[];
  runner: { name: 'render'; version: string };
  /** Renders in flight at once across providers. */
  concurrency: number;
  /** Overrides every provider's polling interval. */
  pollIntervalMs?: number | undefined;
  timeoutMs: number;
  /** Limits of each download attempt (`--max-video-size` sets maxVideoBytes). */
  downloadLimits?: Partial<DownloadLimits> | undefined;
  /** After Ctrl-C, how long submits already sent may wait for their answer. */
  submitGraceMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onEvent: EventSink;
  writeReport?: ReportWriter | undefined;
  /** Keeps new submits within the providers' budgets; one for every manifest of a command. */
  budget?: BudgetGuard | undefined;
  clock?: Clock;
  random?: () => number;
}

export interface BatchResult {
  name: string;
  layout: RunLayout;
  reportPath: string | undefined;
  records: RenderRecord[];
  counts: { total: number; succeeded: number; skipped: number; failed: number; timed_out: number; lost: number; indeterminate: number; pending: number };
  /** Jobs submitted and not brought home (interrupted): a rerun resumes them. */
  stillAtProviders: number;
  interrupted: boolean;
  /** Why submits stopped early (the disk is full, …); renders not sent are `pending`, the run exits 1. */
  submitsHalted: string | undefined;
}

export async function runBatch(plan: BatchPlan, o: RunBatchOptions): Promise<BatchResult> {
  const layout = runLayout(o.outDir, plan.manifest.name);
  const clock = o.clock ?? systemClock;
  const kept = keptRunTimes(plan);
  const startedAt = kept?.started_at ?? new Date(clock.now()).toISOString();
  const emit = (e: EventInit): void => o.onEvent({ ...e, manifest: plan.manifest.name, at: new Date(clock.now()).toISOString() } as never);

  const takes = plan.previous.takes;
  const jobs = plan.items.map((item, n) => new Job(n, item.prepared, o.adapterFor(item.prepared.spec.provider), item.action, takes));
  // Compact the journal to one line per render (keeping a copy when it had damaged lines), with
  // room reserved for the lines of every job that can be in flight, then append to it.
  const inFlight = o.concurrency + jobs.filter((j) => j.action.kind === 'resume').length;
  const journal = await Journal.open(layout.journalPath, plan.previous.journal, {
    reserveBytes: Math.max(ENGINE_DEFAULTS.journalReserveMinBytes, inFlight * ENGINE_DEFAULTS.journalReservePerJobBytes),
    keepCopy: plan.previous.journalProblems.some((p) => p.reason !== TORN_LAST_LINE),
  });
  const selected = new Set(jobs.map((j) => j.id));
  const others = [...plan.previous.records.values()].filter((r) => !selected.has(r.id));
  let endedAt: string | null = null;
  function* jobLines(): Iterable<string> {
    for (const j of jobs) yield JSON.stringify(j.record);
    for (const r of others) yield JSON.stringify(r);
  }
  const writer = new ManifestWriter({
    layout,
    minIntervalMs: ENGINE_DEFAULTS.manifestWriteIntervalMs,
    writeReport: o.writeReport,
    onReportError: (err) => emit({ event: 'warning', message: `could not write index.html: ${(err as Error).message}` }),
    build: (): RenderManifestFile => ({
      version: 1,
      name: plan.manifest.name,
      manifest_files: o.manifestFiles,
      runner: o.runner,
      started_at: startedAt,
      ended_at: endedAt,
      renders: [...jobs.map((j) => j.record), ...others],
    }),
    // One record per line: readable and diffable, and written piece by piece so a 10,000-render
    // file is never one big string (each line is garbage that dies young).
    serialize: function* (m) {
      const { renders: _renders, ...head } = m;
      yield JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "renders": [\n');
      let first = true;
      for (const line of jobLines()) {
        yield first ? '    ' : ',\n    ';
        yield line;
        first = false;
      }
      yield '\n  ]\n}\n';
    },
  });

  const settings = plan.manifest.providers;
  const providerLimits: Partial<Record<ProviderName, number>> = {};
  const pacing: Partial<Record<ProviderName, number>> = { ...ENGINE_DEFAULTS.submitsPerMinute };
  for (const [p, s] of Object.entries(settings) as [ProviderName, (typeof settings)[ProviderName]][]) {
    if (s?.concurrency !== undefined) providerLimits[p] = s.concurrency;
    if (s?.submitsPerMinute !== undefined) pacing[p] = s.submitsPerMinute;
  }

  const steps = new JobSteps({
    clock,
    random: o.random ?? Math.random,
    slots: new Slots(o.concurrency, providerLimits),
    gates: new ProviderGates(clock, pacing),
    journal: { append: (e: JournalEntry) => journal.append(e) },
    send: o.send,
    dispatcher: o.dispatcher.compose(interceptors.redirect({ maxRedirections: 5 })),
    layout,
    takes,
    previousTake: (id) => previousTakeFacts(plan.previous, id),
    pollIntervalMs: o.pollIntervalMs,
    timeoutMs: o.timeoutMs,
    downloadLimits: o.downloadLimits,
    submitGraceMs: o.submitGraceMs,
    budget: o.budget,
    emit,
    changed: () => writer.markDirty(),
  });

  emit({
    event: 'start',
    total: jobs.length,
    to_submit: jobs.filter((j) => j.action.kind === 'submit').length,
    to_resume: jobs.filter((j) => j.action.kind === 'resume').length,
    skipped: jobs.filter((j) => j.action.kind === 'skip').length,
    dir: layout.dir,
  });
  await restoreTakes(jobs, takes, journal, (id) => previousTakeFacts(plan.previous, id));
  try {
    await writer.flush();
  } catch (err) {
    // manifest.json cannot be written (a folder in its place, no permission): stop before
    // anything is sent.
    await journal.close();
    throw localStateError(err, layout.manifestPath, 'manifest.json', 'write');
  }

  const onAbort = (): void => steps.stop();
  if (o.signal?.aborted) steps.stop();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await steps.runAll(jobs);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await journal.close();
  }
  endedAt = kept?.ended_at ?? new Date(clock.now()).toISOString();
  try {
    await writer.flush();
  } catch (err) {
    // The journal holds every job id; manifest.json is rewritten by the next run, which the
    // summary asks for (exit 1).
    steps.haltSubmits(`${fsWords(err)}: ${displayPath(layout.manifestPath)}`);
  }
  return summarise(plan.manifest.name, layout, jobs, writer, steps);
}

/**
 * Renders whose request matches an earlier take get that take back as their current video, with
 * no submit; the journal records it as a whole state (its request differs from the last one).
 */
async function restoreTakes(jobs: Job[], takes: TakeStore, journal: Journal, previous: (id: string) => TakeFacts | undefined): Promise<void> {
  for (const job of jobs) {
    if (job.action.kind !== 'restore') continue;
    await takes.makeCurrent(job.id, job.action.take, previous(job.id));
    await journal.append({ phase: 'snapshot', state: job.state });
  }
}

function summarise(name: string, layout: RunLayout, jobs: Job[], writer: ManifestWriter, steps: JobSteps): BatchResult {
  const counts = { total: jobs.length, succeeded: 0, skipped: 0, failed: 0, timed_out: 0, lost: 0, indeterminate: 0, pending: 0 };
  let stillAtProviders = 0;
  for (const job of jobs) {
    const s: FinalStatus | 'pending' = job.finalStatus ?? 'pending';
    if (s === 'skipped') counts.skipped += 1;
    else if (s === 'pending') counts.pending += 1;
    else counts[s] += 1;
    if (job.isAtProvider) stillAtProviders += 1;
  }
  return {
    name,
    layout,
    reportPath: writer.reportPath,
    records: jobs.map((j) => j.record),
    counts,
    stillAtProviders,
    interrupted: steps.stopped,
    submitsHalted: steps.submitsHalted,
  };
}
