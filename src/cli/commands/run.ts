/**
 * `render [run] <manifests...>`: loads and selects renders, checks keys, plans every manifest
 * (nothing is submitted until all of them are ready), then runs them all on one schedule with
 * the engine and prints what happened. Exit 0 all done, 1 some failed, 2 bad input, 130 Ctrl-C.
 */
import { resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { renderVersion } from '../main.js';
import { ENGINE_DEFAULTS } from '../../engine/defaults.js';
import { planBatch, type BatchPlan } from '../../engine/plan-batch.js';
import { runBatches, type BatchesResult } from '../../engine/run-batch.js';
import { UsageError } from '../../core/errors.js';
import { loadManifests } from '../../manifest/load-manifests.js';
import { parseShard, selectRenders, type Selection } from '../../manifest/select.js';
import { createReporter } from '../../present/console/reporter.js';
import { buildSummary, formatSummary, haltMessage } from '../../present/console/summary.js';
import { shownPath } from '../../store/folder-problem.js';
import type { PreviousRun } from '../../store/previous-run.js';
import type { ReportWriter } from '../../store/manifest-writer.js';
import type { EngineEvent } from '../../engine/events.js';
import type * as ReportCode from '../../present/report/write-report.js';
import { loadMp4box } from '../../media/probe-mp4.js';
import { DEFAULT_OUT_DIR, emulatorStateDir, runLayout, timingsPath } from '../../store/layout.js';
import { acquireRunLocks, releaseRunLocks } from '../../store/run-lock.js';
import { formatSize, parseSize, TRANSFER_LIMITS } from '../../providers/transfer-limits.js';
import type { Emulator } from '../../emulator/types.js';
import { numberFlag, parseCommandArgs } from '../args.js';
import { parseBudgetFlags } from '../budget-flag.js';
import { budgetLimits, checkBudgets } from '../../core/budget.js';
import { priceOf, sumPrices, type Price } from '../../core/prices.js';
import { BudgetGuard } from '../../engine/budget.js';
import type { RenderSpec } from '../../manifest/types.js';
import { learnPrices } from '../../store/learned-prices.js';
import { loadReadSchedule, saveReadSchedule } from '../read-schedule-file.js';
import { EXIT, type CliIO } from '../io.js';
import { EMULATE_DEFAULTS } from '../../core/defaults.js';

const { jobMs: EMULATED_JOB_MS, pollIntervalMs: EMULATED_POLL_MS } = EMULATE_DEFAULTS;

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, {
    concurrency: { type: 'string' },
    'poll-interval': { type: 'string' },
    timeout: { type: 'string' },
    'max-video-size': { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string', multiple: true },
    shard: { type: 'string' },
    force: { type: 'boolean' },
    reseed: { type: 'boolean' },
    emulate: { type: 'boolean' },
    json: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
    budget: { type: 'string', multiple: true },
  });
  if (positionals.length === 0) throw new UsageError('render run: give at least one manifest file', { hint: 'e.g. render jobs/storyboard.yaml' });
  const concurrencyFlag = numberFlag(values['concurrency'], '--concurrency', { min: 1, max: 10_000, integer: true });
  const pollSeconds = numberFlag(values['poll-interval'], '--poll-interval', { min: 0.01, max: 3600 });
  const timeoutSeconds = numberFlag(values['timeout'], '--timeout', { min: 1, max: 30 * 86_400 }) ?? ENGINE_DEFAULTS.timeoutMs / 1000;
  const maxVideoBytes = sizeFlag(values['max-video-size']);
  const selection: Selection = {};
  if (Array.isArray(values['only'])) selection.only = values['only'];
  if (typeof values['shard'] === 'string') selection.shard = parseShard(values['shard']);
  const force = values['force'] === true;
  const budgetFlags = parseBudgetFlags(values['budget']);
  const outDir = resolve(io.cwd, typeof values['out'] === 'string' ? values['out'] : DEFAULT_OUT_DIR);

  const manifests = await loadManifests(positionals, { cwd: io.cwd });
  const chosen = manifests.map((m) => ({ manifest: m, renders: selectRenders(m.renders, selection) }));
  const total = chosen.reduce((n, c) => n + c.renders.length, 0);
  if (total === 0) throw new UsageError('no render matches --only/--shard; nothing to do');
  for (const m of manifests) for (const warning of m.warnings) io.stderr.write(`${warning}\n`);

  // Loaded only now: undici and the providers are not needed for --help or a bad manifest.
  const [{ readProviderConfigs, requireKeys }, { createDispatcher, createProviderHttp }, { adapterFor }] = await Promise.all([
    import('../../providers/config.js'),
    import('../../providers/http-client.js'),
    import('../../providers/registry.js'),
  ]);

  // One run per output folder: every folder of the command is locked before anything in it is
  // read or written (planBatch reads the previous run) and before anything is submitted.
  const locks = await acquireRunLocks(
    manifests.map((m) => runLayout(outDir, m.name).dir),
    { command: ['render', 'run', ...argv].join(' '), cwd: io.cwd, warn: (line) => io.stderr.write(`${line}\n`) },
  );
  let emulator: Emulator | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    let env = io.env;
    if (values['emulate'] === true) {
      const { startEmulator } = await import('../../emulator/server.js');
      // Its jobs are kept beside the outputs, so Ctrl-C and a rerun find the same jobs.
      emulator = await startEmulator({ jobDurationMs: EMULATED_JOB_MS, stateDir: emulatorStateDir(outDir) });
      // Only the emulator's variables: the user's real keys and hosts are never used.
      env = { ...emulator.env };
      io.stderr.write(`render: running against the local emulator at ${emulator.url} (no keys, no network)\n`);
    }
    const configs = readProviderConfigs(env, io.cwd);
    requireKeys(configs, chosen.flatMap((c) => c.renders.map((r) => r.provider)));
    dispatcher = createDispatcher(emulator ? {} : env);
    // Every provider's key is cut out of every answer, not only the key of the request.
    const http = createProviderHttp({ dispatcher, secrets: Object.values(configs).map((c) => c.apiKey) });

    // Every manifest is planned before anything is sent, so bad input submits nothing at all.
    const plans: BatchPlan[] = [];
    for (const c of chosen) {
      plans.push(await planBatch(c.manifest, c.renders, { outDir, adapterFor, force, reseed: values['reseed'] === true }));
    }
    for (const plan of plans) reportPreviousRun(plan.previous, io);

    // What the renders to submit cost, against the budgets, before anything is sent.
    const book = await learnPrices(outDir, new Map(plans.map((p) => [p.manifest.name, p.previous.manifest])));
    const priceOfSpec = (s: RenderSpec): Price => priceOf(s.provider, s.model, s.params, book);
    const budgets = budgetLimits(manifests, budgetFlags);
    const toSubmit = plans.flatMap((p) => p.items.filter((i) => i.action.kind === 'submit').map((i) => ({ provider: i.prepared.spec.provider, price: priceOfSpec(i.prepared.spec) })));
    const verdict = checkBudgets(sumPrices(toSubmit), budgets);
    for (const line of verdict.warnings) io.stderr.write(`render: ${line}\n`);
    if (verdict.over.length > 0) {
      for (const line of verdict.over) io.stderr.write(`render: ${line}\n`);
      io.stderr.write('render: over budget; nothing was submitted\n');
      return EXIT.usage;
    }
    const budget = new BudgetGuard(budgets, priceOfSpec);
    const timingsFile = timingsPath(outDir, emulator !== undefined);
    const readSchedule = await loadReadSchedule(timingsFile, io);

    const reporter = createReporter({ stdout: io.stdout, stderr: io.stderr, json: values['json'] === true, progress: values['no-progress'] !== true, total, manifests: plans.length });
    // The contact sheet's code and mp4box are needed only once videos arrive: they are loaded a
    // moment after the first submit is answered, not at start-up, before the first submit.
    const reportCode = (): Promise<typeof ReportCode> => import('../../present/report/write-report.js');
    const writeReport: ReportWriter = async (dir, manifest) => (await reportCode()).writeReport(dir, manifest);
    let warmUp: NodeJS.Timeout | undefined;
    const onEvent = (e: EngineEvent): void => {
      reporter.handle(e);
      if (warmUp !== undefined || e.event !== 'submitted') return;
      // A failure here is met again, and said, where the code is used.
      warmUp = setTimeout(() => void Promise.all([reportCode(), loadMp4box()]).catch(() => undefined), ENGINE_DEFAULTS.warmUpAfterSubmitMs);
      warmUp.unref();
    };
    const startedMs = Date.now();
    let ran: BatchesResult;
    try {
      ran = await runBatches(plans, {
        adapterFor,
        send: (provider, operation, req, wire, options) => http.send(configs[provider], operation, req, wire, options),
        dispatcher,
        outDir,
        runner: { name: 'render', version: renderVersion() },
        concurrency: concurrencyFlag,
        pollIntervalMs: pollSeconds !== undefined ? pollSeconds * 1000 : emulator ? EMULATED_POLL_MS : undefined,
        timeoutMs: timeoutSeconds * 1000,
        downloadLimits: { maxVideoBytes },
        signal: io.signal,
        onEvent,
        writeReport,
        budget,
        readSchedule,
      });
    } finally {
      clearTimeout(warmUp);
      reporter.stop();
      await saveReadSchedule(readSchedule, timingsFile, io);
    }
    const { results, notStarted } = ran;
    const interrupted = io.signal?.aborted === true;
    const anyBad =
      notStarted.length > 0 ||
      results.some((r) => r.counts.failed + r.counts.timed_out + r.counts.lost + r.counts.indeterminate > 0 || r.submitsHalted !== undefined);
    const exitCode = interrupted ? EXIT.interrupted : anyBad ? EXIT.failed : EXIT.ok;
    const summary = buildSummary(results, Date.now() - startedMs, exitCode, interrupted, budget.spent());
    if (values['json'] === true) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else io.stdout.write(formatSummary(summary, io.cwd));
    if (values['json'] === true && interrupted) io.stderr.write(formatSummary(summary, io.cwd));
    // Submits stop for the whole command at once: each reason is said once.
    for (const reason of new Set(results.map((r) => r.submitsHalted))) if (reason !== undefined) io.stderr.write(`${haltMessage(reason)}\n`);
    for (const { error } of notStarted) io.stderr.write(`render: ${error.message}; its renders were not started\n  ${error.hint ?? ''}\n`);
    return exitCode;
  } finally {
    // After Ctrl-C nothing on the wire is waited for (close() would wait for every request).
    if (io.signal?.aborted) await dispatcher?.destroy().catch(() => undefined);
    else await dispatcher?.close().catch(() => undefined);
    await emulator?.close();
    await releaseRunLocks(locks);
  }
}

