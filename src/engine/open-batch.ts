/**
 * One manifest's part of a run, opened before anything is sent: its folder's journal (compacted,
 * with a reserve for a full disk), its manifest.json writer, earlier takes restored, and its
 * renders as jobs with their place in the command's order. `finish()` closes the journal,
 * writes manifest.json a last time and says how the manifest fared.
 */
import type { RenderManifestFile, RenderRecord } from '../core/records.js';
import type { ProviderName } from '../core/catalog.js';
import type { ProviderAdapter } from '../providers/types.js';
import { Journal } from '../store/journal.js';
import { TORN_LAST_LINE } from '../store/journal-read.js';
import { fsWords, localStateError, displayPath } from '../store/local-state.js';
import { ManifestWriter, type ReportWriter } from '../store/manifest-writer.js';
import { previousTakeFacts } from '../store/previous-run.js';
import { runLayout, type RunLayout } from '../store/layout.js';
import type { TakeFacts, TakeStore } from '../store/take-store.js';
import type { Clock } from './clock.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import type { EventInit, EventSink } from './events.js';
import { Job, type FinalStatus } from './job.js';
import type { JobStepsDeps } from './job-steps-deps.js';
import { JobSteps } from './job-steps.js';
import type { BatchPlan } from './plan-batch.js';
import { keptRunTimes } from './run-times.js';

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

export interface OpenBatchOptions {
  adapterFor: (provider: ProviderName) => ProviderAdapter;
  outDir: string;
  runner: { name: 'render'; version: string };
  clock: Clock;
  onEvent: EventSink;
  writeReport?: ReportWriter | undefined;
  /** Room in the journal's reserve: the renders that can be in flight besides resumed ones. */
  inFlight: number;
  /** The manifest's lane on the schedule, and the place of its first render in the command's order. */
  lane: number;
  firstOrder: number;
}

/** The command's part of every manifest's steps (schedule, send, clock, limits, …). */
export type SharedSteps = Omit<JobStepsDeps, 'journal' | 'layout' | 'takes' | 'previousTake' | 'emit' | 'changed'>;

export interface OpenBatch {
  name: string;
  layout: RunLayout;
  jobs: Job[];
  steps: JobSteps;
  /** After the schedule ran: closes the journal, writes manifest.json, counts. */
  finish(): Promise<BatchResult>;
  /** Closes the journal of a batch that will not run. */
  abandon(): Promise<void>;
}

export async function openBatch(plan: BatchPlan, shared: SharedSteps, o: OpenBatchOptions): Promise<OpenBatch> {
  const layout = runLayout(o.outDir, plan.manifest.name);
  const { clock } = o;
  const kept = keptRunTimes(plan);
  const startedAt = kept?.started_at ?? new Date(clock.now()).toISOString();
  const emit = (e: EventInit): void => o.onEvent({ ...e, manifest: plan.manifest.name, at: new Date(clock.now()).toISOString() } as never);

  const takes = plan.previous.takes;
  const jobs = plan.items.map((item, n) => {
    const job = new Job(o.firstOrder + n, item.prepared, o.adapterFor(item.prepared.spec.provider), item.action, takes);
    job.lane = o.lane;
    return job;
  });
  // Compact the journal to one line per render (keeping a copy when it had damaged lines), with
  // room reserved for the lines of every job that can be in flight, then append to it.
  const inFlight = o.inFlight + jobs.filter((j) => j.action.kind === 'resume').length;
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
      manifest_files: [plan.manifest.file],
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

  const previousTake = (id: string): TakeFacts | undefined => previousTakeFacts(plan.previous, id);
  const steps = new JobSteps({ ...shared, journal: { append: (e) => journal.append(e) }, layout, takes, previousTake, emit, changed: () => writer.markDirty() });

  emit({
    event: 'start',
    total: jobs.length,
    to_submit: jobs.filter((j) => j.action.kind === 'submit').length,
    to_resume: jobs.filter((j) => j.action.kind === 'resume').length,
    skipped: jobs.filter((j) => j.action.kind === 'skip').length,
    dir: layout.dir,
  });
  await restoreTakes(jobs, takes, journal, previousTake);
  try {
    await writer.flush();
  } catch (err) {
    // manifest.json cannot be written (a folder in its place, no permission): stop before
    // anything of this manifest is sent.
    await journal.close();
    throw localStateError(err, layout.manifestPath, 'manifest.json', 'write');
  }

  return {
    name: plan.manifest.name,
    layout,
    jobs,
    steps,
    abandon: () => journal.close(),
    async finish() {
      await journal.close();
      endedAt = kept?.ended_at ?? new Date(clock.now()).toISOString();
      let unwritten: string | undefined;
      try {
        await writer.flush();
      } catch (err) {
        // The journal holds every job id; manifest.json is rewritten by the next run, which the
        // summary asks for (exit 1).
        unwritten = `${fsWords(err)}: ${displayPath(layout.manifestPath)}`;
        emit({ event: 'warning', message: `stopped submitting: ${unwritten}; 0 renders not sent, left for the next run` });
      }
      return summarise(plan.manifest.name, layout, jobs, writer, steps, unwritten);
    },
  };
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

function summarise(name: string, layout: RunLayout, jobs: Job[], writer: ManifestWriter, steps: JobSteps, unwritten: string | undefined): BatchResult {
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
    submitsHalted: steps.submitsHalted ?? unwritten,
  };
}
