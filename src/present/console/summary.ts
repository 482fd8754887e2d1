/** The end of a run as the user reads it: counts, failures with reasons, time, where things are. */
import { isAbsolute, relative } from 'node:path';
import { isProblem, STATES } from '../../core/lifecycle.js';
import type { BatchResult } from '../../engine/run-batch.js';
import type { ProviderSpend } from '../../engine/budget.js';
import { formatAmount } from '../../core/prices.js';

export interface RunSummary {
  event: 'summary';
  exit_code: number;
  elapsed_s: number;
  interrupted: boolean;
  still_at_providers: number;
  /** What this run's new submits cost, per provider, in its unit (engine/budget.ts). */
  spent?: ProviderSpend[];
  manifests: {
    name: string;
    dir: string;
    manifest: string;
    report: string | null;
    counts: BatchResult['counts'];
    /** Of the `pending` renders, those whose job is at its provider (the rest were not submitted). */
    still_at_providers: number;
    /** Why submits stopped early; the `pending` renders were not submitted. */
    submits_halted?: string | null;
    failures: { id: string; status: string; error: string; job_id: string | null }[];
  }[];
}

/**
 * `results` are the manifests of the run (one schedule runs them all); `spent`: what the run's
 * new submits cost per provider (engine/budget.ts).
 */
export function buildSummary(results: BatchResult[], elapsedMs: number, exitCode: number, interrupted: boolean, spent: ProviderSpend[] = []): RunSummary {
  return {
    event: 'summary',
    exit_code: exitCode,
    elapsed_s: Math.round(elapsedMs / 100) / 10,
    interrupted,
    still_at_providers: results.reduce((n, r) => n + r.stillAtProviders, 0),
    spent,
    manifests: results.map((r) => ({
      name: r.name,
      dir: r.layout.dir,
      manifest: r.layout.manifestPath,
      report: r.reportPath ?? null,
      counts: r.counts,
      still_at_providers: r.stillAtProviders,
      submits_halted: r.submitsHalted ?? null,
      failures: r.records
        .filter((rec) => isProblem(rec.status))
        .map((rec) => ({ id: rec.id, status: rec.status, error: rec.error?.message ?? rec.status, job_id: rec.job_id })),
    })),
  };
}


/** Human text of a summary; paths relative to `cwd` when inside it, else absolute. */
export function formatSummary(s: RunSummary, cwd: string): string {
  const lines: string[] = [];
  const rel = (p: string): string => {
    const r = relative(cwd, p);
    return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? p : r;
  };
  for (const m of s.manifests) {
    const c = m.counts;
    const parts = [`${c.succeeded} done`];
    if (c.skipped > 0) parts.push(`${c.skipped} already done (skipped)`);
    if (c.failed > 0) parts.push(`${c.failed} failed`);
    if (c.timed_out > 0) parts.push(`${c.timed_out} timed out`);
    if (c.lost > 0) parts.push(`${c.lost} lost`);
    if (c.indeterminate > 0) parts.push(`${c.indeterminate} indeterminate`);
    if (m.still_at_providers > 0) parts.push(`${m.still_at_providers} still at the providers`);
    const notSent = c.pending - m.still_at_providers;
    if (notSent > 0) parts.push(`${notSent} not submitted`);
    lines.push(`${m.name}: ${parts.join(', ')} of ${c.total}`);
    for (const f of m.failures) lines.push(`  ${(STATES as Record<string, { label: string } | undefined>)[f.status]?.label ?? f.status}: ${f.id}: ${f.error}`);
    lines.push(`  manifest: ${rel(m.manifest)}`);
    if (m.report) lines.push(`  contact sheet: ${rel(m.report)}`);
  }
  if (s.spent && s.spent.length > 0) lines.push(`spent: ${s.spent.map(spendText).join('; ')}`);
  lines.push(`time: ${s.elapsed_s.toFixed(1)} s`);
  if (s.interrupted) {
    const n = s.still_at_providers;
    lines.push(
      `interrupted: ${n} job${n === 1 ? ' is' : 's are'} still rendering at the providers (or finished and not yet downloaded); ` +
        'run the same command again to pick them up — nothing already submitted will be submitted again.',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `aimlapi 145,384 credits (2 jobs)`, `krea 200 compute units (1 of 2 jobs)`, `novita 3 jobs, price unknown`. */
function spendText(s: ProviderSpend): string {
  const jobs = `${s.jobs} job${s.jobs === 1 ? '' : 's'}`;
  if (s.counted === 0 && s.unknown > 0) return `${s.provider} ${jobs}, price unknown`;
  const counted = s.counted === s.jobs ? jobs : `${s.counted} of ${jobs}${s.unknown > 0 ? `, ${s.unknown} of unknown price` : ''}`;
  return `${s.provider} ${formatAmount(s.amount, s.unit)} (${counted})`;
}

/** The one line that says why a run stopped submitting, and what to do. */
export function haltMessage(reason: string): string {
  if (reason.includes('--budget')) return `render: ${reason}; the renders not sent are left for the next run, jobs already sent are kept`;
  const fix = /no space left|quota/.test(reason) ? 'Free some space' : 'Fix that';
  return `render: ${reason}; no more submits. ${fix} and run the same command again: jobs already sent are kept and resumed`;
}