/** `--max-video-size 500MB` / `2GiB` / bytes → bytes; the default 4 GiB when not given. */
function sizeFlag(value: unknown): number {
  if (typeof value !== 'string') return TRANSFER_LIMITS.maxVideoBytes;
  const bytes = parseSize(value);
  if (bytes === undefined) {
    throw new UsageError(`--max-video-size: "${value}" is not a size`, {
      hint: `e.g. --max-video-size 500MB or 8GiB (default ${formatSize(TRANSFER_LIMITS.maxVideoBytes)})`,
    });
  }
  return bytes;
}

/** Journal lines an earlier run left that are not trusted, at most this many printed. */
const MAX_PROBLEMS_SHOWN = 20;

/** Says what was wrong with the journal an earlier run left, and what manifest.json made up for. */
function reportPreviousRun(prev: PreviousRun, io: CliIO): void {
  const shown = shownPath(prev.layout.journalPath, io.cwd);
  for (const p of prev.journalProblems.slice(0, MAX_PROBLEMS_SHOWN)) io.stderr.write(`${shown}:${p.line}: warning: ${p.reason}; line not used\n`);
  const more = prev.journalProblems.length - MAX_PROBLEMS_SHOWN;
  if (more > 0) io.stderr.write(`${shown}: warning: ${more} more lines not used\n`);
  const manifestShown = shownPath(prev.layout.manifestPath, io.cwd);
  for (const p of prev.manifestProblems.slice(0, MAX_PROBLEMS_SHOWN)) io.stderr.write(`${manifestShown}: warning: ${p}; not trusted (the journal and the files on disk decide)\n`);
  const n = prev.jobIdsFromManifest.length;
  if (n > 0) io.stderr.write(`${shown}: warning: the job id${n === 1 ? '' : 's'} of ${n} render${n === 1 ? '' : 's'} taken from manifest.json (not in the journal); resumed, not submitted again\n`);
}
