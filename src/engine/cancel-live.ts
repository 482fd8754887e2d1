/**
 * `render cancel`'s work on a locked run folder: which renders have a job live at a provider
 * (from the journal), the provider's cancel for each one whose API has one, and the record of
 * every job cancelled: a journal line (fsynced) at once, then manifest.json. A cancelled render
 * is submitted again by the next run, like a failed one.
 */
import { systemClock, type Clock } from './clock.js';
import { withRetry } from './with-retry.js';
import { isRendering } from '../core/lifecycle.js';
import type { ProviderName } from '../core/catalog.js';
import { ProviderError, type ProviderAdapter, type ProviderRequest, type ProviderResponse } from '../providers/types.js';
import type { RunLayout } from '../store/layout.js';
import type { RenderManifestFile } from '../core/records.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { globToRegExp } from '../manifest/select.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import { Journal, type JournalState } from '../store/journal.js';
import { isRetryableRead, retryDelayMs } from './retry-policy.js';

/** Journal phases in which a render's job is queued or running at the provider. */

export interface LiveJob {
  id: string;
  /** undefined when manifest.json has no record of the render. */
  provider: ProviderName | undefined;
  jobId: string;
  requestSha256: string;
}

export type CancelOutcome =
  | { job: LiveJob; result: 'cancelled' }
  | { job: LiveJob; result: 'not_cancellable' }
  | { job: LiveJob; result: 'failed'; reason: string };

/** Renders whose job is live at a provider, in manifest order, filtered by `--only` globs. */
export function liveJobs(journal: Map<string, JournalState>, manifest: RenderManifestFile | null, only: readonly string[] = []): LiveJob[] {
  const patterns = only.map(globToRegExp);
  const records = new Map((manifest?.renders ?? []).map((r) => [r.id, r] as const));
  const order = [...records.keys(), ...[...journal.keys()].filter((id) => !records.has(id))];
  const live: LiveJob[] = [];
  for (const id of order) {
    const state = journal.get(id);
    if (!state || !state.job_id || !isRendering(state.phase)) continue;
    if (patterns.length > 0 && !patterns.some((p) => p.test(id))) continue;
    const record = records.get(id);
    const provider = record && record.request_sha256 === state.request_sha256 ? record.provider : undefined;
    live.push({ id, provider, jobId: state.job_id, requestSha256: state.request_sha256 });
  }
  return live;
}

export interface CancelOptions {
  layout: RunLayout;
  journal: Map<string, JournalState>;
  manifest: RenderManifestFile | null;
  adapterFor: (provider: ProviderName) => ProviderAdapter;
  send: (provider: ProviderName, req: ProviderRequest) => Promise<ProviderResponse>;
  /** Called as each render's outcome is known. */
  onOutcome: (outcome: CancelOutcome) => void;
  now?: () => Date;
  /** Waits between attempts (the system clock unless a test gives another). */
  clock?: Clock;
  random?: () => number;
}

/** Sends the cancels (a few at once), recording each success before the next outcome is reported. */
export async function cancelLiveJobs(jobs: readonly LiveJob[], o: CancelOptions): Promise<CancelOutcome[]> {
  const now = o.now ?? (() => new Date());
  const journal = await Journal.open(o.layout.journalPath, o.journal);
  const outcomes: CancelOutcome[] = [];
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const outcome = await cancelOne(job, o);
        outcomes.push(outcome);
        if (outcome.result === 'cancelled') {
          const at = now().toISOString();
          await journal.append({
            phase: 'cancelled', id: job.id, request_sha256: job.requestSha256, at,
            completed_at: at, error: { message: cancelledMessage(job) },
          });
        }
        o.onOutcome(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ENGINE_DEFAULTS.cancelConcurrency, jobs.length) }, worker));
  } finally {
    await journal.close();
    await recordInManifest(o, outcomes, now().toISOString());
  }
  return outcomes;
}

function cancelledMessage(job: LiveJob): string {
  return `cancelled at ${job.provider ?? 'the provider'} with render cancel`;
}

async function cancelOne(job: LiveJob, o: CancelOptions): Promise<CancelOutcome> {
  const adapter = job.provider ? o.adapterFor(job.provider) : undefined;
  if (!job.provider || !adapter?.cancelRequest) return { job, result: 'not_cancellable' };
  const provider = job.provider;
  const cancelRequest = adapter.cancelRequest.bind(adapter);
  try {
    await withRetry(
      async () => {
        const res = await o.send(provider, cancelRequest(job.jobId));
        adapter.parseCancel?.(res);
      },
      {
        clock: o.clock ?? systemClock,
        random: o.random ?? Math.random,
        // 429, 5xx and dropped connections are tried again; a cancel sent twice costs nothing.
        decide: (err, attempt, random) =>
          !isRetryableRead(err) || attempt >= ENGINE_DEFAULTS.cancelAttempts
            ? { action: 'fail', reason: String(err) }
            : { action: 'retry', delayMs: retryDelayMs(err, attempt, random), retryAfterMs: undefined },
      },
    );
    return { job, result: 'cancelled' };
  } catch (err) {
    return { job, result: 'failed', reason: err instanceof ProviderError || err instanceof Error ? err.message : String(err) };
  }
}

/** manifest.json: each cancelled render's record says so. The journal already does. */
async function recordInManifest(o: CancelOptions, outcomes: readonly CancelOutcome[], at: string): Promise<void> {
  const cancelled = new Map(outcomes.filter((x) => x.result === 'cancelled').map((x) => [x.job.id, x.job] as const));
  if (!o.manifest || cancelled.size === 0) return;
  for (const r of o.manifest.renders) {
    const job = cancelled.get(r.id);
    if (!job || r.request_sha256 !== job.requestSha256) continue;
    r.status = 'cancelled';
    r.error = { message: cancelledMessage(job) };
    r.timings = { ...r.timings, completed: at };
  }
  await writeFileAtomic(o.layout.manifestPath, manifestText(o.manifest));
}

/** The layout the run writes: the head pretty-printed, one render per line. */
export function manifestText(m: RenderManifestFile): string {
  const { renders, ...head } = m;
  const lines = renders.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return `${JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "renders": [\n')}${lines}\n  ]\n}\n`;
}
