/**
 * Runs the planned renders of every manifest of a command on one schedule: shared slots (global,
 * per provider, per manifest), pacing and poller, so one manifest's tail never leaves a slot idle
 * while another has renders waiting. Each manifest keeps its own folder, journal (every step
 * before the next), manifest.json, contact sheet and summary. Stops cleanly on abort: no new
 * submits, nothing paid for lost.
 */
import type { Dispatcher } from 'undici';
import { redirectInterceptor } from '../providers/undici-parts.js';
import type { WireBody } from '../providers/body.js';
import type { ProviderName } from '../core/catalog.js';
import { RenderError } from '../core/errors.js';
import type { SendOptions } from '../providers/http-client.js';
import type { Operation, ProviderAdapter, ProviderRequest, ProviderResponse } from '../providers/types.js';
import { LOCAL_STATE_CODE } from '../store/local-state.js';
import type { ReportWriter } from '../store/manifest-writer.js';
import { systemClock, type Clock } from './clock.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import type { EventSink } from './events.js';
import type { BatchPlan } from './plan-batch.js';
import { ProviderGates } from './provider-gates.js';
import { Slots } from './slots.js';
import type { DownloadLimits } from './download.js';
import type { BudgetGuard } from './budget.js';
import { openBatch, type BatchResult, type OpenBatch, type SharedSteps } from './open-batch.js';
import { Schedule } from './schedule.js';
import type { ReadSchedule } from './read-schedule.js';

export type { BatchResult };

/** Sends one request to a provider (the CLI binds base URL and key). */
export type SendFn = (provider: ProviderName, operation: Operation, req: ProviderRequest, wireBody?: WireBody, options?: SendOptions) => Promise<ProviderResponse>;

export interface RunBatchOptions {
  adapterFor: (provider: ProviderName) => ProviderAdapter;
  send: SendFn;
  /** For result downloads (no API key is ever sent with them). */
  dispatcher: Dispatcher;
  /** Absolute output root; each manifest's run writes to `<outDir>/<manifest name>/`. */
  outDir: string;
  runner: { name: 'render'; version: string };
  /**
   * Renders in flight at once: `--concurrency` for the whole command, or else each manifest's
   * own `concurrency` (the default when it has none) for its renders, and the largest of them
   * for all together.
   */
  concurrency: number | undefined;
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
  /** Keeps new submits within the providers' budgets, across every manifest. */
  budget?: BudgetGuard | undefined;
  /** Learned times to completion (read-schedule.ts); one for every manifest of a command. */
  readSchedule?: ReadSchedule | undefined;
  clock?: Clock;
  random?: () => number;
}

export interface BatchesResult {
  /** The manifests that ran, in command order. */
  results: BatchResult[];
  /** Manifests whose folder could not be prepared (nothing of theirs was sent), with why. */
  notStarted: { plan: BatchPlan; error: RenderError }[];
}

/** The limits of a command's schedule, from the flag or the manifests (see `concurrency`). */
export function scheduleLimits(plans: readonly BatchPlan[], flag: number | undefined): { global: number; lanes: Map<number, number>; providers: Partial<Record<ProviderName, number>>; pacing: Partial<Record<ProviderName, number>> } {
  const own = plans.map((p) => p.manifest.concurrency ?? ENGINE_DEFAULTS.concurrency);
  const lanes = new Map<number, number>(flag === undefined ? own.map((n, lane) => [lane, n]) : []);
  const providers: Partial<Record<ProviderName, number>> = {};
  const declaredPacing: Partial<Record<ProviderName, number>> = {};
  // A provider's limits are its account's, whichever manifest names them: the strictest holds.
  for (const plan of plans) {
    for (const [p, s] of Object.entries(plan.manifest.providers) as [ProviderName, (typeof plan.manifest.providers)[ProviderName]][]) {
      if (s?.concurrency !== undefined) providers[p] = Math.min(providers[p] ?? Infinity, s.concurrency);
      if (s?.submitsPerMinute !== undefined) declaredPacing[p] = Math.min(declaredPacing[p] ?? Infinity, s.submitsPerMinute);
    }
  }
  const pacing = { ...ENGINE_DEFAULTS.submitsPerMinute, ...declaredPacing };
  return { global: flag ?? Math.max(1, ...own), lanes, providers, pacing };
}

export async function runBatches(plans: readonly BatchPlan[], o: RunBatchOptions): Promise<BatchesResult> {
  const clock = o.clock ?? systemClock;
  const limits = scheduleLimits(plans, o.concurrency);
  const slots = new Slots(limits.global, limits.providers, limits.lanes);
  const gates = new ProviderGates(clock, limits.pacing);
  const schedule = new Schedule({ clock, slots, gates, submitGraceMs: o.submitGraceMs, budget: o.budget });
  const shared: SharedSteps = {
    clock,
    random: o.random ?? Math.random,
    gates,
    send: o.send,
    dispatcher: o.dispatcher.compose(redirectInterceptor({ maxRedirections: 5 })),
    pollIntervalMs: o.pollIntervalMs,
    timeoutMs: o.timeoutMs,
    downloadLimits: o.downloadLimits,
    schedule,
    readSchedule: o.readSchedule,
  };

  const opened: OpenBatch[] = [];
  const notStarted: BatchesResult['notStarted'] = [];
  let firstOrder = 0;
  for (const [lane, plan] of plans.entries()) {
    try {
      opened.push(
        await openBatch(plan, shared, {
          adapterFor: o.adapterFor,
          outDir: o.outDir,
          runner: o.runner,
          clock,
          onEvent: o.onEvent,
          writeReport: o.writeReport,
          inFlight: limits.lanes.get(lane) ?? limits.global,
          lane,
          firstOrder,
        }),
      );
    } catch (err) {
      // A folder that cannot be written: its renders are not started, the others run.
      if (!(err instanceof RenderError) || err.code !== LOCAL_STATE_CODE) {
        await Promise.all(opened.map((b) => b.abandon()));
        throw err;
      }
      notStarted.push({ plan, error: err });
    }
    firstOrder += plan.items.length;
  }
  // Nothing could be prepared: that is the command's error.
  if (opened.length === 0 && notStarted[0]) throw notStarted[0].error;
  for (const batch of opened) batch.steps.add(batch.jobs);

  const onAbort = (): void => schedule.stop();
  if (o.signal?.aborted) schedule.stop();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await schedule.run();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  // Each manifest's folder is finished (journal closed, manifest.json and contact sheet written) at once.
  const results = await Promise.all(opened.map((batch) => batch.finish()));
  return { results, notStarted };
}
